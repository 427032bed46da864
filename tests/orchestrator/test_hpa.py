"""The HorizontalPodAutoscaler: kubectl autoscale, get hpa, the replica formula, rate limits and stabilization."""

from tests.orchestrator.conftest import assert_aligned, cluster, fails, make_sim, ok, table_rows

PHP = "registry.k8s.io/hpa-example"  # 20 millicores per request per second, idle 1m


def php(replicas: int = 1, hpa: str | None = "--cpu=50% --min=1 --max=10", limit: str = "2"):
    """A php-apache deployment (200m request, ``limit`` cores of CPU limit) behind a service, and an HPA."""
    sim = make_sim(nodes=3, machine_type="e2-standard-8")
    ok(sim, f"kubectl create deployment php --image={PHP} --replicas={replicas}")
    ok(sim, f"kubectl set resources deployment php --requests=cpu=200m --limits=cpu={limit}")
    sim.advance(30)
    ok(sim, "kubectl expose deployment php --port=80")
    if hpa:
        ok(sim, f"kubectl autoscale deployment php {hpa}")
    return sim


def usage_rps(percent_of_200m: float, pods: int) -> float:
    """The service load that makes each of ``pods`` pods use ``percent`` of its 200m request."""
    return (2 * percent_of_200m - 1) / 20 * pods


def replicas(sim) -> int:
    return cluster(sim).deployments["default/php"].replicas


def hpa(sim):
    return cluster(sim).hpas["default/php"]


def test_autoscale_prints_the_created_object():
    sim = php(hpa=None)
    assert ok(sim, "kubectl autoscale deployment php --cpu-percent=50 --min=1 --max=10") == (
        "horizontalpodautoscaler.autoscaling/php autoscaled")
    assert hpa(sim).cpu_target == 50


def test_autoscale_accepts_the_cpu_flag_with_a_percent_sign():
    sim = php(hpa="--cpu=65% --max=4")
    assert (hpa(sim).cpu_target, hpa(sim).min_replicas, hpa(sim).max_replicas) == (65, 1, 4)


def test_autoscale_errors():
    sim = php(hpa=None)
    assert "--max" in fails(sim, "kubectl autoscale deployment php --min=1")
    assert fails(sim, "kubectl autoscale deployment php --min=5 --max=2") == (
        "error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: 2, min: 5")
    assert fails(sim, "kubectl autoscale deployment nope --max=3") == (
        'Error from server (NotFound): deployments.apps "nope" not found')
    ok(sim, "kubectl autoscale deployment php --max=3")
    assert fails(sim, "kubectl autoscale deployment php --max=3") == (
        'Error from server (AlreadyExists): horizontalpodautoscalers.autoscaling "php" already exists')


def test_get_hpa_columns_before_and_after_metrics():
    sim = php()
    text = ok(sim, "kubectl get hpa")
    assert_aligned(text)
    (row,) = table_rows(text)
    assert row == {"NAME": "php", "REFERENCE": "Deployment/php", "TARGETS": "cpu: <unknown>/50%", "MINPODS": "1",
                   "MAXPODS": "10", "REPLICAS": "0", "AGE": "0s"}
    sim.advance(20)
    (row,) = table_rows(ok(sim, "kubectl get hpa"))
    assert row["TARGETS"] == "cpu: 0%/50%" and row["REPLICAS"] == "1"


def test_one_pod_at_601_percent_wants_13_and_the_rate_limit_gives_5_then_10():
    sim = php()
    ok(sim, f"sim traffic php {usage_rps(601, 1)}")
    sim.advance(16)  # the load reaches the pod; the HPA syncs every 15 s
    while hpa(sim).current_utilization in (None, 0):
        sim.advance(1)
    assert hpa(sim).current_utilization == 601
    assert replicas(sim) == 5  # ceil(1 × 601 / 50) = 13, but at most max(1 + 4, 2 × 1) in 15 s
    seen = [5]
    for _ in range(4):
        sim.advance(15)
        seen.append(replicas(sim))
    assert 10 in seen and max(seen) == 10  # then at most max(5 + 4, 2 × 5) = 10, which is also --max
    messages = [e.message for e in cluster(sim).events if e.reason == "SuccessfulRescale"]
    reason = "cpu resource utilization (percentage of request) above target"
    assert messages[:2] == [f"New size: 5; reason: {reason}", f"New size: 10; reason: {reason}"]
    assert (hpa(sim).scale_ups, hpa(sim).scale_downs) == (2, 0)
    event = next(e for e in cluster(sim).events if e.reason == "SuccessfulRescale")
    assert (event.kind, event.source, event.type) == ("HorizontalPodAutoscaler", "horizontal-pod-autoscaler", "Normal")


def test_within_ten_percent_of_the_target_nothing_changes():
    sim = php(replicas=2, hpa=None)
    ok(sim, f"sim traffic php {usage_rps(54.5, 2)}")
    sim.advance(5)
    ok(sim, "kubectl autoscale deployment php --cpu=50% --min=1 --max=10")
    sim.advance(120)
    assert hpa(sim).current_utilization == 54 and replicas(sim) == 2


def test_just_past_the_tolerance_scales_up_by_the_formula():
    sim = php(replicas=2, hpa=None)
    ok(sim, f"sim traffic php {usage_rps(56.5, 2)}")
    sim.advance(5)
    ok(sim, "kubectl autoscale deployment php --cpu=50% --min=1 --max=10")
    sim.advance(2)
    assert hpa(sim).current_utilization == 56
    assert replicas(sim) == 3  # ceil(2 × 56 / 50) = ceil(2.24)


def test_a_new_hpa_waits_the_stabilization_window_before_its_first_scale_down():
    """The controller seeds its recommendations with the current replica count (recordInitialRecommendation),
    so an idle deployment is not cut down the moment an HPA is created."""
    sim = php(replicas=3, hpa="--cpu=50% --min=1 --max=10")
    created = sim.time
    sim.advance(290)
    assert replicas(sim) == 3
    sim.advance(30)
    assert replicas(sim) == 1
    assert sim.time - created > 300


def test_scale_down_waits_for_the_five_minute_stabilization_window():
    sim = php(hpa="--cpu=50% --min=2 --max=10")
    ok(sim, f"sim traffic php {usage_rps(300, 2)}")
    sim.advance(120)
    high = replicas(sim)
    assert high > 2
    ok(sim, "sim traffic php 0")
    quiet = sim.time
    while sim.time < quiet + 285:
        sim.advance(5)
        assert replicas(sim) == high
    sim.advance(30)
    assert replicas(sim) == 2  # the minimum, all at once: the default policy allows 100 % down per 15 s
    assert hpa(sim).scale_downs == 1
    last = [e.message for e in cluster(sim).events if e.reason == "SuccessfulRescale"][-1]
    assert last == "New size: 2; reason: All metrics below target"


def test_raising_a_deployment_to_the_minimum_says_so():
    sim = php(hpa="--cpu=50% --min=3 --max=10")
    sim.advance(16)
    assert replicas(sim) == 3
    (event,) = [e for e in cluster(sim).events if e.reason == "SuccessfulRescale"]
    assert event.message == "New size: 3; reason: Current number of replicas below Spec.MinReplicas"


def test_a_deployment_scaled_past_the_maximum_is_brought_back():
    sim = php(hpa="--cpu=50% --min=1 --max=4")
    sim.advance(16)
    ok(sim, "kubectl scale deployment php --replicas=8")
    sim.advance(16)
    assert replicas(sim) == 4
    last = [e.message for e in cluster(sim).events if e.reason == "SuccessfulRescale"][-1]
    assert last == "New size: 4; reason: Current number of replicas above Spec.MaxReplicas"


def test_huge_load_never_goes_past_max_and_no_load_never_below_min():
    sim = php(hpa="--cpu=50% --min=2 --max=6")
    ok(sim, "sim traffic php 5000")
    for _ in range(20):
        sim.advance(15)
        assert 2 <= replicas(sim) <= 6
    assert replicas(sim) == 6
    ok(sim, "sim traffic php 0")
    for _ in range(30):
        sim.advance(15)
        assert 2 <= replicas(sim) <= 6
    assert replicas(sim) == 2
