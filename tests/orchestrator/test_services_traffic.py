"""Services and traffic: kubectl expose, the service columns, endpoints, load spread, overload, metrics."""

import json
import re

from orchestrator import Simulation
from orchestrator.controllers.traffic import SAMPLES_KEPT
from orchestrator.services import LB_PROVISION_SECONDS
from tests.orchestrator.conftest import assert_aligned, cluster, deploy, fails, live_pods, make_sim, ok, table_rows

DEPRECATION = "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"


def service_rows(sim) -> dict[str, dict[str, str]]:
    text = ok(sim, "kubectl get services")
    assert_aligned(text)
    return {r["NAME"]: r for r in table_rows(text)}


def stats(sim, name: str = "web") -> dict:
    return cluster(sim).services[f"default/{name}"].stats


def test_expose_prints_service_exposed_and_takes_the_image_port():
    sim = make_sim()
    deploy(sim)
    assert ok(sim, "kubectl expose deployment web") == "service/web exposed"
    row = service_rows(sim)["web"]
    assert (row["TYPE"], row["EXTERNAL-IP"], row["PORT(S)"]) == ("ClusterIP", "<none>", "80/TCP")
    assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+", row["CLUSTER-IP"])


def test_expose_errors():
    sim = make_sim()
    deploy(sim)
    ok(sim, "kubectl create deployment bb --image=busybox:1.36")
    assert fails(sim, "kubectl expose deployment bb") == (
        "error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples")
    ok(sim, "kubectl expose deployment web --port=80")
    assert fails(sim, "kubectl expose deployment web --port=80") == (
        'Error from server (AlreadyExists): services "web" already exists')
    assert fails(sim, "kubectl expose deployment web --port=80 --name=web2 --type=Foo") == (
        'The Service "web2" is invalid: spec.type: Unsupported value: "Foo": supported values: "ClusterIP", '
        '"ExternalName", "LoadBalancer", "NodePort"')
    assert fails(sim, "kubectl expose deployment nope --port=80") == (
        'Error from server (NotFound): deployments.apps "nope" not found')


def test_nodeport_and_loadbalancer_columns():
    sim = make_sim()
    deploy(sim)
    ok(sim, "kubectl expose deployment web --type=NodePort --port=80 --name=np")
    ok(sim, "kubectl expose deployment web --type=LoadBalancer --port=80 --target-port=80 --name=lb")
    rows = service_rows(sim)
    assert rows["np"]["TYPE"] == "NodePort" and rows["np"]["EXTERNAL-IP"] == "<none>"
    assert re.fullmatch(r"80:3\d{4}/TCP", rows["np"]["PORT(S)"])
    assert rows["lb"]["TYPE"] == "LoadBalancer" and rows["lb"]["EXTERNAL-IP"] == "<pending>"
    assert re.fullmatch(r"80:3\d{4}/TCP", rows["lb"]["PORT(S)"])
    assert rows["np"]["PORT(S)"] != rows["lb"]["PORT(S)"]
    assert rows["kubernetes"]["PORT(S)"] == "443/TCP"
    sim.advance(LB_PROVISION_SECONDS - 2)
    assert service_rows(sim)["lb"]["EXTERNAL-IP"] == "<pending>"
    sim.advance(3)
    external = service_rows(sim)["lb"]["EXTERNAL-IP"]
    assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+", external)
    reasons = [e.reason for e in cluster(sim).events if e.kind == "Service"]
    assert reasons == ["EnsuringLoadBalancer", "EnsuredLoadBalancer"]


def test_get_endpoints_lists_ready_pod_ips_after_a_deprecation_warning():
    sim = make_sim()
    pods = deploy(sim, replicas=2)
    ok(sim, "kubectl expose deployment web --port=80")
    warning, *table = ok(sim, "kubectl get endpoints web").split("\n")
    assert warning == DEPRECATION
    (row,) = table_rows("\n".join(table))
    assert sorted(row["ENDPOINTS"].split(",")) == sorted(f"{p.ip}:80" for p in pods)
    ok(sim, "kubectl scale deployment web --replicas=3")
    sim.advance(1)
    (row,) = table_rows(ok(sim, "kubectl get endpoints web").split("\n", 1)[1])
    assert len(row["ENDPOINTS"].split(",")) == 2  # the new pod is not ready yet
    sim.advance(30)
    (row,) = table_rows(ok(sim, "kubectl get endpoints web").split("\n", 1)[1])
    assert len(row["ENDPOINTS"].split(",")) == 3


def test_traffic_spreads_evenly_over_ready_endpoints_only():
    sim = make_sim()
    deploy(sim, replicas=2)
    ok(sim, "kubectl expose deployment web --port=80")
    ok(sim, "sim traffic web 100")
    sim.advance(2)
    assert [p.rps for p in live_pods(sim, "web")] == [50.0, 50.0]
    ok(sim, "kubectl scale deployment web --replicas=4")
    sim.advance(1)
    ready = [p for p in live_pods(sim, "web") if p.ready]
    starting = [p for p in live_pods(sim, "web") if not p.ready]
    assert len(ready) == 2 and len(starting) == 2
    assert {p.rps for p in ready} == {50.0} and {p.rps for p in starting} == {0.0}
    sim.advance(30)
    assert {p.rps for p in live_pods(sim, "web")} == {25.0}
    assert stats(sim) == {"served": 100.0, "errors": 0.0, "latency_ms": stats(sim)["latency_ms"], "endpoints": 4}


def test_a_service_with_no_ready_endpoint_fails_every_request():
    sim = make_sim()
    deploy(sim, replicas=2)
    ok(sim, "kubectl expose deployment web --port=80")
    ok(sim, "sim traffic web 40")
    ok(sim, "sim app crash web")
    sim.advance(20)
    assert not any(p.ready for p in live_pods(sim, "web"))
    assert stats(sim) == {"served": 0.0, "errors": 40.0, "latency_ms": 0.0, "endpoints": 0}
    (row,) = table_rows(ok(sim, "kubectl get endpoints web").split("\n", 1)[1])
    assert row["ENDPOINTS"] == "<none>"


def test_overload_produces_errors_and_higher_latency():
    sim = make_sim()
    deploy(sim, replicas=2)
    ok(sim, "kubectl expose deployment web --port=80")
    ok(sim, "sim traffic web 100")
    sim.advance(2)
    calm = dict(stats(sim))
    ok(sim, "sim traffic web 10000")  # nginx serves about 2,000 requests per second per core
    sim.advance(2)
    busy = stats(sim)
    assert calm["errors"] == 0 and busy["errors"] > 0
    assert busy["served"] + busy["errors"] == 10000
    assert busy["latency_ms"] > calm["latency_ms"]


def test_metrics_series_are_bounded_and_survive_a_snapshot():
    sim = make_sim()
    deploy(sim, replicas=2)
    ok(sim, "kubectl expose deployment web --port=80")
    ok(sim, "sim traffic web 100")
    sim.advance(1500)
    metrics = cluster(sim).metrics
    assert 0 < len(metrics["deployments"]["default/web"]) <= SAMPLES_KEPT
    assert 0 < len(metrics["services"]["default/web"]) <= SAMPLES_KEPT
    assert metrics["services"]["default/web"][-1][1:4] == [100.0, 100.0, 0.0]
    restored = Simulation.from_dict(json.loads(json.dumps(sim.to_dict())))
    assert restored.current_cluster().metrics == metrics
    sim.advance(60)
    restored.advance(60)
    assert restored.to_dict() == sim.to_dict()


def test_deleting_a_service_drops_its_series():
    sim = make_sim()
    deploy(sim, replicas=1)
    ok(sim, "kubectl expose deployment web --port=80")
    ok(sim, "sim traffic web 10")
    sim.advance(20)
    ok(sim, "kubectl delete service web")
    sim.advance(10)
    assert "default/web" not in cluster(sim).metrics["services"]
