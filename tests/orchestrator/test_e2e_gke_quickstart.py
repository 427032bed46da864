"""The GKE quickstart (K8S-FACTS §8.2) replayed: an Autopilot cluster, hello-app behind a LoadBalancer, clean-up."""

import re

from orchestrator import Simulation
from tests.orchestrator.conftest import assert_aligned, ok, table_rows

IMAGE = "us-docker.pkg.dev/google-samples/containers/gke/hello-app:1.0"


def test_gke_quickstart_deploy_an_app_to_an_autopilot_cluster():
    sim = Simulation(seed=7)
    text = ok(sim, "gcloud container clusters create-auto hello-cluster --location=us-central1")
    assert text.startswith("Creating cluster hello-cluster in us-central1...")
    assert "kubeconfig entry generated for hello-cluster." in text
    assert ok(sim, "gcloud container clusters get-credentials hello-cluster --location us-central1") == (
        "Fetching cluster endpoint and auth data.\nkubeconfig entry generated for hello-cluster.")
    assert sim.current_context == "gke_k8s-learning_us-central1_hello-cluster"

    assert ok(sim, f"kubectl create deployment hello-server --image={IMAGE}") == (
        "deployment.apps/hello-server created")
    assert ok(sim, "kubectl expose deployment hello-server --type LoadBalancer --port 80 --target-port 8080") == (
        "service/hello-server exposed")

    (pod,) = table_rows(ok(sim, "kubectl get pods"))
    assert pod["NAME"].startswith("hello-server-") and pod["READY"] == "0/1"

    # Poll the service the way the quickstart says: until EXTERNAL-IP is no longer <pending>.
    external, waited = "<pending>", 0
    while external == "<pending>":
        text = ok(sim, "kubectl get service hello-server")
        assert_aligned(text)
        (svc,) = table_rows(text)
        assert (svc["TYPE"], svc["PORT(S)"][:3]) == ("LoadBalancer", "80:")
        assert re.fullmatch(r"80:3\d{4}/TCP", svc["PORT(S)"])
        external = svc["EXTERNAL-IP"]
        if external == "<pending>":
            sim.advance(10)
            waited += 10
            assert waited <= 120
    assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+", external) and waited >= 40

    (pod,) = table_rows(ok(sim, "kubectl get pods"))
    assert (pod["READY"], pod["STATUS"]) == ("1/1", "Running")
    (endpoints,) = table_rows(ok(sim, "kubectl get endpoints hello-server").split("\n", 1)[1])
    assert endpoints["ENDPOINTS"].endswith(":8080")

    assert ok(sim, "kubectl delete service hello-server") == 'service "hello-server" deleted'
    text = ok(sim, "gcloud container clusters delete hello-cluster --location us-central1")
    assert text.split("\n")[-2:] == [
        "Deleting cluster hello-cluster...done.",
        "Deleted [https://container.googleapis.com/v1/projects/k8s-learning/zones/us-central1/clusters/"
        "hello-cluster]."]
    assert not sim.clusters and sim.current_context is None
    assert not sim.execute("kubectl get pods").ok


def test_gke_quickstart_with_the_older_region_flag():
    sim = Simulation(seed=8)
    ok(sim, "gcloud container clusters create-auto hello-cluster --region=us-central1")
    ok(sim, "gcloud container clusters get-credentials hello-cluster --region=us-central1")
    ok(sim, f"kubectl create deployment hello-server --image={IMAGE}")
    ok(sim, "kubectl expose deployment hello-server --type=LoadBalancer --port=80 --target-port=8080")
    sim.advance(60)
    (svc,) = table_rows(ok(sim, "kubectl get service hello-server"))
    assert svc["EXTERNAL-IP"] != "<pending>"
    ok(sim, "gcloud container clusters delete hello-cluster --region=us-central1 --quiet")
    assert not sim.clusters
