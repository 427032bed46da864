"""End to end: the kubernetes.io "Learn Kubernetes Basics" path on a GKE cluster, then a node failure."""

from orchestrator import Simulation
from tests.orchestrator.conftest import ZONE, assert_aligned, cluster, ok, table_rows

IMAGE = "gcr.io/google-samples/kubernetes-bootcamp:v1"


def test_kubernetes_basics_path_survives_a_node_failure():
    sim = Simulation(seed=2024)
    text = ok(sim, f"gcloud container clusters create kubia --num-nodes=3 --zone={ZONE}")
    assert "kubeconfig entry generated for kubia." in text

    # Module 2: create a deployment.
    assert ok(sim, "kubectl version").startswith("Client Version: v1.")
    nodes = table_rows(ok(sim, "kubectl get nodes"))
    assert len(nodes) == 3 and {n["STATUS"] for n in nodes} == {"Ready"}
    assert ok(sim, f"kubectl create deployment kubernetes-bootcamp --image={IMAGE}") == (
        "deployment.apps/kubernetes-bootcamp created")
    assert table_rows(ok(sim, "kubectl get deployments"))[0]["READY"] == "0/1"
    sim.advance(30)
    text = ok(sim, "kubectl get deployments")
    assert table_rows(text) == [{"NAME": "kubernetes-bootcamp", "READY": "1/1", "UP-TO-DATE": "1", "AVAILABLE": "1",
                                 "AGE": "30s"}]
    assert_aligned(text)

    # Module 3: explore the app.
    (pod,) = table_rows(ok(sim, "kubectl get pods"))
    assert pod["NAME"].startswith("kubernetes-bootcamp-") and pod["STATUS"] == "Running"

    # Module 4: labels.
    assert len(table_rows(ok(sim, "kubectl get pods -l app=kubernetes-bootcamp"))) == 1

    # Module 5: scale.
    (rs,) = table_rows(ok(sim, "kubectl get rs"))
    assert (rs["DESIRED"], rs["CURRENT"]) == ("1", "1")
    assert ok(sim, "kubectl scale deployments/kubernetes-bootcamp --replicas=4") == (
        "deployment.apps/kubernetes-bootcamp scaled")
    sim.advance(30)
    assert table_rows(ok(sim, "kubectl get deployments"))[0]["READY"] == "4/4"
    text = ok(sim, "kubectl get pods -o wide")
    assert_aligned(text)
    pods = table_rows(text)
    assert len(pods) == 4
    assert {p["STATUS"] for p in pods} == {"Running"}
    assert len({p["IP"] for p in pods}) == 4 and "<none>" not in {p["IP"] for p in pods}
    assert {p["NODE"] for p in pods} <= set(cluster(sim).nodes)

    # A VM dies under one of the pods.
    failed = pods[0]["NODE"]
    ok(sim, f"sim node fail {failed}")
    sim.advance(60)
    status = {n["NAME"]: n["STATUS"] for n in table_rows(ok(sim, "kubectl get nodes"))}
    assert status[failed] == "NotReady"
    sim.advance(300)
    sim.advance(30)
    text = ok(sim, "kubectl get pods -o wide")
    rows = table_rows(text)
    alive = [r for r in rows if r["STATUS"] == "Running"]
    assert len(alive) == 4
    assert all(r["NODE"] != failed for r in alive)
    assert all(r["STATUS"] == "Terminating" for r in rows if r["NODE"] == failed)
    assert table_rows(ok(sim, "kubectl get deployments"))[0]["READY"] == "4/4"

    # Scale back down, as module 5 ends.
    ok(sim, "kubectl scale deployments/kubernetes-bootcamp --replicas=2")
    sim.advance(10)
    assert table_rows(ok(sim, "kubectl get deployments"))[0]["READY"] == "2/2"
    assert len([r for r in table_rows(ok(sim, "kubectl get pods")) if r["STATUS"] == "Running"]) == 2
