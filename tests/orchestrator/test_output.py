"""kubectl get -o yaml|json: API objects that parse back and apply again without changes."""

import json

import yaml

from tests.orchestrator.conftest import cluster, deploy, make_sim, ok


def test_get_deployment_yaml_has_the_api_fields():
    sim = make_sim()
    deploy(sim, "web", replicas=2)
    obj = yaml.safe_load(ok(sim, "kubectl get deployment web -o yaml"))
    assert (obj["apiVersion"], obj["kind"]) == ("apps/v1", "Deployment")
    meta = obj["metadata"]
    assert meta["name"] == "web" and meta["namespace"] == "default" and meta["generation"] == 1
    assert meta["annotations"]["deployment.kubernetes.io/revision"] == "1"
    assert meta["creationTimestamp"] == "2026-03-02T00:00:00Z" and meta["resourceVersion"].isdigit()
    assert obj["spec"]["selector"] == {"matchLabels": {"app": "web"}}
    assert obj["spec"]["strategy"]["rollingUpdate"] == {"maxSurge": "25%", "maxUnavailable": "25%"}
    container = obj["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "nginx:1.27" and container["imagePullPolicy"] == "IfNotPresent"
    status = obj["status"]
    assert status["readyReplicas"] == status["availableReplicas"] == status["replicas"] == 2
    assert {c["type"] for c in status["conditions"]} == {"Available", "Progressing"}


def test_output_is_deterministic():
    texts = []
    for _ in range(2):
        sim = make_sim()
        deploy(sim, "web", replicas=2)
        texts.append(ok(sim, "kubectl get pods -o yaml"))
    assert texts[0] == texts[1]


def test_get_pods_json_is_a_list():
    sim = make_sim()
    pods = deploy(sim, "web", replicas=2)
    obj = json.loads(ok(sim, "kubectl get pods -o json"))
    assert obj["kind"] == "List" and obj["apiVersion"] == "v1" and obj["metadata"] == {"resourceVersion": ""}
    assert {p["metadata"]["name"] for p in obj["items"]} == {p.name for p in pods}
    item = obj["items"][0]
    assert item["status"]["phase"] == "Running" and item["status"]["podIP"]
    assert item["status"]["containerStatuses"][0]["restartCount"] == 0
    assert item["status"]["containerStatuses"][0]["ready"] is True
    assert item["spec"]["containers"][0]["resources"] == {"requests": {"cpu": "100m"}}
    assert item["metadata"]["ownerReferences"][0]["kind"] == "ReplicaSet"
    assert "    " in ok(sim, "kubectl get pods -o json").split("\n")[1]  # indent=4


def test_get_node_yaml_has_capacity_and_info():
    sim = make_sim()
    name = sorted(cluster(sim).nodes)[0]
    obj = yaml.safe_load(ok(sim, f"kubectl get node {name} -o yaml"))
    assert obj["kind"] == "Node" and obj["status"]["allocatable"]["cpu"] == "940m"
    assert obj["status"]["nodeInfo"]["kubeletVersion"].startswith("v1.")
    assert {c["type"] for c in obj["status"]["conditions"]} >= {"Ready"}
    assert any(a["type"] == "InternalIP" for a in obj["status"]["addresses"])


def test_service_hpa_namespace_events_endpoints_and_replicasets_render():
    sim = make_sim()
    deploy(sim, "web", replicas=2)
    ok(sim, "kubectl expose deployment web --port=80 --type=LoadBalancer")
    ok(sim, "kubectl autoscale deployment web --max=5 --cpu-percent=50")
    sim.advance(60)
    svc = yaml.safe_load(ok(sim, "kubectl get service web -o yaml"))
    assert svc["spec"]["type"] == "LoadBalancer" and svc["status"]["loadBalancer"]["ingress"][0]["ip"]
    assert svc["spec"]["ports"][0]["nodePort"] >= 30000
    hpa = yaml.safe_load(ok(sim, "kubectl get hpa web -o yaml"))
    assert hpa["apiVersion"] == "autoscaling/v2" and hpa["spec"]["maxReplicas"] == 5
    assert hpa["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"] == 50
    ns = yaml.safe_load(ok(sim, "kubectl get namespace default -o yaml"))
    assert ns["status"]["phase"] == "Active"
    events = json.loads(ok(sim, "kubectl get events -o json"))
    assert events["kind"] == "List" and all(e["kind"] == "Event" for e in events["items"])
    ep = yaml.safe_load(ok(sim, "kubectl get endpoints web -o yaml"))
    assert {a["targetRef"]["name"] for a in ep["subsets"][0]["addresses"]} == {
        p.name for p in cluster(sim).pods.values() if p.namespace == "default" and p.ready}
    rs = yaml.safe_load(ok(sim, "kubectl get rs -o yaml"))["items"][0]
    assert rs["metadata"]["ownerReferences"][0]["name"] == "web"
    assert "pod-template-hash" in rs["spec"]["selector"]["matchLabels"]


def test_yaml_round_trip_is_unchanged():
    """What -o yaml prints applies again without errors and without a rollout."""
    sim = make_sim()
    deploy(sim, "web", replicas=2)
    ok(sim, "kubectl expose deployment web --port=80 --type=NodePort")
    ok(sim, "kubectl autoscale deployment web --min=2 --max=5")
    before = set(cluster(sim).replicasets)
    for target, line in (("deployment web", "deployment.apps/web unchanged"), ("service web", "service/web unchanged"),
                         ("hpa web", "horizontalpodautoscaler.autoscaling/web unchanged"),
                         ("namespace default", "namespace/default unchanged")):
        text = ok(sim, f"kubectl get {target} -o yaml")
        assert ok(sim, f"kubectl apply -f -\n{text}") == line
    pods = ok(sim, "kubectl get pods -o yaml")
    assert set(ok(sim, f"kubectl apply -f -\n{pods}").split("\n")) == {
        f"pod/{p.name} unchanged" for p in cluster(sim).pods.values() if p.namespace == "default"}
    assert set(cluster(sim).replicasets) == before


def test_yaml_round_trip_of_a_manifest_with_every_field():
    sim = make_sim()
    manifest = """apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
  template:
    metadata:
      labels: {app: api}
      annotations: {team: core}
    spec:
      nodeSelector: {cloud.google.com/gke-nodepool: default-pool}
      tolerations: [{key: dedicated, operator: Exists, effect: NoExecute, tolerationSeconds: 60}]
      containers:
      - name: api
        image: nginx:1.27
        command: [nginx, -g, daemon off;]
        env: [{name: MODE, value: prod}]
        ports: [{containerPort: 80, name: http}, {containerPort: 9090, name: metrics}]
        resources: {requests: {cpu: 250m, memory: 128Mi}, limits: {cpu: 500m, memory: 256Mi}}
        livenessProbe: {httpGet: {path: /healthz, port: http}, initialDelaySeconds: 3}
        readinessProbe: {tcpSocket: {port: 80}}
"""
    ok(sim, f"kubectl apply -f -\n{manifest}")
    text = ok(sim, "kubectl get deployment api -o yaml")
    assert ok(sim, f"kubectl apply -f -\n{text}") == "deployment.apps/api unchanged"
    as_json = ok(sim, "kubectl get deployment api -o json")
    assert ok(sim, f"kubectl apply -f -\n{as_json}") == "deployment.apps/api unchanged"
