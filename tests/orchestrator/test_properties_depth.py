"""Invariants of the controllers under random input: HPA bounds, rolling-update availability, CA max size."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orchestrator import Simulation
from orchestrator.controllers.deployment import surge_and_unavailable
from tests.orchestrator.conftest import ZONE, cluster, live_pods, make_sim, ok

QUICK = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(low=st.integers(1, 3), span=st.integers(0, 5),
       loads=st.lists(st.sampled_from([0, 5, 20, 60, 150, 400, 2000]), min_size=1, max_size=6))
def test_hpa_replicas_stay_within_min_and_max(low, span, loads):
    high = low + span
    sim = make_sim(nodes=2, machine_type="e2-standard-8")
    ok(sim, "kubectl create deployment php --image=registry.k8s.io/hpa-example --replicas=0")
    ok(sim, "kubectl set resources deployment php --requests=cpu=200m")
    ok(sim, "kubectl scale deployment php --replicas=1")
    ok(sim, "kubectl expose deployment php --port=80")
    ok(sim, f"kubectl autoscale deployment php --cpu=50% --min={low} --max={high}")
    sim.advance(16)  # the first sync brings the deployment into range
    d = cluster(sim).deployments["default/php"]
    for rps in loads:
        ok(sim, f"sim traffic php {rps}")
        for _ in range(8):
            sim.advance(15)
            assert low <= d.replicas <= high


@QUICK
@given(replicas=st.integers(1, 8), surge=st.sampled_from(["0", "1", "2", "3", "25%", "50%", "100%"]),
       unavailable=st.sampled_from(["0", "1", "2", "25%", "50%"]), seed=st.integers(0, 50))
def test_a_rolling_update_keeps_enough_pods_available(replicas, surge, unavailable, seed):
    sim = make_sim(seed=seed, nodes=3, machine_type="e2-standard-4")
    ok(sim, f"kubectl create deployment web --image=nginx:1.27 --replicas={replicas}")
    d = cluster(sim).deployments["default/web"]
    d.max_surge, d.max_unavailable = surge, unavailable
    sim.advance(30)
    _, max_unavailable = surge_and_unavailable(d)
    ok(sim, "kubectl set image deployment/web nginx=nginx:1.26")
    for _ in range(120):
        ready = [p for p in live_pods(sim, "web") if p.ready]
        assert len(ready) >= replicas - max_unavailable
        sim.advance(1)
    assert {p.containers[0]["image"] for p in live_pods(sim, "web")} == {"nginx:1.26"}
    assert len([p for p in live_pods(sim, "web") if p.ready]) == replicas


@QUICK
@given(high=st.integers(1, 4), steps=st.lists(st.tuples(st.integers(0, 14), st.sampled_from([5, 30, 120, 700])),
                                              min_size=1, max_size=5))
def test_the_cluster_autoscaler_never_exceeds_the_maximum(high, steps):
    sim = Simulation(seed=high)
    ok(sim, f"gcloud container clusters create demo --zone={ZONE} --num-nodes=1 --enable-autoscaling "
            f"--min-nodes=1 --max-nodes={high}")
    ok(sim, "kubectl create deployment web --image=nginx:1.27 --replicas=0")
    ok(sim, "kubectl set resources deployment web --requests=cpu=300m")
    pool = cluster(sim).node_pools[0]
    for replicas, wait in steps:
        ok(sim, f"kubectl scale deployment web --replicas={replicas}")
        for _ in range(wait // 5):
            sim.advance(5)
            assert 1 <= len(cluster(sim).nodes) <= high
            assert len(cluster(sim).nodes) + len(pool.provisioning) <= high
