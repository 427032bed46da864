"""Fault drills: applied once to every member's lesson sandbox, announced, recovery detected, exported."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone

from classroom import drills
from classroom.models import Classroom, Drill, DrillTarget, Membership, make_instructor
from lessons.course import by_slug
from orchestrator import Simulation
from sandbox.models import CommandLog, Sandbox, run_atomically
from tests.sandbox.conftest import start_sandbox

pytestmark = pytest.mark.django_db

LESSON = "first-deployment"
OTHER_LESSON = "scaling"
SETUP = ["kubectl create deployment web --image=nginx:1.27 --replicas=3", "sim advance 30"]


def make_user(username, **kwargs):
    """A user without a password (tests log in with force_login): hashing one costs most of a second."""
    return get_user_model().objects.create(username=username, **kwargs)


def make_instructor_user(username="teacher"):
    user = make_user(username)
    make_instructor(user)
    return user


def lesson_sandbox(user, slug=LESSON, commands=SETUP) -> Sandbox:
    lesson = by_slug(slug)
    sandbox = Sandbox.start(lesson.scenario, user=user, lesson=slug, goals=lesson.sandbox_goals())
    return run(sandbox, *commands)


def run(sandbox: Sandbox, *commands) -> Sandbox:
    """Run commands the way the sandbox's command endpoint does (atomically, logged as typed)."""
    for text in commands:
        def change(sandbox, sim, text=text):
            return sim, sim.execute(text)

        def log(sandbox, sim, result, text=text):
            sandbox.log_command(text, result.text, result.ok, "typed", sim.time)

        sandbox, _, result = run_atomically(sandbox.fresh(), change, then=log)
        assert result.ok, (text, result.text)
    return sandbox.fresh()


def sim_of(sandbox: Sandbox) -> Simulation:
    return Simulation.from_json(sandbox.fresh().state)


@pytest.fixture
def teacher():
    return make_instructor_user()


@pytest.fixture
def classroom(teacher):
    return Classroom.objects.create(name="쿠버네티스 1반", owner=teacher)


@pytest.fixture
def learners(classroom):
    users = [make_user(f"learner{i}") for i in range(3)]
    for user in users:
        Membership.objects.create(classroom=classroom, user=user)
    return users


def start(client, classroom, fault="app-crash", lesson=LESSON):
    return client.post(f"/classes/{classroom.pk}/drills", {"lesson": lesson, "fault": fault})


def test_a_drill_crashes_every_members_app_once_and_announces_it(client, teacher, classroom, learners):
    sandboxes = [lesson_sandbox(user) for user in learners[:2]]  # learners[2] never opened the lesson
    client.force_login(teacher)
    response = start(client, classroom)
    drill = Drill.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/classes/{classroom.pk}/drills/{drill.pk}/"
    assert (drill.lesson, drill.fault, drill.started_by) == (LESSON, "app-crash", teacher)
    for sandbox in sandboxes:
        target = DrillTarget.objects.get(drill=drill, sandbox=sandbox)
        assert target.command == "sim app crash web"
        assert "default/web" in sim_of(sandbox).current_cluster().crashing
        assert target.applied_sim_time == sim_of(sandbox).time
        announcement = CommandLog.objects.get(sandbox=sandbox, source="system")
        assert announcement.text == "sim app crash web" and announcement.ok
        assert announcement.output.startswith("강사가 장애 훈련을 시작했습니다: 앱 고장.")
        assert "클러스터를 원래대로 되돌려 보세요." in announcement.output
    assert DrillTarget.objects.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "2명의 샌드박스에 적용했습니다" in page and "1명은 건너뛰었습니다" in page
    assert "learner2" in page and "건너뜀" in page


def test_non_members_and_other_lessons_are_untouched(client, teacher, classroom, learners):
    member = lesson_sandbox(learners[0])
    other_lesson = lesson_sandbox(learners[0], OTHER_LESSON, ["kubectl create deployment web --image=nginx:1.27"])
    stranger = lesson_sandbox(make_user("stranger"))
    before = {s.pk: s.fresh().version for s in (other_lesson, stranger)}
    client.force_login(teacher)
    start(client, classroom, "node-fail")
    assert DrillTarget.objects.get().sandbox == member
    for sandbox in (other_lesson, stranger):
        assert sandbox.fresh().version == before[sandbox.pk]
        assert not sandbox.commands.filter(source="system").exists()
        assert all(n.down_since is None for n in sim_of(sandbox).current_cluster().nodes.values())


def test_only_the_newest_sandbox_of_a_learner_for_the_lesson_gets_the_fault(client, teacher, classroom, learners):
    old = lesson_sandbox(learners[0])
    new = lesson_sandbox(learners[0])
    client.force_login(teacher)
    start(client, classroom)
    assert DrillTarget.objects.get().sandbox == new
    assert not old.commands.filter(source="system").exists()


def test_posting_the_same_drill_twice_does_not_apply_it_twice(client, teacher, classroom, learners):
    sandbox = lesson_sandbox(learners[0])
    client.force_login(teacher)
    first = start(client, classroom, "bad-rollout")
    version = sandbox.fresh().version
    second = start(client, classroom, "bad-rollout")
    assert Drill.objects.count() == 1 and DrillTarget.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert sandbox.fresh().version == version
    assert sandbox.commands.filter(source="system").count() == 1
    assert "다시 적용하지 않고" in client.get(second["Location"]).content.decode()


def test_applying_a_drill_again_skips_sandboxes_that_already_have_it(classroom, learners, teacher):
    sandbox = lesson_sandbox(learners[0])
    drill = Drill.objects.create(classroom=classroom, lesson=LESSON, fault="node-fail", started_by=teacher)
    assert len(drills.apply(drill).applied) == 1
    report = drills.apply(drill)
    assert report.applied == [] and (learners[0], "이미 적용했습니다") in report.skipped
    assert sandbox.commands.filter(source="system").count() == 1
    # Even bypassing the check, the one-target-per-sandbox constraint rolls the whole change back.
    version = sandbox.fresh().version
    with pytest.raises(Exception):  # noqa: B017  (IntegrityError, from inside the atomic change)
        drills.apply_to(drill, sandbox.fresh())
    assert sandbox.fresh().version == version and sandbox.commands.filter(source="system").count() == 1


def test_a_learner_without_anything_to_hit_is_skipped(client, teacher, classroom, learners):
    sandbox = lesson_sandbox(learners[0], commands=[])  # three nodes, no deployment
    client.force_login(teacher)
    start(client, classroom, "app-crash")
    assert not DrillTarget.objects.exists()
    assert not sandbox.commands.filter(source="system").exists()


def test_an_unreadable_sandbox_is_skipped_and_its_results_row_says_why(client, teacher, classroom, learners):
    readable, broken = lesson_sandbox(learners[0]), lesson_sandbox(learners[1])
    Sandbox.objects.filter(pk=broken.pk).update(state="not json")
    drill = Drill.objects.create(classroom=classroom, lesson=LESSON, fault="app-crash", started_by=teacher)
    report = drills.apply(drill)
    assert [t.sandbox_id for t in report.applied] == [readable.pk]
    assert (learners[1], "샌드박스의 저장된 상태를 읽을 수 없습니다") in report.skipped
    # A snapshot damaged after the fault was applied: the results page still opens and says so.
    Sandbox.objects.filter(pk=readable.pk).update(state="not json")
    client.force_login(teacher)
    page = client.get(f"/classes/{classroom.pk}/drills/{drill.pk}/")
    assert page.status_code == 200 and "샌드박스의 저장된 상태를 읽을 수 없습니다" in page.content.decode()


def test_recovery_is_detected_after_the_learner_heals_the_app(client, teacher, classroom, learners):
    healer, waiter = lesson_sandbox(learners[0]), lesson_sandbox(learners[1])
    client.force_login(teacher)
    url = start(client, classroom, "app-crash")["Location"]
    run(healer, "sim advance 10")
    run(waiter, "sim advance 10")
    page = client.get(url).content.decode()
    assert "복구 0명" in page and "고장 난 상태" in page
    # The learner fixes it through the sandbox's own command endpoint.
    learner_client = client.__class__()
    learner_client.force_login(learners[0])
    for text in ("sim app heal web", "sim advance 120"):
        assert learner_client.post(f"/sandbox/{healer.pk}/command", {"command": text}).status_code == 302
    page = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in page and "복구 1명" in page and "복구 중 1명" in page
    target = DrillTarget.objects.get(sandbox=healer)
    assert target.recovered_at is not None and target.applied_at <= target.recovered_at <= timezone.now()
    assert DrillTarget.objects.get(sandbox=waiter).recovered_at is None
    first = target.recovered_at
    client.get(url)
    assert DrillTarget.objects.get(sandbox=healer).recovered_at == first  # recorded once


@pytest.mark.parametrize("fault, fix", [
    ("node-fail", lambda cmd: [f"sim node recover {cmd.split()[-1]}", "sim advance 10"]),
    ("node-fail", lambda cmd: ["sim advance 400"]),  # evicted and rescheduled on the other nodes
    ("app-crash", lambda cmd: ["sim app heal web", "sim advance 120"]),
    ("traffic-spike", lambda cmd: ["kubectl scale deployment web --replicas=12", "sim advance 60"]),
    ("bad-rollout", lambda cmd: ["kubectl rollout undo deployment/web", "sim advance 60"]),
])
def test_each_fault_breaks_the_cluster_until_the_learner_fixes_it(classroom, learners, teacher, fault, fix):
    commands = [*SETUP, "kubectl expose deployment web --port=80", "sim traffic web 1000", "sim advance 10"]
    sandbox = lesson_sandbox(learners[0], commands=commands)
    drill = Drill.objects.create(classroom=classroom, lesson=LESSON, fault=fault, started_by=teacher)
    (target,) = drills.apply(drill).applied
    run(sandbox, "sim advance 5")
    row = drills.results(drill)[0]
    assert row.user == learners[0] and row.status == "pending" and row.note
    run(sandbox, *fix(target.command))
    row = drills.results(drill)[0]
    assert row.status == "recovered", row.note
    assert row.duration is not None


def test_faults_pick_deterministic_targets():
    sim = Simulation.from_scenario("three-nodes", seed=1)
    for text in ("kubectl create deployment small --image=nginx:1.27",
                 "kubectl create deployment big --image=nginx:1.27 --replicas=4",
                 "kubectl expose deployment big --port=80", "kubectl expose deployment small --port=80",
                 "sim advance 30"):
        assert sim.execute(text).ok
    assert drills.fault_command("app-crash", sim) == "sim app crash big"
    assert drills.fault_command("bad-rollout", sim) == "kubectl set image deployment/big nginx=nginx:9.9.9"
    assert drills.fault_command("traffic-spike", sim) == "sim traffic big 16000"  # 2 × (4 pods × 2000 rps)
    pods = {}
    for pod in sim.current_cluster().pods.values():
        if pod.namespace == "default":
            pods[pod.node] = pods.get(pod.node, 0) + 1
    busiest = min(pods, key=lambda n: (-pods[n], n))
    assert drills.fault_command("node-fail", sim) == f"sim node fail {busiest}"
    assert drills.broken_image("gcr.io/google-samples/kubernetes-bootcamp:v1") == (
        "gcr.io/google-samples/kubernetes-bootcamp:9.9.9")
    assert drills.broken_image("localhost:5000/app") == "localhost:5000/app:9.9.9"


def test_results_csv_has_a_bom_and_one_line_per_learner(client, teacher, classroom, learners):
    lesson_sandbox(learners[0])
    client.force_login(teacher)
    url = start(client, classroom)["Location"]
    response = client.get(f"{url}export.csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("사용자,상태,명령")
    assert len(lines) == 1 + len(learners)
    assert any(line.startswith("learner0,복구 중,sim app crash web,") for line in lines)
    assert any(line.startswith("learner1,건너뜀,") for line in lines)


def test_only_the_class_instructors_may_start_or_see_drills(client, teacher, classroom, learners):
    lesson_sandbox(learners[0])
    co = make_instructor_user("co-teacher")
    classroom.co_instructors.add(co)
    drill = Drill.objects.create(classroom=classroom, lesson=LESSON, fault="node-fail", started_by=teacher)
    urls = [f"/classes/{classroom.pk}/drills", f"/classes/{classroom.pk}/drills/{drill.pk}/",
            f"/classes/{classroom.pk}/drills/{drill.pk}/export.csv"]
    other_class = Classroom.objects.create(name="다른 반", owner=make_instructor_user("other-teacher"))
    for user in (learners[0], other_class.owner):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert start(client, classroom).status_code == 404
    # A drill of another class is not reachable through one's own class either.
    client.force_login(other_class.owner)
    assert client.get(f"/classes/{other_class.pk}/drills/{drill.pk}/").status_code == 404
    client.logout()
    for url in urls:
        assert client.get(url).status_code == 302  # to the log-in page
    assert start(client, classroom).status_code == 302
    assert Drill.objects.count() == 1 and not DrillTarget.objects.exists()
    client.force_login(co)
    assert all(client.get(url).status_code == 200 for url in urls)


def test_starting_a_drill_needs_a_csrf_token(teacher, classroom, learners):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)
    assert start(client, classroom).status_code == 403
    assert not Drill.objects.exists()


def test_an_unknown_fault_or_lesson_is_refused_in_korean(client, teacher, classroom):
    client.force_login(teacher)
    response = start(client, classroom, fault="rm-rf")
    assert response.status_code == 302 and not Drill.objects.exists()
    assert "레슨과 장애 종류를 골라 주세요." in client.get(response["Location"]).content.decode()
    start(client, classroom, lesson="no-such-lesson")
    assert not Drill.objects.exists()


def test_the_drill_panel_lists_past_drills(client, teacher, classroom, learners):
    lesson_sandbox(learners[0])
    client.force_login(teacher)
    start(client, classroom, "traffic-spike")
    page = client.get(f"/classes/{classroom.pk}/drills").content.decode()
    assert f'action="/classes/{classroom.pk}/drills"' in page and 'name="fault"' in page
    assert "트래픽 급증" in page and "적용 0명" in page  # the learner has no service: skipped


def test_learners_with_the_page_open_see_the_drill_announcement_in_the_live_region(client):
    """The console gets the announcement on the next load; the live region shows it at once."""
    sandbox = start_sandbox(client)
    CommandLog.objects.create(sandbox=sandbox, text="sim app crash web", output="강사가 장애 훈련을 시작했습니다.",
                              ok=True, source="system")
    Sandbox.objects.filter(pk=sandbox.pk).update(version=F("version") + 1)  # as applying the drill does
    html = client.get(f"/sandbox/{sandbox.pk}/poll", headers={"HX-Request": "true"}).content.decode()
    assert 'class="live-announcement" role="alert"' in html and "강사가 장애 훈련을 시작했습니다." in html


def test_a_learner_cannot_undo_a_drill_away(classroom, learners, teacher):
    sandbox = run_atomically(lesson_sandbox(learners[0]), lambda sandbox, sim: (sim, sim.execute(
        "kubectl scale deployment web --replicas=4")), undoable="kubectl scale deployment web --replicas=4")[0]
    assert sandbox.fresh().undo_command  # the scale could be taken back, until the drill
    drill = Drill.objects.create(classroom=classroom, lesson=LESSON, fault="node-fail", started_by=teacher)
    drills.apply(drill)
    after = sandbox.fresh()
    assert after.undo_command == "" and after.before_last_command() is None


def test_results_show_everyone_at_a_glance_still_recovering_first_then_fastest(client, teacher, classroom,
                                                                                learners):
    drill = Drill.objects.create(classroom=classroom, lesson=LESSON, fault="app-crash", started_by=teacher)
    applied = timezone.now() - timezone.timedelta(minutes=10)
    for learner, seconds in zip(learners, (300, 45, None), strict=True):
        if seconds is None:
            continue  # learners[2]: no sandbox, skipped
        target = DrillTarget.objects.create(drill=drill, sandbox=lesson_sandbox(learner), command="sim app crash web")
        DrillTarget.objects.filter(pk=target.pk).update(
            applied_at=applied, recovered_at=applied + timezone.timedelta(seconds=seconds))
    client.force_login(teacher)
    url = f"/classes/{classroom.pk}/drills/{drill.pk}/"

    page = client.get(url).content.decode()

    assert "<table" not in page and "복구 중" not in page.split("</h1>")[1].split("복구 기준")[0]
    recovered = page[page.index('id="drill-recovered"'):page.index('id="drill-skipped"')]
    assert recovered.index("learner1") < recovered.index("learner0")  # 0:45 before 5:00
    assert '<time class="drill-chip__time" datetime="PT45S">0:45</time>' in recovered
    assert "learner2" in page[page.index('id="drill-skipped"'):]
    table = client.get(url, {"view": "table"}).content.decode()
    assert '<table class="drill-results">' in table and table.count('<tr class="drill-row') == 3
    poll = client.get(url, {"view": "table"}, headers={"HX-Request": "true"}).content.decode()
    assert f'hx-get="{url}?view=table"' in poll and "<html" not in poll
