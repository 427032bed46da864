"""Our kubectl get in all its forms, and kubectl's own error texts for bad flags, types and names."""

import pytest

from orchestrator import Simulation
from tests.orchestrator.conftest import (
    assert_aligned,
    column,
    deploy,
    fails,
    has_hangul,
    make_sim,
    node_names,
    ok,
    table_rows,
)

# --- get ------------------------------------------------------------------------------------------


def test_get_nodes_lists_every_node_ready():
    sim = make_sim()
    text = ok(sim, "kubectl get nodes")
    assert text.split("\n")[0].split() == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]
    rows = table_rows(text)
    assert [r["NAME"] for r in rows] == node_names(sim)
    assert {r["STATUS"] for r in rows} == {"Ready"}
    assert {r["ROLES"] for r in rows} == {"<none>"}
    assert all(r["NAME"].startswith("gke-demo-default-pool-") for r in rows)
    assert_aligned(text)


def test_get_nodes_wide_adds_addresses_and_runtime():
    sim = make_sim()
    text = ok(sim, "kubectl get nodes -o wide")
    header = table_rows(text)[0].keys()
    assert list(header) == ["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE",
                            "KERNEL-VERSION", "CONTAINER-RUNTIME"]
    rows = table_rows(text)
    assert len({r["INTERNAL-IP"] for r in rows}) == 3
    assert all(r["CONTAINER-RUNTIME"].startswith("containerd://") for r in rows)
    assert_aligned(text)


def test_get_pods_empty_namespace():
    sim = make_sim()
    assert ok(sim, "kubectl get pods") == "No resources found in default namespace."
    assert ok(sim, "kubectl get deployments") == "No resources found in default namespace."


def test_get_pods_shows_running_pods_aligned():
    sim = make_sim()
    deploy(sim, replicas=3)
    text = ok(sim, "kubectl get pods")
    assert text.split("\n")[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    rows = table_rows(text)
    assert len(rows) == 3
    assert {(r["READY"], r["STATUS"], r["RESTARTS"]) for r in rows} == {("1/1", "Running", "0")}
    assert_aligned(text)


def test_get_pods_wide_shows_ip_and_node():
    sim = make_sim()
    pods = deploy(sim, replicas=3)
    text = ok(sim, "kubectl get pods -o wide")
    rows = table_rows(text)
    assert list(rows[0]) == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE",
                             "READINESS GATES"]
    assert {r["NODE"] for r in rows} == {p.node for p in pods}
    assert {r["IP"] for r in rows} == {p.ip for p in pods}
    assert {r["NOMINATED NODE"] for r in rows} == {"<none>"}
    assert_aligned(text)


def test_get_pods_o_name():
    sim = make_sim()
    pods = deploy(sim, replicas=2)
    assert ok(sim, "kubectl get pods -o name").split("\n") == [f"pod/{p.name}" for p in pods]
    assert ok(sim, "kubectl get deploy -o name") == "deployment.apps/web"


def test_get_pods_by_label_selector():
    sim = make_sim()
    deploy(sim, "web", replicas=2)
    deploy(sim, "api", replicas=1, image="redis:7.4")
    assert len(table_rows(ok(sim, "kubectl get pods -l app=web"))) == 2
    assert len(table_rows(ok(sim, "kubectl get pods --selector=app=api"))) == 1
    assert len(table_rows(ok(sim, "kubectl get pods -l app!=web"))) == 1
    assert ok(sim, "kubectl get pods -l app=nothing") == "No resources found in default namespace."


def test_get_pods_in_kube_system_shows_gke_system_pods():
    sim = make_sim()
    names = column(ok(sim, "kubectl get pods -n kube-system"), "NAME")
    assert sum(n.startswith("kube-proxy-gke-demo-") for n in names) == 3
    assert sum(n.startswith("fluentbit-gke-") for n in names) == 3


def test_get_pods_all_namespaces_adds_namespace_column():
    sim = make_sim()
    deploy(sim, replicas=1)
    text = ok(sim, "kubectl get pods -A")
    assert text.split("\n")[0].split()[:2] == ["NAMESPACE", "NAME"]
    namespaces = column(text, "NAMESPACE")
    assert "default" in namespaces and "kube-system" in namespaces
    assert_aligned(text)
    assert ok(sim, "kubectl get pods --all-namespaces") == text


def test_get_pods_show_labels():
    sim = make_sim()
    pods = deploy(sim, replicas=1)
    rows = table_rows(ok(sim, "kubectl get pods --show-labels"))
    assert rows[0]["LABELS"] == f"app=web,pod-template-hash={pods[0].labels['pod-template-hash']}"


def test_get_deployments_columns_and_wide():
    sim = make_sim()
    deploy(sim, replicas=3)
    rows = table_rows(ok(sim, "kubectl get deployments"))
    assert rows == [{"NAME": "web", "READY": "3/3", "UP-TO-DATE": "3", "AVAILABLE": "3", "AGE": "30s"}]
    wide = table_rows(ok(sim, "kubectl get deploy -o wide"))[0]
    assert (wide["CONTAINERS"], wide["IMAGES"], wide["SELECTOR"]) == ("nginx", "nginx:1.27", "app=web")


def test_get_replicasets():
    sim = make_sim()
    pods = deploy(sim, replicas=2)
    text = ok(sim, "kubectl get rs")
    rows = table_rows(text)
    assert rows == [{"NAME": pods[0].owner, "DESIRED": "2", "CURRENT": "2", "READY": "2", "AGE": "30s"}]
    assert pods[0].owner.startswith("web-")
    wide = table_rows(ok(sim, "kubectl get replicasets -o wide"))[0]
    assert wide["SELECTOR"] == f"app=web,pod-template-hash={pods[0].owner.removeprefix('web-')}"


def test_get_services_shows_the_kubernetes_service():
    sim = make_sim()
    rows = table_rows(ok(sim, "kubectl get services"))
    assert [(r["NAME"], r["TYPE"], r["EXTERNAL-IP"], r["PORT(S)"]) for r in rows] == [
        ("kubernetes", "ClusterIP", "<none>", "443/TCP")]
    assert table_rows(ok(sim, "kubectl get svc -o wide"))[0]["SELECTOR"] == "<none>"


def test_get_namespaces():
    sim = make_sim()
    rows = table_rows(ok(sim, "kubectl get namespaces"))
    assert [r["NAME"] for r in rows] == ["default", "kube-node-lease", "kube-public", "kube-system"]
    assert {r["STATUS"] for r in rows} == {"Active"}
    ok(sim, "kubectl create namespace shop")
    assert "shop" in column(ok(sim, "kubectl get ns"), "NAME")


def test_get_events_lists_what_happened():
    sim = make_sim()
    deploy(sim, replicas=1)
    text = ok(sim, "kubectl get events")
    assert text.split("\n")[0].split()[:4] == ["LAST", "SEEN", "TYPE", "REASON"]
    reasons = column(text, "REASON")
    for reason in ("ScalingReplicaSet", "SuccessfulCreate", "Scheduled", "Pulling", "Pulled", "Created", "Started"):
        assert reason in reasons
    assert_aligned(text)


def test_get_all_shows_sections_with_kind_prefixes():
    sim = make_sim()
    deploy(sim, replicas=1)
    text = ok(sim, "kubectl get all")
    blocks = text.split("\n\n")
    assert [b.split("\n")[1].split()[0].split("/")[0] for b in blocks] == [
        "pod", "service", "deployment.apps", "replicaset.apps"]
    assert "deployment.apps/web" in text
    assert_aligned(text)


@pytest.mark.parametrize("args", ["deployment web", "deployment/web", "deploy/web", "deployments web",
                                  "deploy web", "deployments.apps web"])
def test_get_one_deployment_in_every_spelling(args):
    sim = make_sim()
    deploy(sim, replicas=1)
    assert column(ok(sim, f"kubectl get {args}"), "NAME") == ["web"]


@pytest.mark.parametrize("flags", ["-n kube-system", "-nkube-system", "-n=kube-system", "--namespace kube-system",
                                   "--namespace=kube-system"])
def test_flags_accept_equals_and_space_forms(flags):
    sim = make_sim()
    assert len(table_rows(ok(sim, f"kubectl get pods {flags}"))) == 12


def test_output_flag_space_and_equals_forms_agree():
    sim = make_sim()
    deploy(sim, replicas=1)
    assert ok(sim, "kubectl get pods -o wide") == ok(sim, "kubectl get pods --output=wide")
    assert ok(sim, "kubectl get pods -owide") == ok(sim, "kubectl get pods --output wide")


def test_get_missing_objects_are_not_found():
    sim = make_sim()
    assert fails(sim, "kubectl get deployment x") == 'Error from server (NotFound): deployments.apps "x" not found'
    assert fails(sim, "kubectl get pod x") == 'Error from server (NotFound): pods "x" not found'
    assert fails(sim, "kubectl get node x") == 'Error from server (NotFound): nodes "x" not found'
    assert fails(sim, "kubectl get svc x") == 'Error from server (NotFound): services "x" not found'


def test_get_by_name_across_all_namespaces_is_refused():
    sim = make_sim()
    deploy(sim, replicas=1)
    assert fails(sim, "kubectl get deployment web -A") == (
        "error: a resource cannot be retrieved by name across all namespaces")


def test_type_and_type_slash_name_cannot_be_mixed():
    sim = make_sim()
    deploy(sim, replicas=1)
    text = fails(sim, "kubectl get deployment deploy/web")
    assert text.startswith("error: there is no need to specify a resource type as a separate argument when passing "
                           "arguments in resource/name form")


def test_get_unknown_resource_type():
    sim = make_sim()
    assert fails(sim, "kubectl get flurbs") == 'error: the server doesn\'t have a resource type "flurbs"'


def test_get_unsimulated_resource_type_answers_in_korean():
    sim = make_sim()
    assert has_hangul(fails(sim, "kubectl get statefulsets"))


def test_get_without_type_fails():
    sim = make_sim()
    assert "error: Required resource not specified." in fails(sim, "kubectl get")


def test_unknown_flag_uses_kubectl_text():
    sim = make_sim()
    assert fails(sim, "kubectl get pods --foo") == "error: unknown flag: --foo\nSee 'kubectl get --help' for usage."


def test_unknown_shorthand_flag():
    sim = make_sim()
    assert fails(sim, "kubectl get pods -z").startswith("error: unknown shorthand flag: 'z' in -z")


def test_flag_without_value():
    sim = make_sim()
    assert fails(sim, "kubectl get pods -n").startswith("error: flag needs an argument: 'n' in -n")


def test_unknown_namespace_is_not_found():
    sim = make_sim()
    text = fails(sim, "kubectl create deployment web --image=nginx -n nowhere")
    assert text == 'Error from server (NotFound): namespaces "nowhere" not found'


def test_unknown_command():
    sim = make_sim()
    text = fails(sim, "kubectl foo")
    assert text.split("\n")[0] == 'error: unknown command "foo" for "kubectl"'


@pytest.mark.parametrize("line", ["kubectl exec x -- ls", "kubectl port-forward x 8080:80",
                                  "kubectl cp x:/tmp/a /tmp/b", "kubectl attach x"])
def test_real_but_unsimulated_commands_answer_in_korean(line):
    sim = make_sim()
    result = sim.execute(line)
    assert not result.ok
    assert has_hangul(result.text)


def test_kubectl_without_cluster_cannot_connect():
    sim = Simulation(seed=1)
    text = fails(sim, "kubectl get nodes")
    assert text.startswith("The connection to the server localhost:8080 was refused - did you specify the right "
                           "host or port?")
