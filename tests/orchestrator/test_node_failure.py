"""``sim node fail|recover``: the node lifecycle controller's grace period, taints and evictions."""

from tests.orchestrator.conftest import cluster, deploy, fails, has_hangul, live_pods, make_sim, ok, running, table_rows

UNREACHABLE = "node.kubernetes.io/unreachable"


def _failed_world(replicas=3):
    sim = make_sim()
    pods = deploy(sim, replicas=replicas)
    node = pods[0].node
    victims = {p.name for p in pods if p.node == node}
    text = ok(sim, f"sim node fail {node}")
    assert has_hangul(text)
    return sim, node, victims


def _status(sim, node):
    return {r["NAME"]: r["STATUS"] for r in table_rows(ok(sim, "kubectl get nodes"))}[node]


def test_node_stays_ready_for_the_grace_period():
    sim, node, _ = _failed_world()
    sim.advance(49)
    assert _status(sim, node) == "Ready"
    assert cluster(sim).nodes[node].taints == []


def test_node_becomes_not_ready_with_unreachable_taints_after_50s():
    sim, node, victims = _failed_world()
    sim.advance(50)
    assert _status(sim, node) == "NotReady"
    n = cluster(sim).nodes[node]
    assert n.ready == "Unknown"
    taints = sorted((t["key"], t["effect"]) for t in n.taints)
    assert taints == [(UNREACHABLE, "NoExecute"), (UNREACHABLE, "NoSchedule")]
    not_ready = [e for e in cluster(sim).events if e.reason == "NodeNotReady"]
    assert [e.message for e in not_ready] == [f"Node {node} status is now: NodeNotReady"]
    for name in victims:
        pod = cluster(sim).pods[f"default/{name}"]
        assert not pod.ready and not pod.terminating and pod.status_text == "Running"
    row = table_rows(ok(sim, "kubectl get deploy"))[0]
    assert (row["READY"], row["AVAILABLE"]) == (f"{3 - len(victims)}/3", str(3 - len(victims)))
    assert len(live_pods(sim, "web")) == 3  # nothing is replaced before the eviction


def test_pods_are_evicted_only_after_300s_of_not_ready():
    sim, node, victims = _failed_world()
    sim.advance(50 + 299)
    assert not any(cluster(sim).pods[f"default/{n}"].terminating for n in victims)
    sim.advance(1)
    assert all(cluster(sim).pods[f"default/{n}"].terminating for n in victims)
    evictions = {e.name for e in cluster(sim).events if e.reason == "TaintManagerEviction"}
    assert victims <= evictions
    messages = {e.message for e in cluster(sim).events if e.reason == "TaintManagerEviction"}
    assert {f"Marking for deletion Pod default/{n}" for n in victims} <= messages


def test_system_pods_tolerate_the_taint_and_stay():
    sim, node, _ = _failed_world()
    sim.advance(400)
    system = [p for p in cluster(sim).pods.values() if p.node == node and p.namespace == "kube-system"]
    assert len(system) == 4 and not any(p.terminating for p in system)


def test_replacements_run_on_other_nodes():
    sim, node, victims = _failed_world()
    sim.advance(400)
    pods = running(sim, "web")
    assert len(pods) == 3
    assert all(p.node != node for p in pods)
    rows = table_rows(ok(sim, "kubectl get pods"))
    assert {r["STATUS"] for r in rows if r["NAME"] in victims} == {"Terminating"}
    assert table_rows(ok(sim, "kubectl get deploy"))[0]["READY"] == "3/3"


def test_new_pods_avoid_the_not_ready_node():
    sim, node, _ = _failed_world()
    sim.advance(60)
    ok(sim, "kubectl create deployment api --image=nginx:1.27 --replicas=4")
    sim.advance(20)
    assert all(p.node != node for p in running(sim, "api"))
    assert len(running(sim, "api")) == 4


def test_recover_brings_the_node_back_and_cleans_up():
    sim, node, victims = _failed_world()
    sim.advance(400)
    text = ok(sim, f"sim node recover {node}")
    assert has_hangul(text)
    sim.advance(5)
    assert _status(sim, node) == "Ready"
    assert cluster(sim).nodes[node].taints == []
    assert all(f"default/{n}" not in cluster(sim).pods for n in victims)
    assert len(running(sim, "web")) == 3
    assert any(e.reason == "NodeReady" for e in cluster(sim).events)


def test_recover_before_the_grace_period_changes_nothing_visible():
    sim, node, victims = _failed_world()
    sim.advance(30)
    ok(sim, f"sim node recover {node}")
    sim.advance(60)
    assert _status(sim, node) == "Ready"
    assert {p.name for p in live_pods(sim, "web")} >= victims
    assert len(running(sim, "web")) == 3


def test_recover_after_not_ready_but_before_eviction_keeps_the_pods():
    sim, node, victims = _failed_world()
    sim.advance(100)
    ok(sim, f"sim node recover {node}")
    sim.advance(2)
    for name in victims:
        pod = cluster(sim).pods[f"default/{name}"]
        assert pod.ready and not pod.terminating
    sim.advance(600)
    assert not any(e.reason == "TaintManagerEviction" for e in cluster(sim).events)


def test_node_can_be_named_by_a_unique_suffix():
    sim = make_sim()
    node = sorted(cluster(sim).nodes)[0]
    ok(sim, f"sim node fail {node[-4:]}")
    assert cluster(sim).nodes[node].down_since is not None


def test_failing_twice_and_recovering_a_healthy_node_are_harmless():
    sim, node, _ = _failed_world()
    assert has_hangul(ok(sim, f"sim node fail {node}"))
    other = next(n for n in cluster(sim).nodes if n != node)
    assert has_hangul(ok(sim, f"sim node recover {other}"))


def test_fail_unknown_node():
    sim = make_sim()
    assert fails(sim, "sim node fail nope") == 'Error from server (NotFound): nodes "nope" not found'


def test_pods_on_a_failed_node_keep_their_state_until_it_returns():
    """With the kubelet gone nothing on the node changes: a pod being created there stays put."""
    sim = make_sim(nodes=1)
    ok(sim, "kubectl create deployment web --image=nginx:1.27")
    sim.advance(2)
    (pod,) = live_pods(sim, "web")
    assert pod.status_text == "ContainerCreating"
    ok(sim, f"sim node fail {pod.node}")
    sim.advance(40)
    assert pod.status_text == "ContainerCreating"
