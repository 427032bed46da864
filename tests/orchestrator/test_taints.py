"""kubectl taint, and what taints do to scheduling and to running pods."""

from tests.orchestrator.conftest import fails, make_sim, ok


def _nodes(sim):
    return sorted(sim.current_cluster().nodes)


def _apply(sim, manifest: str) -> str:
    return ok(sim, "kubectl apply -f -\n" + manifest)


def test_taint_and_untaint_print_kubectls_lines():
    sim = make_sim()
    node = _nodes(sim)[0]
    assert ok(sim, f"kubectl taint nodes {node} dedicated=gpu:NoSchedule") == f"node/{node} tainted"
    assert sim.current_cluster().nodes[node].taints[0]["key"] == "dedicated"
    assert ok(sim, f"kubectl taint nodes {node} dedicated:NoSchedule-") == f"node/{node} untainted"
    assert fails(sim, f"kubectl taint nodes {node} dedicated-") == 'error: taint "dedicated" not found'


def test_taint_refuses_bad_effects_and_duplicates():
    sim = make_sim()
    node = _nodes(sim)[0]
    assert fails(sim, f"kubectl taint nodes {node} a=b:Sometimes") == (
        "error: invalid taint effect: Sometimes, unsupported taint effect")
    ok(sim, f"kubectl taint nodes {node} a=b:NoSchedule")
    assert "--overwrite is false" in fails(sim, f"kubectl taint nodes {node} a=c:NoSchedule")
    ok(sim, f"kubectl taint nodes {node} a=c:NoSchedule --overwrite")
    assert [t["value"] for t in sim.current_cluster().nodes[node].taints] == ["c"]


def test_noschedule_taint_keeps_new_pods_away_unless_tolerated():
    sim = make_sim(nodes=1)
    node = _nodes(sim)[0]
    ok(sim, f"kubectl taint nodes {node} dedicated=gpu:NoSchedule")
    ok(sim, "kubectl create deployment web --image=nginx:1.27")
    sim.advance(5)
    pod = next(p for p in sim.current_cluster().pods.values() if p.namespace == "default")
    assert pod.node is None
    assert "1 node(s) had untolerated taint {dedicated: gpu}" in pod.unschedulable
    _apply(sim, """apiVersion: v1
kind: Pod
metadata:
  name: tolerant
spec:
  tolerations:
  - {key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}
  containers:
  - {name: app, image: nginx:1.27}
""")
    sim.advance(5)
    assert sim.current_cluster().pods["default/tolerant"].node == node


def test_noexecute_taint_evicts_pods_that_do_not_tolerate_it_but_not_system_daemons():
    sim = make_sim()
    node = _nodes(sim)[0]
    ok(sim, "kubectl create deployment web --image=nginx:1.27 --replicas=6")
    sim.advance(30)
    cluster = sim.current_cluster()
    assert any(p.node == node for p in cluster.pods.values() if p.namespace == "default")
    ok(sim, f"kubectl taint nodes {node} maintenance=now:NoExecute")
    sim.advance(30)
    on_node = [p for p in cluster.pods.values() if p.node == node]
    assert all(p.namespace == "kube-system" for p in on_node)
    assert sum(1 for p in cluster.pods.values() if p.namespace == "default" and p.ready) == 6
