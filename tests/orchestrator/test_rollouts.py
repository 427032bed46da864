"""Rolling updates: maxSurge/maxUnavailable, ReplicaSets per template, rollout status/history/undo/restart/pause."""

import re

import pytest

from orchestrator.controllers.deployment import surge_and_unavailable
from orchestrator.model import Deployment
from tests.orchestrator.conftest import cluster, column, deploy, fails, live_pods, make_sim, ok, table_rows

RECREATE = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  strategy:
    type: Recreate
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
"""


def _deployment(replicas: int, surge="25%", unavailable="25%") -> Deployment:
    return Deployment(name="web", namespace="default", uid="u", labels={}, selector={}, template={}, replicas=replicas,
                      created=0, max_surge=surge, max_unavailable=unavailable)


@pytest.mark.parametrize(("replicas", "surge", "unavailable"), [(1, 1, 0), (3, 1, 0), (4, 1, 1), (10, 3, 2)])
def test_percentages_round_surge_up_and_unavailable_down(replicas, surge, unavailable):
    assert surge_and_unavailable(_deployment(replicas)) == (surge, unavailable)


def test_zero_surge_and_zero_unavailable_still_lets_one_pod_go():
    assert surge_and_unavailable(_deployment(5, "0", "0")) == (0, 1)
    assert surge_and_unavailable(_deployment(3, "0%", "10%")) == (0, 1)


def test_absolute_values_are_used_as_given():
    assert surge_and_unavailable(_deployment(10, "2", "5")) == (2, 5)


def _revisions(sim) -> list[str]:
    """The REVISION column of ``rollout history`` (its table starts under the deployment's name line)."""
    return column(ok(sim, "kubectl rollout history deployment/web").split("\n", 1)[1], "REVISION")


def _replicasets(sim):
    return sorted(cluster(sim).replicasets.values(), key=lambda rs: rs.revision)


def test_set_image_creates_a_new_replicaset_with_a_new_hash_and_revision():
    sim = make_sim()
    deploy(sim)
    (first,) = _replicasets(sim)
    assert first.revision == 1
    assert ok(sim, "kubectl set image deployment/web nginx=nginx:1.26") == "deployment.apps/web image updated"
    old, new = _replicasets(sim)
    assert old is first and new.revision == 2
    assert new.template_hash != old.template_hash and new.name == f"web-{new.template_hash}"
    sim.advance(60)
    assert {p.labels["pod-template-hash"] for p in live_pods(sim, "web")} == {new.template_hash}
    assert {p.containers[0]["image"] for p in live_pods(sim, "web")} == {"nginx:1.26"}
    rows = {r["NAME"]: r for r in table_rows(ok(sim, "kubectl get rs"))}
    assert (rows[old.name]["DESIRED"], rows[new.name]["DESIRED"], rows[new.name]["READY"]) == ("0", "3", "3")


def test_setting_the_same_image_again_changes_nothing():
    sim = make_sim()
    deploy(sim)
    ok(sim, "kubectl set image deployment/web nginx=nginx:1.27")
    assert len(cluster(sim).replicasets) == 1


def test_set_image_errors():
    sim = make_sim()
    deploy(sim)
    assert fails(sim, "kubectl set image deployment/web nope=nginx:1.26") == (
        'error: unable to find container named "nope"')
    assert fails(sim, "kubectl set image deployment/nothere nginx=nginx:1.26") == (
        'Error from server (NotFound): deployments.apps "nothere" not found')


def test_rolling_update_events_say_from_n_to_m_in_the_documented_order():
    sim = make_sim()
    deploy(sim)
    ok(sim, "kubectl set image deployment/web nginx=nginx:1.26")
    sim.advance(90)
    old, new = _replicasets(sim)
    messages = [e.message for e in cluster(sim).events if e.reason == "ScalingReplicaSet"]
    assert all(e.source == "deployment-controller" and e.type == "Normal"
               for e in cluster(sim).events if e.reason == "ScalingReplicaSet")
    assert messages == [
        f"Scaled up replica set {old.name} from 0 to 3",
        f"Scaled up replica set {new.name} from 0 to 1",
        f"Scaled down replica set {old.name} from 3 to 2",
        f"Scaled up replica set {new.name} from 1 to 2",
        f"Scaled down replica set {old.name} from 2 to 1",
        f"Scaled up replica set {new.name} from 2 to 3",
        f"Scaled down replica set {old.name} from 1 to 0",
    ]


def test_rollout_status_prints_the_waiting_lines_then_success():
    sim = make_sim()
    deploy(sim)
    ok(sim, "kubectl set image deployment/web nginx=nginx:1.26")
    lines = ok(sim, "kubectl rollout status deployment/web").split("\n")
    waiting = re.compile(r'Waiting for deployment "web" rollout to finish: ('
                         r"\d+ out of 3 new replicas have been updated|\d+ old replicas are pending termination|"
                         r"\d+ of 3 updated replicas are available)\.\.\.$")
    assert lines[0] == 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...'
    assert all(waiting.match(line) for line in lines[:-1]), lines
    assert lines[-1] == 'deployment "web" successfully rolled out'
    assert len(lines) == len(set(lines))  # a line is printed when it changes, not every second


def test_rollout_status_of_a_finished_rollout_is_one_line():
    sim = make_sim()
    deploy(sim)
    assert ok(sim, "kubectl rollout status deployment/web") == 'deployment "web" successfully rolled out'


def test_rollout_history_lists_revisions_and_change_causes_from_record():
    sim = make_sim()
    deploy(sim)
    ok(sim, "kubectl set image deployment/web nginx=nginx:1.26 --record")
    sim.advance(60)
    text = ok(sim, "kubectl rollout history deployment/web")
    header, columns, *rows = text.split("\n")
    assert header.rstrip() == "deployment.apps/web"
    assert columns.split() == ["REVISION", "CHANGE-CAUSE"]
    assert [r.split(None, 1) for r in rows] == [
        ["1", "<none>"], ["2", "kubectl set image deployment/web nginx=nginx:1.26 --record"]]


def test_change_cause_set_with_kubectl_annotate():
    sim = make_sim()
    deploy(sim)
    ok(sim, "kubectl set image deployment/web nginx=nginx:1.26")
    assert ok(sim, 'kubectl annotate deployment/web kubernetes.io/change-cause="image updated to 1.26"') == (
        "deployment.apps/web annotated")
    rows = ok(sim, "kubectl rollout history deployment/web").split("\n")[2:]
    assert [r.split(None, 1) for r in rows] == [["1", "<none>"], ["2", "image updated to 1.26"]]


def test_rollout_history_of_one_revision_shows_its_template():
    sim = make_sim()
    deploy(sim)
    ok(sim, "kubectl set image deployment/web nginx=nginx:1.26")
    text = ok(sim, "kubectl rollout history deployment/web --revision=1")
    assert text.startswith("deployment.apps/web with revision #1\nPod Template:")
    assert re.search(r"Image:\s+nginx:1\.27", text)
    assert fails(sim, "kubectl rollout history deployment/web --revision=7") == (
        "error: unable to find the specified revision")


def test_undo_goes_to_the_previous_revision_which_becomes_the_newest():
    sim = make_sim()
    deploy(sim)
    ok(sim, "kubectl set image deployment/web nginx=nginx:1.26")
    sim.advance(60)
    first = _replicasets(sim)[0]
    assert ok(sim, "kubectl rollout undo deployment/web") == "deployment.apps/web rolled back"
    sim.advance(60)
    assert first.revision == 3
    assert [rs.revision for rs in _replicasets(sim)] == [2, 3]
    assert {p.containers[0]["image"] for p in live_pods(sim, "web")} == {"nginx:1.27"}
    assert _revisions(sim) == ["2", "3"]


def test_undo_restores_the_change_cause_of_the_revision_it_goes_back_to():
    """kubectl rollout undo copies the target ReplicaSet's annotations onto the deployment, so the
    change-cause of the rolled-back revision is that of the old revision (none here), not the last one."""
    sim = make_sim()
    deploy(sim)
    ok(sim, "kubectl set image deployment/web nginx=nginx:1.26 --record")
    sim.advance(60)
    ok(sim, "kubectl rollout undo deployment/web")
    sim.advance(60)
    rows = ok(sim, "kubectl rollout history deployment/web").split("\n")[2:]
    assert [r.split(None, 1) for r in rows] == [
        ["2", "kubectl set image deployment/web nginx=nginx:1.26 --record"], ["3", "<none>"]]


def test_undo_to_a_named_revision():
    sim = make_sim()
    deploy(sim)
    for tag in ("1.26", "1.25"):
        ok(sim, f"kubectl set image deployment/web nginx=nginx:{tag}")
        sim.advance(60)
    ok(sim, "kubectl rollout undo deployment/web --to-revision=1")
    sim.advance(60)
    assert {p.containers[0]["image"] for p in live_pods(sim, "web")} == {"nginx:1.27"}
    assert _revisions(sim) == ["2", "3", "4"]


def test_undo_errors():
    sim = make_sim()
    deploy(sim)
    assert fails(sim, "kubectl rollout undo deployment/web") == 'error: no rollout history found for deployment "web"'
    ok(sim, "kubectl set image deployment/web nginx=nginx:1.26")
    assert fails(sim, "kubectl rollout undo deployment/web --to-revision=9") == (
        "error: unable to find specified revision 9 in history")


def test_rollout_restart_creates_a_new_replicaset_with_the_same_image():
    sim = make_sim()
    deploy(sim)
    before = {p.name for p in live_pods(sim, "web")}
    assert ok(sim, "kubectl rollout restart deployment/web") == "deployment.apps/web restarted"
    sim.advance(60)
    old, new = _replicasets(sim)
    assert "kubectl.kubernetes.io/restartedAt" in new.template["annotations"]
    assert new.template["containers"] == old.template["containers"]
    after = live_pods(sim, "web")
    assert not before & {p.name for p in after} and len(after) == 3


def test_a_paused_deployment_rolls_out_only_after_resume():
    sim = make_sim()
    deploy(sim)
    assert ok(sim, "kubectl rollout pause deployment/web") == "deployment.apps/web paused"
    ok(sim, "kubectl set image deployment/web nginx=nginx:1.26")
    sim.advance(60)
    assert len(cluster(sim).replicasets) == 1
    assert {p.containers[0]["image"] for p in live_pods(sim, "web")} == {"nginx:1.27"}
    assert fails(sim, "kubectl rollout undo deployment/web").startswith(
        "error: you cannot rollback a paused deployment")
    assert ok(sim, "kubectl rollout resume deployment/web") == "deployment.apps/web resumed"
    sim.advance(60)
    assert {p.containers[0]["image"] for p in live_pods(sim, "web")} == {"nginx:1.26"}


def test_a_paused_deployment_still_scales():
    sim = make_sim()
    deploy(sim)
    ok(sim, "kubectl rollout pause deployment/web")
    ok(sim, "kubectl scale deployment web --replicas=5")
    sim.advance(30)
    assert len(live_pods(sim, "web")) == 5


def test_a_broken_image_stalls_the_rollout_while_old_pods_keep_serving():
    sim = make_sim()
    deploy(sim, replicas=4)
    ok(sim, "kubectl set image deployment/web nginx=nginx:9.9")
    d = cluster(sim).deployments["default/web"]
    started = sim.time
    # 4 replicas: maxSurge 1, maxUnavailable 1, so at least 3 pods stay ready all along.
    while sim.time < started + 590:
        sim.advance(5)
        ready = [p for p in live_pods(sim, "web") if p.ready]
        assert len(ready) >= 3
        assert d.progress_reason != "ProgressDeadlineExceeded"
    statuses = {p.status_text for p in live_pods(sim, "web") if not p.ready}
    assert statuses <= {"ImagePullBackOff", "ErrImagePull"} and statuses
    sim.advance(20)
    assert d.progress_reason == "ProgressDeadlineExceeded"
    assert re.search(r"Progressing\s+False\s+ProgressDeadlineExceeded", ok(sim, "kubectl describe deployment web"))
    text = fails(sim, "kubectl rollout status deployment/web")
    assert text.split("\n")[-1] == 'error: deployment "web" exceeded its progress deadline'
    (row,) = table_rows(ok(sim, "kubectl get deployments"))
    assert row["READY"] == "3/4" or row["READY"] == "4/4"
    assert int(row["UP-TO-DATE"]) < 4


def test_set_resources_changes_requests_and_rolls_out():
    sim = make_sim()
    deploy(sim)
    text = ok(sim, "kubectl set resources deployment web --requests=cpu=250m,memory=64Mi --limits=cpu=500m")
    assert text == "deployment.apps/web resource requirements updated"
    sim.advance(60)
    assert len(cluster(sim).replicasets) == 2
    pods = live_pods(sim, "web")
    assert len(pods) == 3 and {(p.cpu, p.memory) for p in pods} == {(250, 64 * 2**20)}
    assert {p.containers[0]["limit_cpu"] for p in pods} == {500}
    assert fails(sim, "kubectl set resources deployment web").startswith("error: you must specify an update to")


def test_recreate_stops_every_old_pod_before_starting_new_ones():
    sim = make_sim()
    ok(sim, "kubectl apply -f -\n" + RECREATE)
    sim.advance(30)
    old_hash = next(iter(cluster(sim).replicasets.values())).template_hash
    ok(sim, "kubectl set image deployment/web nginx=nginx:1.26")
    saw_new = False
    for _ in range(60):
        pods = live_pods(sim, "web") + [p for p in cluster(sim).pods.values() if p.name.startswith("web-")
                                        and p.terminating]
        old = [p for p in pods if p.labels["pod-template-hash"] == old_hash]
        new = [p for p in pods if p.labels["pod-template-hash"] != old_hash]
        assert not (old and new), "Recreate ran old and new pods side by side"
        saw_new = saw_new or bool(new)
        sim.advance(1)
    assert saw_new and len([p for p in live_pods(sim, "web") if p.ready]) == 2
