"""Crashing apps and probes: restarts, CrashLoopBackOff back-off, liveness and readiness probes."""

import re

from tests.orchestrator.conftest import cluster, deploy, live_pods, make_sim, ok, table_rows

PROBED = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        livenessProbe:
          httpGet: {path: /healthz, port: 80}
        readinessProbe:
          httpGet: {path: /, port: 80}
          initialDelaySeconds: 15
"""


def history(sim, pod, seconds: int) -> list[tuple[float, str, int]]:
    """(time, STATUS, restarts) each time one of them changes, second by second."""
    seen, last = [], None
    for _ in range(seconds):
        sim.advance(1)
        now = (pod.status_text, pod.restarts)
        if now != last:
            seen.append((sim.time, *now))
            last = now
    return seen


def pod_events(sim, pod, reason: str) -> list:
    return [e for e in cluster(sim).events if e.kind == "Pod" and e.name == pod.name and e.reason == reason]


def test_a_crashing_app_without_probes_restarts_at_once_then_backs_off():
    sim = make_sim()
    (pod,) = deploy(sim, replicas=1)
    ok(sim, "sim app crash web")
    seen = history(sim, pod, 700)
    assert seen[0][1:] == ("Error", 1)
    assert seen[1][1:] == ("Running", 1) and seen[1][0] - seen[0][0] <= 1  # the first restart is immediate
    assert "CrashLoopBackOff" in {s for _, s, _ in seen}
    exits = [t for t, status, _ in seen if status == "Error"]
    starts = [t for t, status, _ in seen if status == "Running"]
    delays = [round(start - exit_) for exit_, start in zip(exits[1:], starts[1:], strict=False)]
    assert delays[:6] == [10, 20, 40, 80, 160, 300]
    assert pod_events(sim, pod, "BackOff")[0].message == (
        f"Back-off restarting failed container nginx in pod {pod.name}_default({pod.uid})")


def test_restarts_column_says_how_long_ago():
    sim = make_sim()
    (pod,) = deploy(sim, replicas=1)
    ok(sim, "sim app crash web")
    sim.advance(100)
    (row,) = table_rows(ok(sim, "kubectl get pods"))
    restarts, ago = re.fullmatch(r"(\d+) \((\S+) ago\)", row["RESTARTS"]).groups()
    assert int(restarts) == pod.restarts > 1
    assert ago == f"{int(sim.time - pod.last_restart)}s"
    assert row["READY"] == "0/1" or row["STATUS"] == "Running"


def test_heal_brings_the_pods_back_for_good():
    sim = make_sim()
    deploy(sim, replicas=2)
    ok(sim, "sim app crash web")
    sim.advance(120)
    ok(sim, "sim app heal web")
    sim.advance(320)  # longer than the longest back-off reached so far
    restarts = {p.name: p.restarts for p in live_pods(sim, "web")}
    assert all(p.status_text == "Running" and p.ready for p in live_pods(sim, "web"))
    sim.advance(600)
    assert {p.name: p.restarts for p in live_pods(sim, "web")} == restarts
    assert all(p.ready for p in live_pods(sim, "web"))


def test_a_failing_liveness_probe_restarts_the_container():
    sim = make_sim()
    ok(sim, "kubectl apply -f -\n" + PROBED)
    sim.advance(30)
    pod = live_pods(sim, "web")[0]
    assert pod.ready and pod.restarts == 0
    ok(sim, "sim app crash web")
    sim.advance(35)
    unhealthy = [e for e in pod_events(sim, pod, "Unhealthy") if e.message.startswith("Liveness")]
    assert unhealthy and unhealthy[0].type == "Warning"
    assert unhealthy[0].message == "Liveness probe failed: HTTP probe failed with statuscode: 500"
    (killing,) = pod_events(sim, pod, "Killing")
    assert killing.message == "Container nginx failed liveness probe, will be restarted"
    assert killing.first - unhealthy[0].first == 20  # failureThreshold 3, one probe every 10 s
    assert pod.restarts == 1


def test_readiness_keeps_a_pod_out_of_the_endpoints_until_it_passes():
    sim = make_sim()
    ok(sim, "kubectl apply -f -\n" + PROBED)
    ok(sim, "kubectl expose deployment web --port=80")
    sim.advance(12)
    assert all(p.phase == "Running" and not p.ready for p in live_pods(sim, "web"))
    (row,) = table_rows(ok(sim, "kubectl get endpoints web").split("\n", 1)[1])
    assert row["ENDPOINTS"] == "<none>"
    assert {r["READY"] for r in table_rows(ok(sim, "kubectl get pods"))} == {"0/1"}
    sim.advance(15)
    (row,) = table_rows(ok(sim, "kubectl get endpoints web").split("\n", 1)[1])
    assert sorted(row["ENDPOINTS"].split(",")) == sorted(f"{p.ip}:80" for p in live_pods(sim, "web"))


def test_pods_that_stop_being_ready_leave_the_endpoints():
    sim = make_sim()
    ok(sim, "kubectl apply -f -\n" + PROBED)
    ok(sim, "kubectl expose deployment web --port=80")
    sim.advance(30)
    ok(sim, "sim app crash web")
    sim.advance(12)
    readiness = [e for p in live_pods(sim, "web") for e in pod_events(sim, p, "Unhealthy")
                 if e.message.startswith("Readiness")]
    assert readiness
    (row,) = table_rows(ok(sim, "kubectl get endpoints web").split("\n", 1)[1])
    assert row["ENDPOINTS"] == "<none>"
    ok(sim, "sim app heal web")
    sim.advance(120)
    (row,) = table_rows(ok(sim, "kubectl get endpoints web").split("\n", 1)[1])
    assert len(row["ENDPOINTS"].split(",")) == 2
