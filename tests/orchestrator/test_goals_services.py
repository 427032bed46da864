"""Goals about services, traffic and autoscaling, driven through real commands (helpers in test_goals.py)."""


from tests.orchestrator.conftest import ok
from tests.orchestrator.test_goals import fails_goal, numbers, passes, served_world, web_world

# --- services, traffic, autoscaling -----------------------------------------------------------------


def test_service_type_endpoints_and_external_ip():
    sim = web_world()
    spec = {"service": {"service": "web", "type": "LoadBalancer", "endpoints_at_least": 3}}
    assert "kubectl expose deployment" in fails_goal(sim, spec)
    ok(sim, "kubectl expose deployment web --port=80")
    message = fails_goal(sim, spec)
    assert "LoadBalancer여야" in message and "지금은 ClusterIP다" in message
    ok(sim, "kubectl delete service web")
    ok(sim, "kubectl expose deployment web --port=80 --type=LoadBalancer")
    passes(sim, spec)
    assert "아직 없다" in fails_goal(sim, {"service": {"service": "web", "external_ip": True}})
    sim.advance(60)
    passes(sim, {"service": {"service": "web", "external_ip": True}})
    message = fails_goal(sim, {"service": {"service": "web", "endpoints_at_least": 4}})
    assert numbers(message)[-2:] == ["4", "3"]


def test_traffic_without_load_hints_at_sim_traffic():
    sim = web_world()
    ok(sim, "kubectl expose deployment web --port=80")
    message = fails_goal(sim, {"traffic": {"service": "web", "max_error_rate": 0.01, "min_rps": 50}})
    assert "sim traffic web 50" in message


def test_traffic_error_rate_and_minimum_load():
    sim = served_world()
    message = passes(sim, {"traffic": {"service": "web", "max_error_rate": 0.01}})
    assert "1% 이하다" in message and "100" in message
    message = fails_goal(sim, {"traffic": {"service": "web", "max_error_rate": 0.01, "min_rps": 500}})
    assert "500" in message and "100" in message


def test_traffic_fails_when_the_pods_are_overwhelmed():
    sim = served_world()
    ok(sim, "sim traffic web 50000")
    sim.advance(5)
    message = fails_goal(sim, {"traffic": {"service": "web", "max_error_rate": 0.05}})
    assert "5% 이하여야" in message and "50000" in message


def test_traffic_with_no_ready_endpoints_is_all_errors():
    sim = served_world()
    ok(sim, "kubectl scale deployment web --replicas=0")
    sim.advance(40)
    assert "100%" in fails_goal(sim, {"traffic": {"service": "web", "max_error_rate": 0.5}})


def test_hpa_goal_checks_bounds_and_target():
    sim = web_world()
    spec = {"hpa": {"deployment": "web", "min": 2, "max": 6, "cpu_target": 50}}
    assert "kubectl autoscale deployment web --min=2 --max=6 --cpu-percent=50" in fails_goal(sim, spec)
    ok(sim, "kubectl autoscale deployment web --min=2 --max=5 --cpu-percent=50")
    message = fails_goal(sim, spec)
    assert "최대 레플리카가 6개여야" in message and "지금은 5개다" in message
    ok(sim, "kubectl delete hpa web")
    ok(sim, "kubectl autoscale deployment web --min=2 --max=6 --cpu-percent=50")
    passes(sim, spec)
    passes(sim, {"hpa": {"hpa": "web", "cpu_target": 50}})
    assert "CPU 목표 사용률이 80%여야" in fails_goal(sim, {"hpa": {"hpa": "web", "cpu_target": 80}})


def test_hpa_scaled_up_under_load():
    sim = served_world()
    ok(sim, "kubectl autoscale deployment web --min=3 --max=6 --cpu-percent=50")
    sim.advance(30)
    spec = {"hpa_scaled": {"deployment": "web", "direction": "up"}}
    message = fails_goal(sim, spec)
    assert "sim traffic" in message and "50%" in message
    fails_goal(sim, {"hpa_scaled": {"deployment": "web"}})
    ok(sim, "sim traffic web 3000")
    sim.advance(60)
    assert "늘렸다" in passes(sim, spec)
    passes(sim, {"hpa_scaled": {"deployment": "web"}})
    fails_goal(sim, {"hpa_scaled": {"deployment": "web", "direction": "down"}})


def test_hpa_scaled_is_remembered_after_the_rate_policy_window():
    sim = served_world()
    ok(sim, "kubectl autoscale deployment web --min=3 --max=6 --cpu-percent=50")
    ok(sim, "sim traffic web 3000")
    sim.advance(60)
    ok(sim, "sim traffic web 3000")
    sim.advance(600)  # HorizontalPodAutoscaler.scale_events only keeps five minutes
    passes(sim, {"hpa_scaled": {"deployment": "web", "direction": "up"}})


def test_hpa_scaled_down_when_load_drops():
    sim = served_world()
    ok(sim, "kubectl autoscale deployment web --min=3 --max=6 --cpu-percent=50")
    ok(sim, "sim traffic web 3000")
    sim.advance(60)
    spec = {"hpa_scaled": {"deployment": "web", "direction": "down"}}
    message = fails_goal(sim, spec)
    assert "줄인 적이 없다" in message and "5분" in message
    ok(sim, "sim traffic web 10")
    sim.advance(400)  # past the 300 s scale-down stabilization window
    assert "줄였다" in passes(sim, spec)
