"""Kubelet, ReplicaSet and Deployment controllers, watched through the state they leave behind."""

import re

from tests.orchestrator.conftest import cluster, deploy, live_pods, make_sim, ok, pods_of, running, table_rows


def _pod_events(sim, pod_name):
    return [e for e in cluster(sim).events if e.kind == "Pod" and e.name == pod_name]


def test_pod_goes_pending_then_container_creating_then_running():
    sim = make_sim()
    ok(sim, "kubectl create deployment web --image=nginx:1.27")
    (pod,) = pods_of(sim, "web")
    seen = [pod.status_text]
    for _ in range(20):
        sim.advance(1)
        if pod.status_text != seen[-1]:
            seen.append(pod.status_text)
    assert seen == ["Pending", "ContainerCreating", "Running"]
    assert pod.ready and pod.ip is not None and pod.started_at is not None


def test_pod_lifecycle_events_in_order():
    sim = make_sim()
    (pod,) = deploy(sim, replicas=1)
    reasons = [e.reason for e in _pod_events(sim, pod.name)]
    assert reasons == ["Scheduled", "Pulling", "Pulled", "Created", "Started"]
    messages = {e.reason: e.message for e in _pod_events(sim, pod.name)}
    assert messages["Pulling"] == 'Pulling image "nginx:1.27"'
    assert messages["Created"] == "Created container: nginx"
    assert messages["Started"] == "Started container nginx"
    assert all(e.source == "kubelet" for e in _pod_events(sim, pod.name) if e.reason != "Scheduled")


def test_pulled_message_prints_durations_like_go():
    """The kubelet formats the pull time with Go's time.Duration: 3.1s, never 3.100s."""
    sim = make_sim()
    (pod,) = deploy(sim, replicas=1)
    (pulled,) = [e for e in _pod_events(sim, pod.name) if e.reason == "Pulled"]
    match = re.fullmatch(r'Successfully pulled image "nginx:1.27" in (\S+) \((\S+) including waiting\)\. '
                         r"Image size: 72000000 bytes\.", pulled.message)
    assert match, pulled.message
    for duration in match.groups():
        assert re.fullmatch(r"\d+(\.\d*[1-9])?m?s", duration), f"{duration!r} is not how Go prints a Duration"


def test_second_pod_on_same_node_finds_image_already_present():
    sim = make_sim(nodes=1)
    deploy(sim, replicas=1)
    ok(sim, "kubectl scale deployment web --replicas=2")
    sim.advance(10)
    newest = max(pods_of(sim, "web"), key=lambda p: p.created)
    events = _pod_events(sim, newest.name)
    assert [e.reason for e in events] == ["Scheduled", "Pulled", "Created", "Started"]
    assert events[1].message == 'Container image "nginx:1.27" already present on machine'
    assert newest.phase == "Running"


def test_unknown_image_fails_to_pull_with_growing_back_off():
    sim = make_sim()
    ok(sim, "kubectl create deployment bad --image=nginx:9.9")
    (pod,) = pods_of(sim, "bad")
    statuses, pull_errors = [], []
    for _ in range(400):
        sim.advance(1)
        if not statuses or statuses[-1] != pod.status_text:
            statuses.append(pod.status_text)
            if pod.status_text == "ErrImagePull":
                pull_errors.append(sim.time)
    assert statuses[:4] == ["ContainerCreating", "ErrImagePull", "ImagePullBackOff", "ErrImagePull"]
    gaps = [b - a for a, b in zip(pull_errors, pull_errors[1:], strict=False)]
    assert len(gaps) >= 4
    assert all(later > earlier for earlier, later in zip(gaps, gaps[1:], strict=False)), gaps
    assert max(gaps) <= 300 + 5  # the kubelet caps image pull back-off at 300 s
    assert pod.phase == "Pending" and not pod.ready
    messages = [e.message for e in _pod_events(sim, pod.name)]
    assert "Error: ErrImagePull" in messages and "Error: ImagePullBackOff" in messages
    assert 'Back-off pulling image "nginx:9.9"' in messages
    assert any(m.startswith('Failed to pull image "nginx:9.9": ') and "docker.io/library/nginx:9.9: not found" in m
               for m in messages)
    row = table_rows(ok(sim, "kubectl get deployment bad"))[0]
    assert (row["READY"], row["AVAILABLE"]) == ("0/1", "0")


def test_pull_back_off_reaches_the_300s_cap():
    sim = make_sim()
    ok(sim, "kubectl create deployment bad --image=nginx:9.9")
    (pod,) = pods_of(sim, "bad")
    for _ in range(4):
        sim.advance(600)
    assert pod.backoff == 300


def test_repeated_events_are_counted_not_duplicated():
    sim = make_sim()
    ok(sim, "kubectl create deployment bad --image=nginx:9.9")
    (pod,) = pods_of(sim, "bad")
    sim.advance(200)
    backoffs = [e for e in _pod_events(sim, pod.name) if e.reason == "BackOff"]
    assert len(backoffs) == 1 and backoffs[0].count > 1


def test_replicaset_replaces_a_deleted_pod():
    sim = make_sim()
    pods = deploy(sim, replicas=3)
    ok(sim, f"kubectl delete pod {pods[1].name}")
    sim.advance(30)
    now = running(sim, "web")
    assert len(now) == 3 and pods[1].name not in {p.name for p in now}
    rs = cluster(sim).replicasets[f"default/{pods[0].owner}"]
    created = [e for e in cluster(sim).events if e.reason == "SuccessfulCreate" and e.name == rs.name]
    assert len(created) == 4


def test_scale_down_deletes_unscheduled_pods_first():
    sim = make_sim()
    deploy(sim, replicas=30, settle=20)
    scheduled = {p.name for p in live_pods(sim, "web") if p.node}
    assert len(scheduled) == 21
    ok(sim, "kubectl scale deployment web --replicas=21")
    assert {p.name for p in live_pods(sim, "web")} == scheduled
    assert not any(p.terminating for p in pods_of(sim, "web"))


def test_scale_down_prefers_not_ready_pods():
    sim = make_sim(nodes=1)
    deploy(sim, replicas=2)
    ok(sim, "kubectl scale deployment web --replicas=3")
    (young,) = [p for p in live_pods(sim, "web") if not p.ready]
    ok(sim, "kubectl scale deployment web --replicas=2")
    assert young.terminating or f"default/{young.name}" not in cluster(sim).pods


def test_scale_to_zero_and_back():
    sim = make_sim()
    deploy(sim, replicas=3)
    ok(sim, "kubectl scale deployment web --replicas=0")
    sim.advance(10)
    assert pods_of(sim, "web") == []
    row = table_rows(ok(sim, "kubectl get deploy"))[0]
    assert (row["READY"], row["UP-TO-DATE"], row["AVAILABLE"]) == ("0/0", "0", "0")
    ok(sim, "kubectl scale deployment web --replicas=2")
    sim.advance(30)
    assert len(running(sim, "web")) == 2
    assert len(cluster(sim).replicasets) == 1


def test_deployment_columns_while_starting_and_when_ready():
    sim = make_sim()
    ok(sim, "kubectl create deployment web --image=nginx:1.27 --replicas=3")
    row = table_rows(ok(sim, "kubectl get deployments"))[0]
    assert (row["READY"], row["UP-TO-DATE"], row["AVAILABLE"], row["AGE"]) == ("0/3", "3", "0", "0s")
    sim.advance(30)
    row = table_rows(ok(sim, "kubectl get deployments"))[0]
    assert (row["READY"], row["UP-TO-DATE"], row["AVAILABLE"], row["AGE"]) == ("3/3", "3", "3", "30s")


def test_deployment_records_scaling_events():
    sim = make_sim()
    deploy(sim, replicas=2)
    ok(sim, "kubectl scale deployment web --replicas=5")
    rs = next(iter(cluster(sim).replicasets.values()))
    messages = [e.message for e in cluster(sim).events if e.reason == "ScalingReplicaSet"]
    assert messages == [f"Scaled up replica set {rs.name} from 0 to 2", f"Scaled up replica set {rs.name} from 2 to 5"]


def test_pod_names_use_replicaset_name_and_five_safe_characters():
    sim = make_sim()
    pods = deploy(sim, replicas=4)
    rs_name = pods[0].owner
    assert re.fullmatch(r"web-[bcdfghjklmnpqrstvwxz2456789]{8,10}", rs_name)
    for pod in pods:
        assert re.fullmatch(re.escape(rs_name) + r"-[bcdfghjklmnpqrstvwxz2456789]{5}", pod.name)


def test_pod_ips_are_unique_and_in_the_node_range():
    sim = make_sim()
    pods = deploy(sim, replicas=9)
    assert len({p.ip for p in pods}) == 9
    by_node = {}
    for p in pods:
        by_node.setdefault(p.node, set()).add(p.ip.rsplit(".", 1)[0])
    assert all(len(prefixes) == 1 for prefixes in by_node.values())
    assert len({next(iter(v)) for v in by_node.values()}) == 3


def test_terminating_pod_no_longer_counts_as_ready():
    sim = make_sim()
    pods = deploy(sim, replicas=2)
    ok(sim, f"kubectl delete pod {pods[0].name}")
    assert not pods[0].ready
    row = table_rows(ok(sim, "kubectl get pods"))
    statuses = {r["NAME"]: (r["READY"], r["STATUS"]) for r in row}
    assert statuses[pods[0].name] == ("0/1", "Terminating")
