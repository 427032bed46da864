"""ConfigMap, Secret, Job, PodDisruptionBudget, Ingress and ManagedCertificate: apply, get columns, errors,
the controllers behind them, and snapshots."""

import base64
import json

from orchestrator import Simulation
from orchestrator.controllers.ingress import CERT_PROVISION_SECONDS, INGRESS_PROVISION_SECONDS
from orchestrator.probes import BATCH_RUN_SECONDS
from tests.orchestrator.conftest import assert_aligned, cluster, fails, has_hangul, make_sim, ok, table_rows

CONFIG = """apiVersion: v1
kind: ConfigMap
metadata: {name: app-config}
data:
  MODE: production
  LEVEL: "3"
"""
SECRET = """apiVersion: v1
kind: Secret
metadata: {name: app-secret}
type: Opaque
data:
  TOKEN: c2VjcmV0
stringData:
  PASSWORD: hunter2
"""
APP = """apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  replicas: 2
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      containers:
      - name: app
        image: nginx:1.27
        envFrom:
        - configMapRef: {name: app-config}
        env:
        - name: PASSWORD
          valueFrom:
            secretKeyRef: {name: app-secret, key: PASSWORD}
"""
JOB = """apiVersion: batch/v1
kind: Job
metadata: {name: report}
spec:
  completions: {completions}
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: report
        image: busybox:1.36
        command: [sh, -c, "echo done"]
        resources:
          requests: {cpu: 500m}
"""
PDB = """apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: app}
spec:
  {rule}
  selector: {matchLabels: {app: app}}
"""
INGRESS = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: site
  annotations:
    networking.gke.io/managed-certificates: site-cert
spec:
  rules:
  - host: www.example.org
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: app
            port: {number: 80}
"""
CERT = """apiVersion: networking.gke.io/v1
kind: ManagedCertificate
metadata: {name: site-cert}
spec:
  domains: [www.example.org]
"""


def apply(sim, text: str) -> str:
    return ok(sim, "kubectl apply -f -\n" + text)


def apply_fails(sim, text: str) -> str:
    return fails(sim, "kubectl apply -f -\n" + text)


def rows(sim, command: str) -> list[dict[str, str]]:
    text = ok(sim, command)
    assert_aligned(text)
    return table_rows(text)


# --- ConfigMap and Secret --------------------------------------------------------------------------------


def test_configmap_apply_get_and_update():
    sim = make_sim()
    assert apply(sim, CONFIG) == "configmap/app-config created"
    assert ok(sim, "kubectl get cm").split("\n")[0].split() == ["NAME", "DATA", "AGE"]
    listed = {r["NAME"]: r["DATA"] for r in rows(sim, "kubectl get configmaps")}
    assert listed == {"app-config": "2", "kube-root-ca.crt": "1"}
    assert apply(sim, CONFIG) == "configmap/app-config unchanged"
    assert apply(sim, CONFIG.replace("production", "staging")) == "configmap/app-config configured"
    assert cluster(sim).configmaps["default/app-config"].data["MODE"] == "staging"


def test_configmap_rejects_bad_keys_and_non_string_values():
    sim = make_sim()
    text = apply_fails(sim, CONFIG.replace("MODE:", '"bad key":'))
    assert text.startswith('The ConfigMap "app-config" is invalid: data[bad key]: Invalid value: "bad key": a valid '
                           "config key must consist of alphanumeric characters")
    text = apply_fails(sim, CONFIG.replace('"3"', "3"))
    assert "json: cannot unmarshal number into Go struct field ConfigMap.data of type string" in text


def test_secret_merges_string_data_into_base64_data_and_hides_values():
    sim = make_sim()
    assert apply(sim, SECRET) == "secret/app-secret created"
    r = rows(sim, "kubectl get secrets")[0]
    assert (r["NAME"], r["TYPE"], r["DATA"]) == ("app-secret", "Opaque", "2")
    printed = json.loads(ok(sim, "kubectl get secret app-secret -o json"))
    assert printed["data"] == {"PASSWORD": base64.b64encode(b"hunter2").decode(), "TOKEN": "c2VjcmV0"}
    assert "stringData" not in printed
    described = ok(sim, "kubectl describe secret app-secret")
    assert "PASSWORD:  7 bytes" in described and "hunter2" not in described


def test_secret_with_invalid_base64_is_a_bad_request():
    sim = make_sim()
    text = apply_fails(sim, SECRET.replace("c2VjcmV0", "not*base64"))
    assert text == ('Error from server (BadRequest): error when creating "STDIN": Secret in version "v1" cannot be '
                    "handled as a Secret: illegal base64 data at input byte 3")


def test_create_secret_generic_from_literals():
    sim = make_sim()
    out = ok(sim, "kubectl create secret generic db --from-literal=USER=app --from-literal PASSWORD=s3cr=t")
    assert out == "secret/db created"
    data = cluster(sim).secrets["default/db"].data
    assert base64.b64decode(data["PASSWORD"]).decode() == "s3cr=t" and set(data) == {"USER", "PASSWORD"}
    assert fails(sim, "kubectl create secret generic db --from-literal=A=b") == (
        'error: failed to create secret secrets "db" already exists')
    assert ok(sim, "kubectl create configmap settings --from-literal=A=b") == "configmap/settings created"
    assert fails(sim, "kubectl create configmap settings --from-literal=A=b") == (
        'error: failed to create configmap: configmaps "settings" already exists')
    assert has_hangul(fails(sim, "kubectl create secret generic x --from-file=key.pem"))


def test_missing_configmap_or_secret_stops_the_container_until_it_exists():
    sim = make_sim()
    apply(sim, APP)
    sim.advance(30)
    pods = [p for p in cluster(sim).pods.values() if p.name.startswith("app-")]
    assert {p.status_text for p in pods} == {"CreateContainerConfigError"}
    events = ok(sim, f"kubectl describe pod {pods[0].name}")
    assert 'Error: configmap "app-config" not found' in events
    apply(sim, CONFIG)
    sim.advance(15)
    assert 'Error: secret "app-secret" not found' in ok(sim, f"kubectl describe pod {pods[0].name}")
    apply(sim, SECRET.replace("PASSWORD: hunter2", "OTHER: x"))
    sim.advance(15)
    assert ("Error: couldn't find key PASSWORD in Secret default/app-secret"
            in ok(sim, f"kubectl describe pod {pods[0].name}"))
    apply(sim, SECRET)
    sim.advance(15)
    assert all(p.ready for p in pods)
    described = ok(sim, f"kubectl describe pod {pods[0].name}")
    assert "app-config  ConfigMap  Optional: false" in described
    assert "PASSWORD:  <set to the key 'PASSWORD' in secret 'app-secret'>  Optional: false" in described


def test_optional_references_may_be_missing():
    sim = make_sim()
    apply(sim, APP.replace("{name: app-config}", "{name: app-config, optional: true}").replace(
        "key: PASSWORD}", "key: PASSWORD, optional: true}"))
    sim.advance(30)
    assert all(p.ready for p in cluster(sim).pods.values() if p.name.startswith("app-"))


# --- Job --------------------------------------------------------------------------------------------------


def test_job_runs_its_pod_to_completion():
    sim = make_sim()
    assert apply(sim, JOB.replace("{completions}", "1")) == "job.batch/report created"
    pod = next(p for p in cluster(sim).pods.values() if p.owner == "report")
    assert pod.name.startswith("report-") and pod.labels["job-name"] == "report"
    header = ok(sim, "kubectl get jobs").split("\n")[0].split()
    assert header == ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"]
    assert rows(sim, "kubectl get jobs")[0]["STATUS"] == "Running"
    sim.advance(20)
    r = rows(sim, "kubectl get jobs")[0]
    assert (r["STATUS"], r["COMPLETIONS"]) == ("Complete", "1/1")
    assert int(r["DURATION"].rstrip("s")) >= BATCH_RUN_SECONDS
    p = next(r for r in rows(sim, "kubectl get pods") if r["NAME"] == pod.name)
    assert (p["READY"], p["STATUS"]) == ("0/1", "Completed")
    assert "Reason:       Completed" in ok(sim, f"kubectl describe pod {pod.name}")


def test_completed_pods_free_their_node_for_the_scheduler():
    sim = make_sim(nodes=1)
    node = next(iter(cluster(sim).nodes.values()))
    before = node._req_cpu
    apply(sim, JOB.replace("{completions}", "1"))
    sim.advance(5)
    assert node._req_cpu == before + 500
    sim.advance(20)
    assert node._req_cpu == before


def test_job_completions_run_one_after_another():
    sim = make_sim()
    apply(sim, JOB.replace("{completions}", "3"))
    sim.advance(16)
    assert rows(sim, "kubectl get jobs")[0]["COMPLETIONS"] == "1/3"
    sim.advance(60)
    assert rows(sim, "kubectl get jobs")[0]["COMPLETIONS"] == "3/3"
    assert sum(1 for p in cluster(sim).pods.values() if p.owner == "report") == 3


def test_job_template_is_immutable_and_restart_policy_must_not_be_always():
    sim = make_sim()
    apply(sim, JOB.replace("{completions}", "1"))
    text = apply_fails(sim, JOB.replace("{completions}", "1").replace("busybox:1.36", "busybox:latest"))
    assert text.startswith('The Job "report" is invalid: spec.template: Invalid value:')
    assert text.endswith("field is immutable")
    text = apply_fails(sim, JOB.replace("{completions}", "1").replace("Never", "Always").replace("report}", "r2}"))
    assert text == ('The Job "r2" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": '
                    'supported values: "OnFailure", "Never"')


def test_deleting_a_job_deletes_its_pods_and_ttl_does_it_for_you():
    sim = make_sim()
    apply(sim, JOB.replace("{completions}", "1"))
    sim.advance(20)
    assert ok(sim, "kubectl delete job report") == 'job.batch "report" deleted'
    assert not [p for p in cluster(sim).pods.values() if p.owner == "report"]
    with_ttl = JOB.replace("{completions}", "1").replace("spec:\n  completions",
                                                         "spec:\n  ttlSecondsAfterFinished: 30\n  completions")
    apply(sim, with_ttl)
    sim.advance(20)
    assert "default/report" in cluster(sim).jobs
    sim.advance(40)
    assert "default/report" not in cluster(sim).jobs
    assert fails(sim, "kubectl get job report") == 'Error from server (NotFound): jobs.batch "report" not found'


# --- PodDisruptionBudget ----------------------------------------------------------------------------------


def _app(sim, replicas: int = 3):
    apply(sim, APP.replace("replicas: 2", f"replicas: {replicas}"))
    apply(sim, CONFIG)
    apply(sim, SECRET)
    sim.advance(30)


def test_pdb_columns_and_allowed_disruptions():
    sim = make_sim()
    _app(sim)
    assert apply(sim, PDB.replace("{rule}", "minAvailable: 2")) == "poddisruptionbudget.policy/app created"
    r = rows(sim, "kubectl get pdb")[0]
    assert list(r) == ["NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"]
    assert (r["MIN AVAILABLE"], r["MAX UNAVAILABLE"], r["ALLOWED DISRUPTIONS"]) == ("2", "N/A", "1")
    apply(sim, PDB.replace("{rule}", 'maxUnavailable: "50%"'))
    r = rows(sim, "kubectl get pdb")[0]
    assert (r["MIN AVAILABLE"], r["MAX UNAVAILABLE"], r["ALLOWED DISRUPTIONS"]) == ("N/A", "50%", "2")
    # Pods that are not Ready are not healthy: they leave the budget no room.
    ok(sim, "kubectl create deployment bad --image=nginx:0.0-missing --replicas=2")
    apply(sim, PDB.replace("{rule}", "minAvailable: 1").replace("app}}", "bad}}").replace("name: app", "name: bad"))
    sim.advance(30)
    r = next(r for r in rows(sim, "kubectl get pdb") if r["NAME"] == "bad")
    assert (r["MIN AVAILABLE"], r["ALLOWED DISRUPTIONS"]) == ("1", "0")


def test_pdb_validation():
    sim = make_sim()
    text = apply_fails(sim, PDB.replace("{rule}", "minAvailable: 1\n  maxUnavailable: 1"))
    assert text.startswith('The PodDisruptionBudget "app" is invalid: spec: Invalid value:')
    assert text.endswith("minAvailable and maxUnavailable cannot be both set")
    assert apply_fails(sim, PDB.replace("{rule}", 'minAvailable: "120%"')) == (
        'The PodDisruptionBudget "app" is invalid: spec.minAvailable: Invalid value: "120%": must not be greater '
        "than 100%")


# --- Ingress and ManagedCertificate -------------------------------------------------------------------------


def test_ingress_waits_for_its_backend_service_then_gets_an_address():
    sim = make_sim()
    assert apply(sim, INGRESS) == "ingress.networking.k8s.io/site created"
    sim.advance(INGRESS_PROVISION_SECONDS + 10)
    r = rows(sim, "kubectl get ingress")[0]
    assert list(r) == ["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"]
    assert (r["CLASS"], r["HOSTS"], r["ADDRESS"], r["PORTS"]) == ("<none>", "www.example.org", "", "80")
    described = ok(sim, "kubectl describe ingress site")
    assert 'Translation failed: invalid ingress spec: could not find service "default/app"' in described
    assert 'app:80 (<error: services "app" not found>)' in described
    _app(sim)
    ok(sim, "kubectl expose deployment app --port=80")
    sim.advance(INGRESS_PROVISION_SECONDS - 1)
    assert cluster(sim).ingresses["default/site"].address is None
    sim.advance(2)
    assert rows(sim, "kubectl get ingress")[0]["ADDRESS"].count(".") == 3


def test_ingress_validation_and_tls_ports():
    sim = make_sim()
    text = apply_fails(sim, INGRESS.replace("        pathType: Prefix\n", ""))
    assert text == ('The Ingress "site" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType '
                    "must be specified")
    apply(sim, INGRESS + "  tls:\n  - hosts: [www.example.org]\n    secretName: site-tls\n")
    assert rows(sim, "kubectl get ing")[0]["PORTS"] == "80, 443"


def test_managed_certificate_becomes_active_after_the_ingress_has_an_address():
    sim = make_sim()
    _app(sim)
    ok(sim, "kubectl expose deployment app --port=80")
    assert apply(sim, CERT) == "managedcertificate.networking.gke.io/site-cert created"
    other = CERT.replace("site-cert", "unused-cert")
    apply(sim, other)
    header = ok(sim, "kubectl get managedcertificate").split("\n")[0].split()
    assert header == ["NAME", "AGE", "STATUS"]
    apply(sim, INGRESS)
    sim.advance(INGRESS_PROVISION_SECONDS + CERT_PROVISION_SECONDS - 5)
    assert {r["NAME"]: r["STATUS"] for r in rows(sim, "kubectl get mcrt")} == {
        "site-cert": "Provisioning", "unused-cert": "Provisioning"}
    sim.advance(10)
    assert {r["NAME"]: r["STATUS"] for r in rows(sim, "kubectl get mcrt")} == {
        "site-cert": "Active", "unused-cert": "Provisioning"}
    assert apply_fails(sim, CERT.replace("www.example.org", '"*.example.org"')).startswith(
        'The ManagedCertificate "site-cert" is invalid: spec.domains[0]: Invalid value: "*.example.org"')


# --- errors that must stay kubectl's ---------------------------------------------------------------------------


def test_unknown_kinds_and_versions_keep_kubectls_errors():
    sim = make_sim()
    text = apply_fails(sim, JOB.replace("batch/v1", "batch/v2").replace("{completions}", "1"))
    assert text == ('error: resource mapping not found for name: "report" namespace: "" from "STDIN": no matches for '
                    'kind "Job" in version "batch/v2"\nensure CRDs are installed first')
    assert has_hangul(apply_fails(sim, "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\n"))
    assert fails(sim, "kubectl get flurbs") == 'error: the server doesn\'t have a resource type "flurbs"'
    assert fails(sim, "kubectl get pdb nope") == (
        'Error from server (NotFound): poddisruptionbudgets.policy "nope" not found')
    assert fails(sim, "kubectl get managedcertificate nope") == (
        'Error from server (NotFound): managedcertificates.networking.gke.io "nope" not found')


# --- snapshots -------------------------------------------------------------------------------------------


def _busy(seed: int) -> Simulation:
    sim = make_sim(seed=seed)
    _app(sim)
    ok(sim, "kubectl expose deployment app --port=80")
    for text in (PDB.replace("{rule}", "minAvailable: 1"), JOB.replace("{completions}", "3"), INGRESS, CERT):
        apply(sim, text)
    sim.advance(INGRESS_PROVISION_SECONDS // 2)  # mid-job, ingress still provisioning
    return sim


def test_snapshot_round_trip_of_every_new_kind_is_exact_and_continues_identically():
    sim = _busy(5)
    snapshot = sim.to_dict()
    for attr in ("configmaps", "secrets", "pdbs", "jobs", "ingresses", "certificates"):
        assert snapshot["clusters"]["demo"][attr], attr
    restored = Simulation.from_dict(json.loads(json.dumps(snapshot)))
    assert restored.to_dict() == snapshot
    for s in (sim, restored):
        s.advance(INGRESS_PROVISION_SECONDS + CERT_PROVISION_SECONDS)
    assert restored.to_dict() == sim.to_dict()
    command = "kubectl get jobs,pdb,ingress,managedcertificate,cm,secrets"
    assert ok(restored, command) == ok(sim, command)


def test_snapshots_without_the_new_kinds_stay_as_they_were():
    sim = make_sim()
    sim.advance(10)
    assert not {"configmaps", "secrets", "pdbs", "jobs", "ingresses", "certificates"} & set(
        sim.to_dict()["clusters"]["demo"])


def test_logs_of_a_job_show_the_finished_run():
    sim = make_sim()
    apply(sim, JOB.replace("{completions}", "1").replace("busybox:1.36", "nginx:1.27"))
    sim.advance(20)
    out = ok(sim, "kubectl logs job/report --tail=1")
    assert out and "waiting to start" not in out
    assert fails(sim, "kubectl logs job/nope") == 'Error from server (NotFound): jobs.batch "nope" not found'
