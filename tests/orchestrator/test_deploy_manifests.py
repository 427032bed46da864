"""deploy/: the course site's own Dockerfile and GKE manifests, applied to the simulator with kubectl apply -f -.

The image is not built in CI: this machine (and CI) has no Docker engine. The Dockerfile is checked statically
for the properties the deployment relies on; the manifests are checked by running them on our own simulator.
"""

import re
from pathlib import Path

import pytest

from orchestrator import Simulation
from orchestrator.controllers.ingress import CERT_PROVISION_SECONDS, INGRESS_PROVISION_SECONDS
from tests.orchestrator.conftest import assert_aligned, cluster, fails, ok, table_rows

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
MANIFESTS = sorted((DEPLOY / "gke").glob("*.yaml"))


def manifest(path: Path, sim: Simulation) -> str:
    """A file as a learner would apply it: PROJECT_ID replaced by the (simulated) project's id."""
    return path.read_text().replace("PROJECT_ID", sim.project)


def gke() -> Simulation:
    sim = Simulation(seed=11)
    ok(sim, "gcloud container clusters create course --region=asia-northeast3 --num-nodes=1")
    return sim


def apply_all(sim: Simulation) -> str:
    return ok(sim, "kubectl apply -f -\n" + "\n---\n".join(manifest(p, sim) for p in MANIFESTS))


def row(sim: Simulation, command: str, name: str) -> dict[str, str]:
    text = ok(sim, command)
    assert_aligned(text)
    return next(r for r in table_rows(text) if r["NAME"] == name)


# --- the Dockerfile ---------------------------------------------------------------------------------------


def _instructions(text: str) -> list[str]:
    """Dockerfile instructions with continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", text)
    return [line.strip() for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_dockerfile_is_slim_multi_stage_on_the_pinned_python():
    lines = _instructions((DEPLOY / "Dockerfile").read_text())
    python = (DEPLOY.parent / ".python-version").read_text().strip()
    assert f"ARG PYTHON_VERSION={python}" in lines
    froms = [line for line in lines if line.startswith("FROM ")]
    assert len(froms) == 2 and all("python:${PYTHON_VERSION}-slim" in line for line in froms)


def test_dockerfile_runs_as_a_numeric_non_root_user_declared_after_the_build_steps():
    lines = _instructions((DEPLOY / "Dockerfile").read_text())
    users = [line for line in lines if line.startswith("USER ")]
    assert users, "no USER: the container would run as root"
    uid = users[-1].split()[1].split(":")[0]
    assert uid.isdigit() and int(uid) != 0, "runAsNonRoot can only verify a numeric, non-zero user"
    assert lines.index(users[-1]) > max(i for i, line in enumerate(lines) if line.startswith("RUN "))
    deployment = (DEPLOY / "gke" / "30-deployment.yaml").read_text()
    assert f"runAsUser: {uid}" in deployment


def test_dockerfile_collects_static_files_at_build_with_production_settings():
    lines = _instructions((DEPLOY / "Dockerfile").read_text())
    collect = next(line for line in lines if "collectstatic" in line)
    assert collect.startswith("RUN ") and "--noinput" in collect
    assert "DEBUG=0" in collect and "SECRET_KEY=" in collect


def test_dockerfile_has_a_healthcheck_on_healthz_with_python_only():
    lines = _instructions((DEPLOY / "Dockerfile").read_text())
    check = next(line for line in lines if line.startswith("HEALTHCHECK "))
    script = re.search(r'"(deploy/[\w./-]+\.py)"', check).group(1)
    source = (DEPLOY.parent / script).read_text()
    assert "urllib.request" in source and "/healthz" in source
    assert "EXPOSE 8000" in lines
    assert lines[-1] == 'CMD ["gunicorn", "-c", "gunicorn.conf.py", "tutorial.wsgi"]'
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    assert script not in ignore and ".git" in ignore and ".venv" in ignore


# --- each manifest on its own ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_each_manifest_applies_and_applying_it_again_changes_nothing(path):
    sim = gke()
    first = ok(sim, "kubectl apply -f -\n" + manifest(path, sim))
    assert first.endswith(" created")
    assert ok(sim, "kubectl apply -f -\n" + manifest(path, sim)).endswith(" unchanged")


def test_manifests_use_pullable_images_only_after_the_project_id_is_filled_in():
    sim = gke()
    for path in MANIFESTS:
        ok(sim, "kubectl apply -f -\n" + path.read_text())  # PROJECT_ID left in: not a real repository
    sim.advance(30)
    assert {p.reason for p in cluster(sim).pods.values() if p.namespace == "default"} & {
        "ErrImagePull", "ImagePullBackOff"}


# --- the whole set --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def deployed() -> Simulation:
    sim = gke()
    lines = apply_all(sim).split("\n")
    assert len(lines) == len(MANIFESTS) and all(line.endswith(" created") for line in lines)
    sim.advance(INGRESS_PROVISION_SECONDS + CERT_PROVISION_SECONDS + 30)
    return sim


def test_the_deployment_has_at_least_two_ready_replicas(deployed):
    r = row(deployed, "kubectl get deployments", "web")
    ready, wanted = map(int, r["READY"].split("/"))
    assert wanted >= 2 and ready == wanted


def test_web_pods_pass_their_healthz_probes(deployed):
    pods = [p for p in cluster(deployed).pods.values() if p.labels.get("app") == "web"]
    assert len(pods) >= 2
    for pod in pods:
        assert pod.ready and pod.status_text == "Running"
        for kind in ("liveness", "readiness"):
            assert pod.containers[0][kind]["httpGet"] == {"path": "/healthz", "port": 8000, "scheme": "HTTP"}
    assert all(c["cpu"] and c["memory"] and c["limit_memory"] for p in pods for c in p.containers)


def test_the_service_has_the_ready_pods_as_endpoints(deployed):
    text = ok(deployed, "kubectl get endpoints web")
    addresses = table_rows(text.split("\n", 1)[1])[0]["ENDPOINTS"].split(",")
    pods = sorted(f"{p.ip}:8000" for p in cluster(deployed).pods.values() if p.labels.get("app") == "web")
    assert sorted(addresses) == pods


def test_the_ingress_has_an_address_and_the_certificate_is_active(deployed):
    r = row(deployed, "kubectl get ingress", "web")
    assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+", r["ADDRESS"])
    assert r["HOSTS"] == "course.example.com" and r["CLASS"] == "<none>"
    assert row(deployed, "kubectl get managedcertificate", "web-cert")["STATUS"] == "Active"


def test_the_hpa_targets_the_deployment_on_cpu(deployed):
    r = row(deployed, "kubectl get hpa", "web")
    assert r["REFERENCE"] == "Deployment/web"
    assert r["TARGETS"].endswith("/70%") and (r["MINPODS"], r["MAXPODS"]) == ("2", "10")


def test_the_pdb_allows_one_disruption_of_two_healthy_pods(deployed):
    r = row(deployed, "kubectl get pdb", "web")
    assert (r["MIN AVAILABLE"], r["MAX UNAVAILABLE"], r["ALLOWED DISRUPTIONS"]) == ("1", "N/A", "1")


def test_the_migration_job_completed_and_its_pod_shows_completed(deployed):
    r = row(deployed, "kubectl get jobs", "migrate")
    assert (r["STATUS"], r["COMPLETIONS"]) == ("Complete", "1/1")
    pod = row(deployed, "kubectl get pods -l job-name=migrate", next(
        p.name for p in cluster(deployed).pods.values() if p.owner == "migrate"))
    assert (pod["READY"], pod["STATUS"]) == ("0/1", "Completed")


def test_the_migration_pod_is_not_behind_the_service_or_the_budget(deployed):
    job_pod = next(p for p in cluster(deployed).pods.values() if p.owner == "migrate")
    assert job_pod.ip not in ok(deployed, "kubectl get endpoints web")
    assert job_pod.labels["app"] != "web"


def test_draining_a_node_respects_the_pdb_and_moves_both_pods():
    sim = gke()
    apply_all(sim)
    sim.advance(60)
    web = sorted((p for p in cluster(sim).pods.values() if p.labels.get("app") == "web"), key=lambda p: p.name)
    first, second = web[0].node, web[1].node
    assert first != second
    out = ok(sim, f"kubectl drain {first} --ignore-daemonsets")
    assert f"pod/{web[0].name} evicted" in out and "violate" not in out
    # Right after the first drain the replacement is not ready yet: the budget (minAvailable 1) has no room,
    # so the second eviction is refused and retried until the replacement is Ready.
    out = ok(sim, f"kubectl drain {second} --ignore-daemonsets")
    refused = (f'error when evicting pods/"{web[1].name}" -n "default" (will retry after 5s): '
               "Cannot evict pod as it would violate the pod's disruption budget.")
    assert refused in out
    assert out.index(refused) < out.index(f"pod/{web[1].name} evicted")
    assert out.endswith(f"node/{second} drained")
    sim.advance(30)
    assert sum(1 for p in cluster(sim).pods.values() if p.labels.get("app") == "web" and p.ready) == 2


def test_a_pdb_that_can_never_be_met_stops_drain_at_its_timeout():
    sim = gke()
    apply_all(sim)
    sim.advance(60)
    ok(sim, "kubectl apply -f -\n" + manifest(DEPLOY / "gke" / "32-pdb.yaml", sim).replace("minAvailable: 1",
                                                                                            "minAvailable: 2"))
    node = next(p.node for p in cluster(sim).pods.values() if p.labels.get("app") == "web")
    text = fails(sim, f"kubectl drain {node} --ignore-daemonsets --timeout=30s")
    assert "global timeout reached: 30s" in text and "There are pending nodes to be drained:" in text
    assert cluster(sim).nodes[node].unschedulable


def test_the_whole_set_survives_a_snapshot_round_trip(deployed):
    restored = Simulation.from_dict(deployed.to_dict())
    assert restored.to_dict() == deployed.to_dict()
    for command in ("kubectl get ingress,managedcertificate,jobs,pdb,cm,secrets", "kubectl describe ingress web"):
        assert ok(restored, command) == ok(deployed, command)


def test_the_migration_log_and_the_web_log_look_like_django_and_gunicorn(deployed):
    migrate = ok(deployed, "kubectl logs job/migrate")
    assert migrate.startswith("Operations to perform:\n") and migrate.endswith("... OK")
    web = ok(deployed, "kubectl logs deployment/web")
    assert "[INFO] Listening at: http://0.0.0.0:8000 (1)" in web
    assert '"GET /healthz HTTP/1.1" 200' in web


def test_gunicorn_listens_on_the_pod_address_in_the_cluster():
    """gunicorn.conf.py binds to 127.0.0.1 unless BIND says otherwise: probes could never reach it."""
    config = (DEPLOY / "gke" / "10-configmap.yaml").read_text()
    assert 'BIND: "0.0.0.0:8000"' in config
    assert "ENV" in (DEPLOY / "Dockerfile").read_text() and "BIND=0.0.0.0:8000" in (DEPLOY / "Dockerfile").read_text()


def test_the_final_lesson_applies_these_very_manifests():
    """Lesson 14's exercises embed copies of deploy/gke/ (comments dropped, the sandbox's project id filled in):
    the copies must not drift from the files."""
    import yaml

    text = (DEPLOY.parent / "lessons" / "content" / "14-final-project.md").read_text()
    front = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
    applied = []
    for exercise in front["exercises"]:
        for line in exercise["solution"]:
            if line.startswith("kubectl apply -f -\n"):
                applied += [d for d in yaml.safe_load_all(line.split("\n", 1)[1]) if d]
    sim = Simulation()
    files = [d for p in MANIFESTS if "secret" not in p.name for d in yaml.safe_load_all(manifest(p, sim)) if d]
    key = lambda d: (d["kind"], d["metadata"]["name"])  # noqa: E731
    assert sorted(applied, key=key) == sorted(files, key=key)
