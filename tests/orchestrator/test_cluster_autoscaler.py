"""GKE's cluster autoscaler: scale up for pending pods, scale down underused nodes, the gcloud flags."""

import re

from orchestrator import Simulation
from orchestrator.controllers.cluster_autoscaler import PROVISION_SECONDS
from tests.orchestrator.conftest import ZONE, cluster, fails, live_pods, ok

# e2-medium: 940m allocatable, 218m for GKE's system pods, so two 300m pods fit on a node.
CREATE = f"gcloud container clusters create demo --zone={ZONE} --enable-autoscaling --min-nodes=1 --max-nodes=4"


def autoscaled(nodes: int = 1, seed: int = 3) -> Simulation:
    sim = Simulation(seed=seed)
    ok(sim, f"{CREATE} --num-nodes={nodes}")
    return sim


def web(sim, replicas: int, cpu: str = "300m", name: str = "web") -> None:
    """A deployment of ``replicas`` pods requesting ``cpu`` each (set before any pod exists: no rollout)."""
    ok(sim, f"kubectl create deployment {name} --image=nginx:1.27 --replicas=0")
    ok(sim, f"kubectl set resources deployment {name} --requests=cpu={cpu}")
    ok(sim, f"kubectl scale deployment {name} --replicas={replicas}")


def pool(sim):
    return cluster(sim).node_pools[0]


def pending(sim) -> list:
    return [p for p in live_pods(sim, "web") if p.node is None]


def autoscaler_events(sim, reason: str) -> list:
    return [e for e in cluster(sim).events if e.reason == reason and e.source == "cluster-autoscaler"]


def test_create_with_autoscaling_shows_in_describe():
    sim = autoscaled()
    text = ok(sim, f"gcloud container clusters describe demo --zone={ZONE}")
    assert "- autoscaling:\n    enabled: true\n    maxNodeCount: 4\n    minNodeCount: 1\n" in text
    assert pool(sim).autoscaling == {"min": 1, "max": 4}


def test_pending_pods_trigger_a_scale_up_and_the_nodes_arrive_after_provisioning():
    sim = autoscaled()
    web(sim, 6)
    sim.advance(11)
    assert len(cluster(sim).nodes) == 1 and len(pool(sim).provisioning) == 2
    events = autoscaler_events(sim, "TriggeredScaleUp")
    assert events and events[0].kind == "Pod" and events[0].type == "Normal"
    assert re.fullmatch(r"pod triggered scale-up: \[\{https://www\.googleapis\.com/compute/v1/projects/k8s-learning/"
                        r"zones/asia-northeast3-a/instanceGroups/gke-demo-default-pool-[0-9a-f]{8}-grp 1->3 "
                        r"\(max: 4\)\}\]", events[0].message), events[0].message
    ordered = events[0].first
    sim.advance(ordered + PROVISION_SECONDS - 1 - sim.time)
    assert len(cluster(sim).nodes) == 1
    sim.advance(2)
    assert len(cluster(sim).nodes) == 3
    sim.advance(30)
    assert not pending(sim) and all(p.ready for p in live_pods(sim, "web"))


def test_no_second_order_while_the_first_nodes_are_coming():
    """Nodes being provisioned, and nodes that just registered, already count for the pending pods:
    six 300m pods need three e2-medium nodes, never four."""
    sim = autoscaled()
    web(sim, 6)
    for _ in range(30):
        sim.advance(10)
        assert len(cluster(sim).nodes) + len(pool(sim).provisioning) <= 3
    assert len(cluster(sim).nodes) == 3 and not pending(sim)


def test_never_above_the_maximum_and_says_why():
    sim = autoscaled()
    web(sim, 20)
    for _ in range(40):
        sim.advance(10)
        assert len(cluster(sim).nodes) + len(pool(sim).provisioning) <= 4
    assert len(cluster(sim).nodes) == 4
    assert len(pending(sim)) == 20 - 8
    messages = {e.message for e in autoscaler_events(sim, "NotTriggerScaleUp")}
    assert messages == {"pod didn't trigger scale-up: 1 max node group size reached"}


def test_a_pod_too_big_for_any_node_does_not_trigger_a_scale_up():
    sim = autoscaled()
    web(sim, 1, cpu="4")
    sim.advance(30)
    assert not pool(sim).provisioning and len(cluster(sim).nodes) == 1
    (event, *_) = autoscaler_events(sim, "NotTriggerScaleUp")
    assert event.message == "pod didn't trigger scale-up: 1 Insufficient cpu"


def test_underused_nodes_are_removed_after_ten_minutes_but_never_below_the_minimum():
    sim = autoscaled(nodes=3)
    sim.advance(590)
    assert len(cluster(sim).nodes) == 3
    sim.advance(30)
    assert len(cluster(sim).nodes) == 1
    assert len(autoscaler_events(sim, "ScaleDownEmpty")) == 2
    sim.advance(1800)
    assert len(cluster(sim).nodes) == 1


def test_no_scale_down_within_ten_minutes_of_a_scale_up():
    sim = autoscaled()
    web(sim, 1, name="keep")  # keeps the first node over half full, so it is never a candidate
    sim.advance(30)
    web(sim, 4)
    sim.advance(150)
    assert len(cluster(sim).nodes) >= 3
    ok(sim, "kubectl delete deployment web")
    scaled_up = autoscaler_events(sim, "TriggeredScaleUp")[-1].first
    while sim.time < scaled_up + 600 - 5:
        sim.advance(5)
        assert len(cluster(sim).nodes) >= 3
    sim.advance(630)
    assert len(cluster(sim).nodes) == 1


def test_busy_nodes_stay():
    sim = autoscaled(nodes=2)
    web(sim, 4)
    sim.advance(1500)
    assert len(cluster(sim).nodes) == 2 and all(p.ready for p in live_pods(sim, "web"))


def test_update_turns_autoscaling_on_and_off():
    sim = Simulation(seed=3)
    ok(sim, f"gcloud container clusters create demo --zone={ZONE} --num-nodes=1")
    assert pool(sim).autoscaling is None
    text = ok(sim, f"gcloud container clusters update demo --zone={ZONE} --enable-autoscaling --min-nodes=1 "
                   "--max-nodes=3")
    assert text.startswith("Updating demo...done.\nUpdated [https://container.googleapis.com/v1/projects/"
                           "k8s-learning/zones/asia-northeast3-a/clusters/demo].")
    assert pool(sim).autoscaling == {"min": 1, "max": 3}
    web(sim, 4)
    sim.advance(200)
    grown = len(cluster(sim).nodes)
    assert 2 <= grown <= 3 and not pending(sim)
    ok(sim, f"gcloud container clusters update demo --zone={ZONE} --no-enable-autoscaling")
    assert pool(sim).autoscaling is None
    ok(sim, "kubectl scale deployment web --replicas=10")
    sim.advance(1200)
    assert len(cluster(sim).nodes) == grown and not pool(sim).provisioning


def test_autoscaling_flag_errors():
    sim = Simulation(seed=3)
    assert fails(sim, f"gcloud container clusters create demo --zone={ZONE} --max-nodes=3") == (
        "ERROR: (gcloud.container.clusters.create) Cannot specify --max-nodes without --enable-autoscaling.")
    assert fails(sim, f"gcloud container clusters create demo --zone={ZONE} --enable-autoscaling --min-nodes=1") == (
        "ERROR: (gcloud.container.clusters.create) Must specify --max-nodes (or --total-max-nodes) with "
        "--enable-autoscaling.")
    text = fails(sim, f"gcloud container clusters create demo --zone={ZONE} --enable-autoscaling --min-nodes=5 "
                      "--max-nodes=2")
    assert text.startswith("ERROR: (gcloud.container.clusters.create) ResponseError: code=400")
    assert "min node count 5 and max node count 2" in text
    assert not sim.clusters
    ok(sim, f"gcloud container clusters create demo --zone={ZONE} --num-nodes=1")
    assert fails(sim, f"gcloud container clusters update demo --zone={ZONE} --min-nodes=1").startswith(
        "ERROR: (gcloud.container.clusters.update)")
