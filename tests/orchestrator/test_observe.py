"""``kubectl top``, ``logs`` and ``label``: kubectl's columns and messages, deterministic synthetic logs, and the
controllers' reactions to new labels."""

import re

from orchestrator import Simulation
from tests.orchestrator.conftest import assert_aligned, cluster, deploy, fails, make_sim, node_names, ok, table_rows


def test_top_nodes_has_kubectl_columns_and_percent_of_allocatable():
    sim = make_sim()
    text = ok(sim, "kubectl top nodes")
    assert text.split("\n")[0].split() == ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]
    assert_aligned(text)
    for row in table_rows(text):
        node = cluster(sim).nodes[row["NAME"]]
        cpu, memory = int(row["CPU(cores)"][:-1]), int(row["MEMORY(bytes)"][:-2])
        assert re.fullmatch(r"\d+m", row["CPU(cores)"]) and re.fullmatch(r"\d+Mi", row["MEMORY(bytes)"])
        assert row["CPU(%)"] == f"{int(cpu / node.cpu * 100)}%"
        assert abs(int(row["MEMORY(%)"][:-1]) - memory * 2**20 * 100 // node.memory) <= 1
        assert 0 < cpu < node.cpu and 0 < memory * 2**20 < node.memory


def test_top_node_grows_with_traffic_and_sorts_by_cpu():
    sim = make_sim()
    deploy(sim, "web", replicas=1, image="registry.k8s.io/hpa-example")
    ok(sim, "kubectl expose deployment web --port=80")
    ok(sim, "sim traffic web 20")
    sim.advance(30)
    pod = next(p for p in cluster(sim).pods.values() if p.name.startswith("web-"))
    rows = table_rows(ok(sim, "kubectl top nodes --sort-by=cpu"))
    assert rows[0]["NAME"] == pod.node
    assert int(rows[0]["CPU(cores)"][:-1]) > 400
    assert fails(sim, "kubectl top nodes --sort-by=disk") == "error: --sort-by accepts only cpu or memory"


def test_top_node_without_metrics_shows_unknown():
    sim = make_sim()
    name = node_names(sim)[0]
    ok(sim, f"sim node fail {name}")
    sim.advance(60)
    row = next(r for r in table_rows(ok(sim, "kubectl top nodes")) if r["NAME"] == name)
    assert row["CPU(cores)"] == "<unknown>" and row["MEMORY(%)"] == "<unknown>"
    assert fails(sim, f"kubectl top node {name}") == (
        f'Error from server (NotFound): nodemetrics.metrics.k8s.io "{name}" not found')


def test_top_pods_waits_for_metrics_server_then_shows_usage():
    sim = make_sim()
    assert ok(sim, "kubectl top pods") == "No resources found in default namespace."
    ok(sim, "kubectl create deployment web --image=nginx:1.27 --replicas=2")
    sim.advance(6)
    assert fails(sim, "kubectl top pods") == "error: metrics not available yet"
    name = min(p.name for p in cluster(sim).pods.values() if p.namespace == "default")
    assert fails(sim, f"kubectl top pod {name}").startswith(
        f'Error from server (NotFound): podmetrics.metrics.k8s.io "default/{name}" not found')
    sim.advance(40)
    text = ok(sim, "kubectl top pods")
    assert text.split("\n")[0].split() == ["NAME", "CPU(cores)", "MEMORY(bytes)"]
    assert_aligned(text)
    assert [r["NAME"] for r in table_rows(text)] == sorted(p.name for p in cluster(sim).pods.values()
                                                           if p.namespace == "default")
    assert table_rows(ok(sim, f"kubectl top pod {name}"))[0]["NAME"] == name


def test_top_pods_blames_an_old_pod_without_metrics():
    sim = make_sim()
    ok(sim, "kubectl run bad --image=nginx:nope")
    sim.advance(125)
    assert fails(sim, "kubectl top pods") == "error: Metrics not available for pod default/bad, age: 2m5s"


def test_top_pods_containers_all_namespaces_and_selector():
    sim = make_sim()
    deploy(sim, "web", replicas=2, settle=60)
    deploy(sim, "api", replicas=1, image="redis:7.2", settle=60)
    text = ok(sim, "kubectl top pods --containers -l app=web")
    assert text.split("\n")[0].split() == ["POD", "NAME", "CPU(cores)", "MEMORY(bytes)"]
    assert {r["NAME"] for r in table_rows(text)} == {"nginx"}
    every = ok(sim, "kubectl top pods -A")
    assert every.split("\n")[0].split()[0] == "NAMESPACE"
    assert any(r["NAMESPACE"] == "kube-system" for r in table_rows(every))
    assert fails(sim, "kubectl top pod x -l app=web") == "error: only one of NAME or selector can be provided"


def _first(sim, prefix="web"):
    return min((p for p in cluster(sim).pods.values() if p.name.startswith(prefix + "-")), key=lambda p: p.name)


def test_logs_of_nginx_start_with_the_entrypoint_and_show_traffic():
    sim = make_sim()
    deploy(sim, "web", replicas=1)
    lines = ok(sim, f"kubectl logs {_first(sim).name}").split("\n")
    assert lines[0].startswith("/docker-entrypoint.sh: ")
    assert "/docker-entrypoint.sh: Configuration complete; ready for start up" in lines
    assert any(re.search(r"\[notice\] 1#1: nginx/1\.27\.\d+$", line) for line in lines)
    ok(sim, "kubectl expose deployment web --port=80")
    ok(sim, "sim traffic web 5")
    sim.advance(20)
    text = ok(sim, f"kubectl logs {_first(sim).name}")
    access = [line for line in text.split("\n") if '"GET / HTTP/1.1" 200 615' in line]
    assert len(access) >= 5 * 15
    shape = r'10\.\d+\.\d+\.1 - - \[02/Mar/2026:00:\d\d:\d\d \+0000\] "GET / HTTP/1\.1" 200 615 "-" "[^"]+" "-"'
    assert re.fullmatch(shape, access[-1])
    assert len(ok(sim, f"kubectl logs {_first(sim).name} --tail=3").split("\n")) == 3


def test_logs_are_deterministic_and_leave_the_rng_alone():
    outputs = []
    for _ in range(2):
        sim = make_sim(seed=7)
        deploy(sim, "web", replicas=2)
        before = sim.to_dict()
        outputs.append(ok(sim, "kubectl logs deployment/web --timestamps"))
        assert sim.to_dict() == before
    assert outputs[0] == outputs[1]
    assert outputs[0].startswith("Found 2 pods, using pod/web-")


def test_logs_of_other_images_speak_their_own_style():
    sim = make_sim()
    deploy(sim, "boot", replicas=1, image="gcr.io/google-samples/kubernetes-bootcamp:v1")
    deploy(sim, "hello", replicas=1, image="us-docker.pkg.dev/google-samples/containers/gke/hello-app:1.0")
    deploy(sim, "cache", replicas=1, image="redis:7.2")
    assert ok(sim, f"kubectl logs {_first(sim, 'boot').name}").startswith("Kubernetes Bootcamp App Started At: 2026-")
    assert ok(sim, f"kubectl logs {_first(sim, 'hello').name}").endswith("Server listening on port 8080")
    assert ok(sim, f"kubectl logs {_first(sim, 'cache').name}").endswith("Ready to accept connections tcp")


def test_logs_of_a_crashing_pod_end_in_the_crash_and_previous_needs_a_restart():
    sim = make_sim()
    deploy(sim, "web", replicas=1)
    pod = _first(sim)
    assert fails(sim, f"kubectl logs {pod.name} --previous") == (
        f'Error from server (BadRequest): previous terminated container "nginx" in pod "{pod.name}" not found')
    ok(sim, "sim app crash web")
    sim.advance(5)
    assert pod.restarts >= 1
    previous = ok(sim, f"kubectl logs {pod.name} -p").split("\n")
    assert previous[-1].startswith("nginx: [emerg] host not found in upstream")


def test_logs_errors_use_the_kubelets_words():
    sim = make_sim()
    ok(sim, "kubectl run bad --image=nginx:nope")
    ok(sim, "kubectl run slow --image=nginx:1.27")
    sim.advance(1)
    assert fails(sim, "kubectl logs slow") == (
        'Error from server (BadRequest): container "slow" in pod "slow" is waiting to start: ContainerCreating')
    sim.advance(10)
    assert fails(sim, "kubectl logs bad") == ('Error from server (BadRequest): container "bad" in pod "bad" is waiting '
                                              "to start: trying and failing to pull image")
    assert fails(sim, "kubectl logs nope") == 'Error from server (NotFound): pods "nope" not found'
    assert fails(sim, "kubectl logs slow -c web") == (
        "Error from server (BadRequest): container web is not valid for pod slow")
    assert "follow" in fails(sim, "kubectl logs slow -f")
    assert fails(sim, "kubectl logs").startswith("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.")


def test_label_adds_overwrites_and_removes_with_kubectls_messages():
    sim = make_sim()
    deploy(sim, "web", replicas=1)
    name = _first(sim).name
    assert ok(sim, f"kubectl label pods {name} tier=frontend") == f"pod/{name} labeled"
    assert fails(sim, f"kubectl label pod {name} tier=backend") == (
        "error: 'tier' already has a value (frontend), and --overwrite is false")
    assert ok(sim, f"kubectl label pod {name} tier=backend --overwrite") == f"pod/{name} labeled"
    assert ok(sim, f"kubectl label pod {name} tier-") == f"pod/{name} unlabeled"
    assert ok(sim, "kubectl label deployment web team=a") == "deployment.apps/web labeled"
    assert ok(sim, "kubectl label svc kubernetes team=a") == "service/kubernetes labeled"
    assert fails(sim, f"kubectl label pod {name} x=a=b") == "error: invalid label spec: x=a=b"
    assert fails(sim, f"kubectl label pod {name} x=-a").startswith('error: invalid label value: "x=-a": a valid label')
    assert fails(sim, f"kubectl label pod {name} a=1 a-") == (
        "error: can not both modify and remove a label in the same command")
    assert fails(sim, f"kubectl label pod {name}") == "error: at least one label update is required"
    assert fails(sim, "kubectl label pod nope a=b") == 'Error from server (NotFound): pods "nope" not found'


def test_relabelled_pod_is_orphaned_and_replaced_and_leaves_the_service():
    sim = make_sim()
    pods = deploy(sim, "web", replicas=2)
    ok(sim, "kubectl expose deployment web --port=80")
    orphan = pods[0]
    ok(sim, f"kubectl label pod {orphan.name} app=debug --overwrite")
    assert orphan.owner is None and orphan.phase == "Running"
    web = [p for p in cluster(sim).pods.values() if p.labels.get("app") == "web" and not p.terminating]
    assert len(web) == 2 and orphan not in web  # the ReplicaSet made a replacement at once
    sim.advance(30)
    endpoints = ok(sim, "kubectl get endpoints web")
    assert orphan.ip not in endpoints
    # Putting the label back lets the ReplicaSet adopt it again, and it now has one pod too many.
    ok(sim, f"kubectl label pod {orphan.name} app=web --overwrite")
    live = [p for p in cluster(sim).pods.values() if p.labels.get("app") == "web" and not p.terminating]
    assert len(live) == 2


def test_node_label_lets_a_node_selector_pod_schedule():
    sim = make_sim()
    manifest = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: fast\nspec:\n  nodeSelector:\n    disk: ssd\n"
                "  containers:\n  - name: nginx\n    image: nginx:1.27\n")
    ok(sim, "kubectl apply -f -\n" + manifest)
    sim.advance(5)
    pod = cluster(sim).pods["default/fast"]
    assert pod.node is None
    node = node_names(sim)[1]
    assert ok(sim, f"kubectl label nodes {node} disk=ssd") == f"node/{node} labeled"
    sim.advance(2)
    assert pod.node == node


def test_same_seed_same_top_output():
    texts = []
    for _ in range(2):
        sim = Simulation(seed=3)
        ok(sim, "gcloud container clusters create demo --num-nodes=2 --zone=asia-northeast3-a")
        deploy(sim, "web", replicas=2, settle=60)
        texts.append(ok(sim, "kubectl top pods") + ok(sim, "kubectl top nodes"))
    assert texts[0] == texts[1]
