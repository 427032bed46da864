"""kubectl apply|create|delete -f -: manifests from standard input, checked with kubectl's own messages."""

import time

from orchestrator.limits import Limits
from tests.orchestrator.conftest import cluster, deploy, fails, has_hangul, live_pods, make_sim, ok, running

WEB = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
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
        ports:
        - containerPort: 80
        resources:
          requests: {cpu: 200m, memory: 64Mi}
          limits: {memory: 128Mi}
"""
SERVICE = """apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 80
    nodePort: 30080
"""
HPA = """apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 6
  metrics:
  - type: Resource
    resource:
      name: cpu
      target: {type: Utilization, averageUtilization: 60}
"""


def apply(sim, manifest: str, verb: str = "apply", extra: str = "") -> str:
    return ok(sim, f"kubectl {verb} -f -{extra}\n{manifest}")


def apply_fails(sim, manifest: str, verb: str = "apply") -> str:
    return fails(sim, f"kubectl {verb} -f -\n{manifest}")


def test_apply_creates_a_deployment_with_its_pods():
    sim = make_sim()
    assert apply(sim, WEB) == "deployment.apps/web created"
    d = cluster(sim).deployments["default/web"]
    assert d.replicas == 2 and d.selector == {"app": "web"}
    container = d.template["containers"][0]
    assert (container["cpu"], container["memory"], container["limit_memory"], container["port"]) == (
        200, 64 * 2**20, 128 * 2**20, 80)
    sim.advance(30)
    assert len(running(sim, "web")) == 2


def test_apply_again_is_unchanged_and_a_change_is_configured():
    sim = make_sim()
    apply(sim, WEB)
    assert apply(sim, WEB) == "deployment.apps/web unchanged"
    assert apply(sim, WEB.replace("replicas: 2", "replicas: 4")) == "deployment.apps/web configured"
    d = cluster(sim).deployments["default/web"]
    assert d.replicas == 4 and len(cluster(sim).replicasets_of(d)) == 1
    assert apply(sim, WEB.replace("nginx:1.27", "nginx:1.26")) == "deployment.apps/web configured"
    assert d.generation == 3 and len(cluster(sim).replicasets_of(d)) == 2


def test_apply_keeps_the_template_hash_of_kubectl_create():
    """The same pod template written as YAML is the same template: no rollout."""
    sim = make_sim()
    deploy(sim, "web", replicas=2)
    before = set(cluster(sim).replicasets)
    manifest = WEB.replace("        ports:\n        - containerPort: 80\n", "").split("        resources:")[0]
    assert apply(sim, manifest) == "deployment.apps/web unchanged"
    assert set(cluster(sim).replicasets) == before


def test_apply_strategy_history_and_change_cause():
    sim = make_sim()
    manifest = WEB.replace("  replicas: 2\n", "  replicas: 2\n  revisionHistoryLimit: 3\n"
                           "  progressDeadlineSeconds: 120\n  strategy:\n    type: RollingUpdate\n"
                           "    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}\n")
    manifest = manifest.replace("  labels: {app: web}\n", "  labels: {app: web}\n  annotations:\n"
                                "    kubernetes.io/change-cause: first\n", 1)
    apply(sim, manifest)
    d = cluster(sim).deployments["default/web"]
    assert (d.max_surge, d.max_unavailable, d.revision_history_limit, d.progress_deadline) == (1, 0, 3, 120)
    assert d.annotations["kubernetes.io/change-cause"] == "first"
    assert "first" in ok(sim, "kubectl rollout history deployment/web")
    apply(sim, manifest.replace("type: RollingUpdate\n    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}",
                                "type: Recreate"))
    assert d.strategy == "Recreate"


def test_apply_multi_document_in_order():
    sim = make_sim()
    text = apply(sim, "---\n".join([WEB, SERVICE, HPA]))
    assert text.split("\n") == ["deployment.apps/web created", "service/web created",
                                "horizontalpodautoscaler.autoscaling/web created"]


def test_apply_heredoc_form():
    sim = make_sim()
    assert ok(sim, f"kubectl apply -f - <<EOF\n{WEB}EOF") == "deployment.apps/web created"


def test_apply_service_from_yaml_and_update():
    sim = make_sim()
    apply(sim, WEB)
    assert apply(sim, SERVICE) == "service/web created"
    svc = cluster(sim).services["default/web"]
    assert svc.type == "NodePort" and svc.ports[0]["node_port"] == 30080 and svc.selector == {"app": "web"}
    assert apply(sim, SERVICE) == "service/web unchanged"
    assert apply(sim, SERVICE.replace("NodePort", "LoadBalancer")) == "service/web configured"
    assert svc.type == "LoadBalancer" and svc.lb_ready_at is not None
    sim.advance(60)
    assert svc.external_ip


def test_service_node_port_out_of_range():
    sim = make_sim()
    text = apply_fails(sim, SERVICE.replace("30080", "80"))
    assert text == ('The Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not '
                    "in the valid range. The range of valid ports is 30000-32767")


def test_hpa_from_yaml_v2_and_v1():
    sim = make_sim()
    apply(sim, WEB)
    assert apply(sim, HPA) == "horizontalpodautoscaler.autoscaling/web created"
    hpa = cluster(sim).hpas["default/web"]
    assert (hpa.target, hpa.min_replicas, hpa.max_replicas, hpa.cpu_target) == ("web", 2, 6, 60)
    v1 = ("apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n"
          "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 4\n"
          "  targetCPUUtilizationPercentage: 70\n")
    assert apply(sim, v1) == "horizontalpodautoscaler.autoscaling/web configured"
    assert (hpa.min_replicas, hpa.max_replicas, hpa.cpu_target) == (1, 4, 70)


def test_pod_and_namespace_from_yaml():
    sim = make_sim()
    manifest = ("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n"
                "apiVersion: v1\nkind: Pod\nmetadata: {name: one, namespace: shop, labels: {run: one}}\n"
                "spec:\n  containers: [{name: app, image: nginx:1.27}]\n")
    assert apply(sim, manifest).split("\n") == ["namespace/shop created", "pod/one created"]
    pod = cluster(sim).pods["shop/one"]
    assert pod.labels == {"run": "one"} and pod.owner_kind is None
    assert apply(sim, manifest).split("\n") == ["namespace/shop unchanged", "pod/one unchanged"]


def test_namespace_flag_and_mismatch():
    sim = make_sim()
    ok(sim, "kubectl create namespace team")
    assert ok(sim, f"kubectl apply -n team -f -\n{WEB}") == "deployment.apps/web created"
    assert "team/web" in cluster(sim).deployments
    text = fails(sim, f"kubectl apply -n other -f -\n{WEB.replace('name: web', 'name: web\n  namespace: team', 1)}")
    assert text.startswith('error: the namespace from the provided object "team" does not match the namespace '
                           '"other".')
    assert fails(sim, f"kubectl apply -n nope -f -\n{WEB}") == (
        'Error from server (NotFound): error when creating "STDIN": namespaces "nope" not found')


def test_node_name_bypasses_the_scheduler():
    sim = make_sim()
    node = sorted(cluster(sim).nodes)[1]
    apply(sim, f"apiVersion: v1\nkind: Pod\nmetadata: {{name: pinned}}\nspec:\n  nodeName: {node}\n"
               "  containers: [{name: app, image: nginx:1.27}]\n")
    pod = cluster(sim).pods["default/pinned"]
    assert pod.node == node and pod.node_name == node
    sim.advance(20)
    assert pod.phase == "Running"


def test_node_selector_without_a_matching_node_stays_pending():
    sim = make_sim()
    manifest = WEB.replace("    spec:\n      containers:", "    spec:\n      nodeSelector: {disk: ssd}\n"
                           "      containers:")
    apply(sim, manifest)
    sim.advance(10)
    pods = live_pods(sim, "web")
    assert pods and all(p.phase == "Pending" for p in pods)
    assert "node(s) didn't match Pod's node affinity/selector" in pods[0].unschedulable


def test_tolerations_and_probes_in_yaml():
    sim = make_sim()
    manifest = WEB.replace("    spec:\n      containers:", "    spec:\n      tolerations:\n"
                           "      - {key: dedicated, operator: Equal, value: web, effect: NoSchedule}\n"
                           "      containers:")
    manifest += ("        livenessProbe:\n          httpGet: {path: /healthz, port: 80}\n"
                 "          periodSeconds: 5\n        readinessProbe:\n          tcpSocket: {port: 80}\n")
    apply(sim, manifest)
    template = cluster(sim).deployments["default/web"].template
    assert template["tolerations"] == [{"key": "dedicated", "operator": "Equal", "value": "web",
                                        "effect": "NoSchedule"}]
    container = template["containers"][0]
    assert container["liveness"]["httpGet"]["path"] == "/healthz" and container["liveness"]["periodSeconds"] == 5
    assert container["readiness"]["tcpSocket"] == {"port": 80}
    sim.advance(5)
    pod = live_pods(sim, "web")[0]
    assert {"key": "dedicated", "operator": "Equal", "value": "web", "effect": "NoSchedule"} in pod.tolerations


def test_create_from_manifest_and_already_exists():
    sim = make_sim()
    assert apply(sim, WEB, verb="create") == "deployment.apps/web created"
    assert apply_fails(sim, WEB, verb="create") == (
        'Error from server (AlreadyExists): error when creating "STDIN": deployments.apps "web" already exists')


def test_delete_from_manifest():
    sim = make_sim()
    apply(sim, "---\n".join([WEB, SERVICE]))
    assert apply(sim, "---\n".join([WEB, SERVICE]), verb="delete").split("\n") == [
        'deployment.apps "web" deleted', 'service "web" deleted']
    assert "default/web" not in cluster(sim).deployments and "default/web" not in cluster(sim).services
    assert apply_fails(sim, WEB, verb="delete") == (
        'Error from server (NotFound): error when deleting "STDIN": deployments.apps "web" not found')


def test_dry_run_changes_nothing():
    sim = make_sim()
    assert apply(sim, WEB, extra=" --dry-run=client") == "deployment.apps/web created (dry run)"
    assert not cluster(sim).deployments


# --- errors ---------------------------------------------------------------------------------------------


def test_yaml_syntax_error_names_the_line():
    sim = make_sim()
    text = apply_fails(sim, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n   bad: 1\n")
    assert text == ("error: error parsing STDIN: error converting YAML to JSON: yaml: line 5: mapping values are "
                    "not allowed in this context")


def test_unknown_field_is_a_strict_decoding_error():
    sim = make_sim()
    assert apply_fails(sim, WEB.replace("replicas:", "replica:")) == (
        'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled '
        'as a Deployment: strict decoding error: unknown field "spec.replica"')
    text = apply_fails(sim, WEB.replace("image:", "imagee:"))
    assert 'unknown field "spec.template.spec.containers[0].imagee"' in text


def test_missing_selector_and_mismatched_labels():
    sim = make_sim()
    no_selector = WEB.replace("  selector:\n    matchLabels: {app: web}\n", "")
    assert apply_fails(sim, no_selector) == 'The Deployment "web" is invalid: spec.selector: Required value'
    assert apply_fails(sim, WEB.replace("      labels: {app: web}", "      labels: {app: x}")) == (
        'The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: '
        'map[string]string{"app":"x"}: `selector` does not match template `labels`')


def test_selector_is_immutable():
    sim = make_sim()
    apply(sim, WEB)
    changed = WEB.replace("matchLabels: {app: web}", "matchLabels: {app: web, tier: a}").replace(
        "      labels: {app: web}", "      labels: {app: web, tier: a}")
    assert apply_fails(sim, changed).startswith(
        'The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:'
        'map[string]string{"app":"web", "tier":"a"}')
    assert apply_fails(sim, changed).endswith(": field is immutable")


def test_missing_api_version_and_kind():
    sim = make_sim()
    assert apply_fails(sim, "metadata: {name: x}\n") == (
        'error: error validating "STDIN": error validating data: [apiVersion not set, kind not set]; if you choose '
        "to ignore these errors, turn validation off with --validate=false")


def test_unsupported_kind_is_korean():
    sim = make_sim()
    text = apply_fails(sim, "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\n")
    assert "StatefulSet" in text and has_hangul(text)


def test_file_names_and_empty_input():
    sim = make_sim()
    text = fails(sim, "kubectl apply -f deploy.yaml")
    assert has_hangul(text) and "kubectl apply -f -" in text
    assert fails(sim, "kubectl apply -f -") == "error: no objects passed to apply"


def test_bad_quantity_and_type():
    sim = make_sim()
    assert "quantities must match the regular expression" in apply_fails(sim, WEB.replace("200m", "lots"))
    assert apply_fails(sim, WEB.replace("replicas: 2", "replicas: two")).endswith(
        "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32")


def test_one_bad_document_does_not_undo_the_others():
    sim = make_sim()
    text = apply_fails(sim, WEB + "---\n" + SERVICE.replace("port: 80\n", "port: 0\n", 1))
    assert text.split("\n")[0] == "deployment.apps/web created"
    assert "default/web" in cluster(sim).deployments


def test_yaml_bomb_is_refused_quickly():
    sim = make_sim()
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    start = time.perf_counter()
    text = apply_fails(sim, "\n".join(lines))
    assert time.perf_counter() - start < 1
    assert has_hangul(text) and "10,000" in text


def test_self_referencing_alias_and_deep_nesting_are_refused():
    sim = make_sim()
    assert has_hangul(apply_fails(sim, "a: &a [*a]\n"))
    assert has_hangul(apply_fails(sim, "[" * 5000))


def test_size_and_document_caps():
    sim = make_sim(limits=Limits(max_manifest_bytes=1000))
    assert has_hangul(fails(sim, "kubectl apply -f -\n" + WEB * 5))
    sim = make_sim()
    many = "---\n".join(f"apiVersion: v1\nkind: Namespace\nmetadata: {{name: n{i}}}\n" for i in range(21))
    assert "20" in apply_fails(sim, many)


def test_replicas_must_fit_the_pod_limit():
    sim = make_sim(limits=Limits(max_pods=40))
    text = apply_fails(sim, WEB.replace("replicas: 2", "replicas: 500"))
    assert has_hangul(text) and not cluster(sim).deployments
