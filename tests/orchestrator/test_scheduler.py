"""The scheduler: filters and their FailedScheduling text, spreading, scoring and tie-breaking."""

from collections import Counter

from orchestrator import Simulation
from tests.orchestrator.conftest import ZONE, cluster, deploy, live_pods, make_sim, ok, pods_of, running

INSUFFICIENT_CPU_3 = ("0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: "
                      "3 No preemption victims found for incoming pod.")


def _failed_scheduling(sim, pod_name):
    return [e for e in cluster(sim).events if e.reason == "FailedScheduling" and e.name == pod_name]


def test_too_many_replicas_gives_the_exact_failed_scheduling_message():
    sim = make_sim()
    deploy(sim, replicas=30, settle=10)
    pending = [p for p in live_pods(sim, "web") if p.node is None]
    assert pending, "30 pods of 100m cannot all fit on three e2-medium nodes"
    for pod in pending:
        assert pod.phase == "Pending"
        assert pod.unschedulable == INSUFFICIENT_CPU_3
        (event,) = _failed_scheduling(sim, pod.name)
        assert (event.type, event.source, event.message) == ("Warning", "default-scheduler", INSUFFICIENT_CPU_3)


def test_e2_medium_fits_seven_default_pods_per_node():
    """940m allocatable minus 218m of GKE system pods leaves room for seven 100m pods."""
    sim = make_sim()
    deploy(sim, replicas=30, settle=10)
    assert len([p for p in live_pods(sim, "web") if p.node]) == 21


def test_pending_pods_are_scheduled_when_nodes_are_added():
    sim = make_sim()
    deploy(sim, replicas=30, settle=10)
    ok(sim, f"gcloud container clusters resize demo --num-nodes=5 --zone={ZONE}")
    sim.advance(30)
    assert len(running(sim, "web")) == 30


def test_pending_pods_are_scheduled_when_room_frees_up():
    sim = make_sim()
    deploy(sim, "web", replicas=21, settle=10)
    ok(sim, "kubectl create deployment api --image=nginx:1.27 --replicas=3")
    sim.advance(10)
    assert all(p.node is None for p in live_pods(sim, "api"))
    ok(sim, "kubectl scale deployment web --replicas=18")
    sim.advance(30)
    assert len(running(sim, "api")) == 3


def test_untolerated_taint_message_for_a_not_ready_node():
    sim = make_sim(nodes=1)
    (node,) = cluster(sim).nodes
    ok(sim, f"sim node fail {node}")
    sim.advance(60)
    ok(sim, "kubectl create deployment web --image=nginx:1.27")
    sim.advance(2)
    (pod,) = live_pods(sim, "web")
    assert pod.unschedulable == (
        "0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. "
        "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.")


def test_mixed_reasons_are_sorted_as_strings():
    sim = make_sim()
    deploy(sim, replicas=14, settle=10)
    node = sorted(cluster(sim).nodes)[0]
    ok(sim, f"sim node fail {node}")
    sim.advance(55)
    ok(sim, "kubectl create deployment api --image=nginx:1.27 --replicas=10")
    sim.advance(2)
    messages = {p.unschedulable for p in live_pods(sim, "api") if p.node is None}
    assert messages == {
        "0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, "
        "2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
        "2 No preemption victims found for incoming pod."}


def test_cordoned_node_reason():
    sim = make_sim(nodes=1)
    (node,) = cluster(sim).nodes
    ok(sim, f"kubectl cordon {node}")
    ok(sim, "kubectl create deployment web --image=nginx:1.27")
    sim.advance(2)
    (pod,) = live_pods(sim, "web")
    assert pod.unschedulable.startswith("0/1 nodes are available: 1 node(s) were unschedulable.")


def test_no_nodes_at_all():
    sim = make_sim(nodes=1)
    ok(sim, f"gcloud container clusters resize demo --num-nodes=0 --zone={ZONE}")
    ok(sim, "kubectl create deployment web --image=nginx:1.27")
    sim.advance(2)
    (pod,) = live_pods(sim, "web")
    assert pod.node is None and pod.unschedulable == "no nodes available to schedule pods"


def test_regional_cluster_spreads_replicas_across_zones():
    sim = Simulation(seed=4)
    ok(sim, "gcloud container clusters create demo --num-nodes=2 --region=asia-northeast3")
    pods = deploy(sim, replicas=3)
    assert sorted(cluster(sim).nodes[p.node].zone for p in pods) == [
        "asia-northeast3-a", "asia-northeast3-b", "asia-northeast3-c"]


def test_three_replicas_spread_over_three_nodes():
    for seed in range(1, 6):
        sim = make_sim(seed=seed)
        pods = deploy(sim, replicas=3)
        assert len({p.node for p in pods}) == 3, f"seed {seed}"


def test_six_replicas_put_two_on_each_node():
    for seed in range(1, 6):
        sim = make_sim(seed=seed)
        pods = deploy(sim, replicas=6)
        assert sorted(Counter(p.node for p in pods).values()) == [2, 2, 2], f"seed {seed}"


def test_scaling_up_keeps_the_spread_even():
    sim = make_sim()
    deploy(sim, replicas=2)
    ok(sim, "kubectl scale deployment web --replicas=9")
    sim.advance(30)
    assert sorted(Counter(p.node for p in running(sim, "web")).values()) == [3, 3, 3]


def test_node_with_more_free_cpu_wins():
    sim = Simulation.from_scenario({
        "clusters": [{"name": "demo", "nodes": [
            {"name": "small", "cpu": "2", "memory": "8Gi"},
            {"name": "large", "cpu": "8", "memory": "8Gi"},
        ]}],
    }, seed=3)
    for i in range(3):
        ok(sim, f"kubectl run p{i} --image=nginx:1.27")
    sim.advance(2)
    assert {cluster(sim).pods[f"default/p{i}"].node for i in range(3)} == {"large"}


def test_busier_node_loses_to_an_idle_one():
    sim = make_sim(nodes=2)
    first, second = sorted(cluster(sim).nodes)
    ok(sim, f"kubectl cordon {second}")
    for i in range(4):
        ok(sim, f"kubectl run busy{i} --image=nginx:1.27")
    sim.advance(2)
    ok(sim, f"kubectl uncordon {second}")
    ok(sim, "kubectl run fresh --image=nginx:1.27")
    sim.advance(2)
    assert cluster(sim).pods["default/fresh"].node == second


def test_same_seed_same_placement():
    def placement(seed):
        sim = make_sim(seed=seed)
        deploy(sim, replicas=5)
        order = list(cluster(sim).nodes)
        return [(p.name, order.index(p.node)) for p in pods_of(sim, "web")]

    assert placement(11) == placement(11)


def test_ties_are_broken_by_the_seed():
    """One bare pod and three identical nodes: which node wins is a coin toss that the seed decides."""
    choices = set()
    for seed in range(1, 9):
        sim = make_sim(seed=seed)
        ok(sim, "kubectl run solo --image=nginx:1.27")
        sim.advance(2)
        choices.add(list(cluster(sim).nodes).index(cluster(sim).pods["default/solo"].node))
    assert len(choices) > 1


def test_no_node_is_over_committed():
    sim = make_sim()
    deploy(sim, "web", replicas=25, settle=10)
    deploy(sim, "api", replicas=10, image="redis:7.4", settle=10)
    ok(sim, "kubectl scale deployment web --replicas=40")
    sim.advance(20)
    c = cluster(sim)
    for node in c.nodes.values():
        bound = [p for p in c.pods.values() if p.node == node.name]
        assert sum(p.cpu for p in bound) <= node.cpu
        assert sum(p.memory for p in bound) <= node.memory
        assert len(bound) <= node.max_pods


def test_scheduled_event_names_the_node():
    sim = make_sim()
    pods = deploy(sim, replicas=1)
    (event,) = [e for e in cluster(sim).events if e.reason == "Scheduled"]
    assert event.message == f"Successfully assigned default/{pods[0].name} to {pods[0].node}"
    assert event.source == "default-scheduler"
