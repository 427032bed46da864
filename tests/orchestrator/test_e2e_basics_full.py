"""The whole kubernetes.io "Learn Kubernetes Basics" path (K8S-FACTS §8.1), command for command, as far as the
simulator supports it: deploy, expose as NodePort, scale, rolling update, a bad image, undo, clean up."""

import re

from orchestrator import Simulation
from tests.orchestrator.conftest import ZONE, assert_aligned, ok, table_rows

APP = "kubernetes-bootcamp"
V1 = "gcr.io/google-samples/kubernetes-bootcamp:v1"
V2 = "docker.io/jocatalin/kubernetes-bootcamp:v2"
V10 = "gcr.io/google-samples/kubernetes-bootcamp:v10"


def rows(sim, line: str) -> list[dict[str, str]]:
    text = ok(sim, line)
    assert_aligned(text)
    return table_rows(text)


def images(sim) -> set[str]:
    return {r["IMAGES"] for r in rows(sim, "kubectl get deployments -o wide")}


def test_learn_kubernetes_basics_from_deploy_to_cleanup():
    sim = Simulation(seed=11)
    ok(sim, f"gcloud container clusters create kubia --num-nodes=3 --zone={ZONE}")

    # Module 2: create a deployment.
    assert len(rows(sim, "kubectl get nodes")) == 3
    assert ok(sim, f"kubectl create deployment {APP} --image={V1}") == f"deployment.apps/{APP} created"
    sim.advance(30)
    (d,) = rows(sim, "kubectl get deployments")
    assert (d["NAME"], d["READY"], d["UP-TO-DATE"], d["AVAILABLE"]) == (APP, "1/1", "1", "1")

    # Module 3: explore.
    (pod,) = rows(sim, "kubectl get pods")
    assert re.fullmatch(rf"{APP}-[0-9a-f]{{8,10}}-[bcdfghjklmnpqrstvwxz2456789]{{5}}", pod["NAME"])
    assert (pod["READY"], pod["STATUS"], pod["RESTARTS"]) == ("1/1", "Running", "0")
    assert f"Image:          {V1}" in ok(sim, "kubectl describe pods")

    # Module 4: expose as a NodePort service.
    assert [r["NAME"] for r in rows(sim, "kubectl get services")] == ["kubernetes"]
    assert ok(sim, f'kubectl expose deployment/{APP} --type="NodePort" --port 8080') == f"service/{APP} exposed"
    described = sim.execute(f"kubectl describe services/{APP}")
    if described.ok:
        assert re.search(r"Type:\s+NodePort", described.text) and re.search(r"NodePort:\s+.*3\d{4}/TCP", described.text)
    (svc,) = rows(sim, f"kubectl get services -l app={APP}")
    assert svc["TYPE"] == "NodePort" and re.fullmatch(r"8080:3\d{4}/TCP", svc["PORT(S)"])
    assert len(rows(sim, f"kubectl get pods -l app={APP}")) == 1
    labeled = sim.execute(f"kubectl label pods {pod['NAME']} version=v1")
    if labeled.ok:  # kubectl label is being built; once it works the tutorial's step must too
        assert labeled.text == f"pod/{pod['NAME']} labeled"
        assert [r["NAME"] for r in rows(sim, "kubectl get pods -l version=v1")] == [pod["NAME"]]

    # Module 5: scale up to four, then back to two.
    (rs,) = rows(sim, "kubectl get rs")
    assert (rs["DESIRED"], rs["CURRENT"], rs["READY"]) == ("1", "1", "1")
    assert ok(sim, f"kubectl scale deployments/{APP} --replicas=4") == f"deployment.apps/{APP} scaled"
    sim.advance(30)
    assert rows(sim, "kubectl get deployments")[0]["READY"] == "4/4"
    wide = rows(sim, "kubectl get pods -o wide")
    assert len(wide) == 4 and len({p["IP"] for p in wide}) == 4 and {p["STATUS"] for p in wide} == {"Running"}
    endpoints = table_rows(ok(sim, f"kubectl get endpoints {APP}").split("\n", 1)[1])[0]["ENDPOINTS"]
    assert endpoints.startswith(tuple(f"{p['IP']}:8080" for p in wide))
    ok(sim, f"kubectl scale deployments/{APP} --replicas=2")
    sim.advance(10)
    assert rows(sim, "kubectl get deployments")[0]["READY"] == "2/2"
    assert len([p for p in rows(sim, "kubectl get pods -o wide") if p["STATUS"] == "Running"]) == 2

    # Module 6: rolling update to v2.
    assert ok(sim, f"kubectl set image deployments/{APP} {APP}={V2}") == f"deployment.apps/{APP} image updated"
    assert len(rows(sim, "kubectl get pods")) == 3  # maxSurge: one new pod next to the two old ones
    status = ok(sim, f"kubectl rollout status deployments/{APP}").split("\n")
    assert status[-1] == f'deployment "{APP}" successfully rolled out'
    assert all(line.startswith(f'Waiting for deployment "{APP}" rollout to finish: ') for line in status[:-1])
    sim.advance(5)
    assert images(sim) == {V2}
    assert set(re.findall(r"Image:\s+(\S+)", ok(sim, "kubectl describe pods"))) == {V2}

    # A version that does not exist: the new pods cannot pull it, the old ones keep serving.
    ok(sim, f"kubectl set image deployments/{APP} {APP}={V10}")
    sim.advance(60)
    (d,) = rows(sim, "kubectl get deployments")
    assert d["READY"] != "2/2" or d["UP-TO-DATE"] != "2"
    statuses = [p["STATUS"] for p in rows(sim, "kubectl get pods")]
    assert "ImagePullBackOff" in statuses or "ErrImagePull" in statuses
    assert statuses.count("Running") >= 1
    bad = next(p for p in rows(sim, "kubectl get pods") if p["STATUS"] in ("ImagePullBackOff", "ErrImagePull"))
    assert f'Failed to pull image "{V10}"' in ok(sim, f"kubectl describe pod {bad['NAME']}")

    # Roll back to v2.
    assert ok(sim, f"kubectl rollout undo deployments/{APP}") == f"deployment.apps/{APP} rolled back"
    sim.advance(60)
    assert images(sim) == {V2}
    pods = rows(sim, "kubectl get pods")
    assert len(pods) == 2 and {p["STATUS"] for p in pods} == {"Running"}
    assert rows(sim, "kubectl get deployments")[0]["READY"] == "2/2"

    # Clean up.
    assert ok(sim, f"kubectl delete deployments/{APP} services/{APP}") == (
        f'deployment.apps "{APP}" deleted\nservice "{APP}" deleted')
    assert [r["NAME"] for r in rows(sim, "kubectl get services")] == ["kubernetes"]
    sim.advance(40)
    assert ok(sim, "kubectl get pods") == "No resources found in default namespace."
