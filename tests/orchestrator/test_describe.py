"""``kubectl describe``: kubectl's layout (tabwriter columns), the fields each kind shows, and its errors."""

import re

import pytest

from orchestrator import Simulation
from tests.orchestrator.conftest import deploy, fails, make_sim, ok


@pytest.fixture
def sim():
    """Three e2-medium nodes and ``web`` (nginx:1.27, 3 replicas), settled for 30 s."""
    sim = make_sim()
    deploy(sim, "web", replicas=3)
    return sim


def value_column(text, label):
    """Where the value after ``label`` starts on its line."""
    line = next(line for line in text.splitlines() if line.startswith(label))
    return len(line) - len(line[len(label):].lstrip(" "))


def first_pod(sim):
    return min((p for p in sim.current_cluster().pods.values() if p.namespace == "default"), key=lambda p: p.name)


def test_pod_label_values_line_up_in_one_column(sim):
    text = ok(sim, f"kubectl describe pod {first_pod(sim).name}")
    # The widest label of the first block is "Service Account:" (16) + padding 2.
    for label in ("Name:", "Namespace:", "Priority:", "Service Account:", "Node:", "Start Time:", "Labels:",
                  "Status:", "IP:"):
        assert value_column(text, label) == 18, label
    assert "\n                  pod-template-hash=" in text  # label continuation lines use the same column


def test_pod_shows_kubectl_fields_in_order(sim):
    pod = first_pod(sim)
    text = ok(sim, f"kubectl describe pod {pod.name}")
    node = sim.current_cluster().nodes[pod.node]
    expected = [
        f"Name:             {pod.name}", "Namespace:        default", "Priority:         0",
        "Service Account:  default", f"Node:             {node.name}/{node.internal_ip}", "Annotations:      <none>",
        "Status:           Running", f"IP:               {pod.ip}", "IPs:", f"  IP:           {pod.ip}",
        f"Controlled By:  ReplicaSet/{pod.owner}", "Containers:", "  nginx:", "    Image:          nginx:1.27",
        "    State:          Running", "    Ready:          True", "    Restart Count:  0", "    Requests:",
        "      cpu:        100m", "Conditions:", "  Type                        Status",
        "  PodReadyToStartContainers   True ", "  PodScheduled                True ", "Volumes:",
        "QoS Class:                   Burstable", "Node-Selectors:              <none>",
        "Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s",
        "                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s", "Events:",
    ]
    lines = text.splitlines()
    positions = [lines.index(line) for line in expected]
    assert positions == sorted(positions)
    assert re.search(r"^    Container ID:   containerd://[0-9a-f]{64}$", text, re.M)
    assert re.search(r"^    Image ID:       docker\.io/library/nginx@sha256:[0-9a-f]{64}$", text, re.M)
    assert re.search(r"^      /var/run/secrets/kubernetes\.io/serviceaccount from kube-api-access-[a-z0-9]{5} \(ro\)$",
                     text, re.M)


def test_pod_events_table_has_kubectl_header_and_rows(sim):
    pod = first_pod(sim)
    lines = ok(sim, f"kubectl describe pod {pod.name}").splitlines()
    start = lines.index("Events:")
    assert lines[start + 1].split() == ["Type", "Reason", "Age", "From", "Message"]
    assert lines[start + 2].split() == ["----", "------", "----", "----", "-------"]
    assert lines[start + 1].index("Reason") == lines[start + 3].index("Scheduled")
    assert lines[start + 3].split()[:4] == ["Normal", "Scheduled", "29s", "default-scheduler"]
    assert any("Created container: nginx" in line for line in lines[start:])


def test_describe_unknown_name_is_not_found(sim):
    assert fails(sim, "kubectl describe pod nope") == 'Error from server (NotFound): pods "nope" not found'
    assert fails(sim, "kubectl describe deployment/nope") == (
        'Error from server (NotFound): deployments.apps "nope" not found')
    assert fails(sim, "kubectl describe node nope") == 'Error from server (NotFound): nodes "nope" not found'


def test_describe_without_type_asks_for_one(sim):
    assert fails(sim, "kubectl describe").startswith("error: You must specify the type of resource to describe.")


def test_describe_of_kinds_not_described_yet_says_so_in_korean(sim):
    assert "아직 지원하지 않습니다" in fails(sim, "kubectl describe namespace default")


def test_name_prefix_describes_every_matching_pod(sim):
    text = ok(sim, "kubectl describe pod web")  # kubectl's describeMatchingResources
    assert text.count("\nNamespace:") + text.startswith("Namespace:") == 3
    assert "\n\nName:" in text and "\n\n\nName:" not in text


def test_several_objects_are_separated_like_kubectl(sim):
    text = ok(sim, "kubectl describe pods")
    assert len(re.findall(r"^Name:", text, re.M)) == 3
    assert text.count("\n\n\nName:") == 2


def test_node_allocatable_cpu_of_e2_medium_is_940m(sim):
    node = sorted(sim.current_cluster().nodes)[0]
    lines = ok(sim, f"kubectl describe node {node}").splitlines()
    allocatable = lines[lines.index("Allocatable:") + 1:]
    assert allocatable[0] == "  cpu:                940m"
    capacity = lines[lines.index("Capacity:") + 1:]
    assert capacity[0] == "  cpu:                2"
    assert any(re.fullmatch(r"  memory:\s+\d+Ki", line) for line in allocatable[:6])


def test_node_lists_every_pod_bound_to_it(sim):
    cluster = sim.current_cluster()
    node = cluster.nodes[sorted(cluster.nodes)[0]]
    pods = cluster.pods_on(node)
    text = ok(sim, f"kubectl describe node {node.name}")
    assert re.search(rf"^Non-terminated Pods:\s+\({len(pods)} in total\)$", text, re.M)
    lines = text.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("Non-terminated Pods:")))
    rows = lines[start + 3:start + 3 + len(pods)]
    assert sorted(row.split()[1] for row in rows) == sorted(p.name for p in pods)
    assert lines[start + 3 + len(pods)] == "Allocated resources:"
    # The System Info labels and the pod table's first column share one tabwriter block.
    assert value_column(text, "  Container Runtime Version:") == lines[start + 1].index(" Name ") + 1


def test_node_shows_gke_identity(sim):
    node = sim.current_cluster().nodes[sorted(sim.current_cluster().nodes)[0]]
    text = ok(sim, f"kubectl describe node {node.name}")
    assert "Roles:              <none>" in text
    assert f"ProviderID:                   gce://{sim.project}/{node.zone}/{node.name}" in text
    assert f"  Hostname:     {node.name}.{node.zone}.c.{sim.project}.internal" in text
    assert re.search(r"^  Ready +True +.* KubeletReady +kubelet is posting ready status$", text, re.M)
    assert "Unschedulable:      false" in text


def test_cordoned_node_shows_the_unschedulable_taint(sim):
    node = sorted(sim.current_cluster().nodes)[0]
    ok(sim, f"kubectl cordon {node}")
    text = ok(sim, f"kubectl describe node {node}")
    assert "Taints:             node.kubernetes.io/unschedulable:NoSchedule" in text
    assert "Unschedulable:      true" in text


def test_failed_node_reports_unknown_conditions(sim):
    node = sorted(sim.current_cluster().nodes)[0]
    ok(sim, f"sim node fail {node}")
    sim.advance(60)
    text = ok(sim, f"kubectl describe node {node}")
    assert len(re.findall(r"Unknown +.* NodeStatusUnknown +Kubelet stopped posting node status\.$", text, re.M)) == 4
    assert "                    node.kubernetes.io/unreachable:NoSchedule" in text


def test_deployment_after_settling(sim):
    text = ok(sim, "kubectl describe deployment web")
    assert "Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable" in text
    assert "Annotations:            deployment.kubernetes.io/revision: 1" in text
    assert "RollingUpdateStrategy:  25% max unavailable, 25% max surge" in text
    assert "    Image:         nginx:1.27" in text
    assert re.search(r"^  Available      True    MinimumReplicasAvailable$", text, re.M)
    assert re.search(r"^  Progressing    True    NewReplicaSetAvailable$", text, re.M)
    assert "OldReplicaSets:  <none>" in text
    assert re.search(r"^NewReplicaSet:   web-[a-z0-9]+ \(3/3 replicas created\)$", text, re.M)
    assert "Scaled up replica set web-" in text


def test_replicaset_counts_its_pods(sim):
    text = ok(sim, "kubectl describe rs")
    assert "Controlled By:  Deployment/web" in text
    assert "Replicas:       3 current / 3 desired" in text
    assert "Pods Status:    3 Running / 0 Waiting / 0 Succeeded / 0 Failed" in text
    assert "                deployment.kubernetes.io/revision: 1" in text


def test_pending_pod_shows_why_it_cannot_be_scheduled(sim):
    ok(sim, "kubectl scale deployment web --replicas=40")
    sim.advance(10)
    pending = next(p for p in sim.current_cluster().pods.values() if p.node is None)
    text = ok(sim, f"kubectl describe pod {pending.name}")
    assert "Node:             <none>" in text
    assert "IPs:              <none>" in text
    assert "Container ID" not in text and "State:" not in text
    assert "  PodScheduled   False " in text
    assert re.search(r"^  Warning  FailedScheduling  \S+ +default-scheduler  0/3 nodes are available: ", text, re.M)
    summary = ok(sim, "kubectl describe deploy web")
    assert re.search(r"^  Available      False   MinimumReplicasUnavailable$", summary, re.M)


def test_terminating_pod_shows_grace_period(sim):
    pod = first_pod(sim)
    ok(sim, f"kubectl delete pod {pod.name}")
    text = ok(sim, f"kubectl describe pod {pod.name}")
    assert "Status:                    Terminating (lasts <invalid>)" in text
    assert "Termination Grace Period:  30s" in text


def test_selectors_namespaces_and_empty_results(sim):
    assert ok(sim, "kubectl describe pods -l app=nope") == "No resources found in default namespace."
    assert ok(sim, "kubectl describe pods -A -l app=nope") == "No resources found"
    assert len(re.findall(r"^Name:", ok(sim, "kubectl describe pods -l app=web"), re.M)) == 3
    system = ok(sim, "kubectl describe pods -n kube-system -l k8s-app=kube-proxy")
    assert len(re.findall(r"^Controlled By:  Node/", system, re.M)) == 3
    assert fails(sim, "kubectl describe pod web -l app=web") == (
        "error: name cannot be provided when a selector is specified")


def test_crash_looping_container_shows_its_last_state(sim):
    pod = first_pod(sim)
    ok(sim, "sim app crash web")
    for _ in range(120):
        sim.advance(1)
        if pod.reason == "CrashLoopBackOff":
            break
    text = ok(sim, f"kubectl describe pod {pod.name}")
    lines = text.splitlines()
    state = lines.index("    State:          Waiting")
    assert lines[state + 1:state + 5] == ["      Reason:       CrashLoopBackOff", "    Last State:     Terminated",
                                          "      Reason:       Error", "      Exit Code:    1"]
    assert f"    Restart Count:  {pod.restarts}" in lines
    assert re.search(r"^  Warning  BackOff +.* kubelet +Back-off restarting failed container nginx", text, re.M)


def test_probes_are_described_in_pod_and_template():
    sim = make_sim()
    ok(sim, "kubectl create deployment web --image=nginx:1.27 --replicas=0")
    d = sim.current_cluster().deployments["default/web"]
    d.template["containers"][0]["liveness"] = {"httpGet": {"port": 80, "path": "/healthz"}}
    text = ok(sim, "kubectl describe deployment web")
    assert ("    Liveness:      http-get http://:80/healthz delay=0s timeout=1s period=10s #success=1 #failure=3"
            in text.splitlines())


def test_describe_is_deterministic():
    def run():
        sim = Simulation(seed=7)
        sim.run("gcloud container clusters create demo --num-nodes=2 --zone=asia-northeast3-a")
        sim.run("kubectl create deployment web --image=nginx:1.27 --replicas=2")
        sim.advance(20)
        return sim.run("kubectl describe pods") + sim.run("kubectl describe nodes")

    assert run() == run()
