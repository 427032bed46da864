"""The sandbox's pages and endpoints through the Django test client."""

import threading
from datetime import timedelta
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from orchestrator import Simulation
from sandbox.models import COMMAND_RATE, MAX_CATCH_UP_SECONDS, SAVE_AFTER_SECONDS, CommandLog, Sandbox
from tests.sandbox.conftest import command, start_sandbox

pytestmark = pytest.mark.django_db


def test_home_lists_the_engines_scenarios(client):
    response = client.get("/sandbox/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "three-nodes" in text and "web-behind-lb" in text and "샌드박스" in text


def test_starting_a_scenario_needs_no_account_and_redirects_to_the_sandbox(client):
    sandbox = start_sandbox(client)
    assert sandbox.owner_user is None and sandbox.owner_session
    page = client.get(f"/sandbox/{sandbox.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="command"' in html and 'role="log"' in html and 'id="sandbox-live"' in html


def test_an_unknown_scenario_is_refused_in_korean(client):
    response = client.post("/sandbox/", {"scenario": "../../etc/passwd"})
    assert response.status_code == 400
    assert "시나리오" in response.content.decode()
    assert not Sandbox.objects.exists()


def test_htmx_gets_the_widget_partial_and_a_browser_the_whole_page(client, sandbox):
    full = client.get(f"/sandbox/{sandbox.pk}/").content.decode()
    partial = client.get(f"/sandbox/{sandbox.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" in full and "<html" not in partial
    assert "sandbox-widget" in partial


def test_a_command_returns_its_console_entry_and_tells_the_live_region_to_refresh(client, sandbox):
    response = command(client, sandbox, "kubectl create deployment web --image=nginx:1.27 --replicas=3")
    assert response.status_code == 200
    html = response.content.decode()
    assert "deployment.apps/web created" in html
    assert response["HX-Trigger"] == "sandbox-changed"
    poll = client.get(f"/sandbox/{sandbox.pk}/poll", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="sandbox-poll, sandbox-changed from:body"' in poll and "web" in poll
    entry = CommandLog.objects.get()
    assert (entry.text, entry.ok, entry.source) == (
        "kubectl create deployment web --image=nginx:1.27 --replicas=3", True, "typed")


def test_errors_are_marked_and_logged_as_failed(client, sandbox):
    html = command(client, sandbox, "kubectl get pod nope").content.decode()
    assert "console-entry--error" in html
    assert 'pods &quot;nope&quot; not found' in html
    assert CommandLog.objects.get().ok is False


def test_a_bad_command_never_gives_a_500(client, sandbox):
    for text in ["", "kubectl", "kubectl get", "'", "kubectl scale deploy x --replicas=99999999999999999999",
                 "\x00\x01", "gcloud container clusters create x" + " --zone=a" * 400, "kubectl apply -f -\n: :"]:
        assert command(client, sandbox, text).status_code in (200, 413), text


def test_buttons_are_logged_as_buttons(client, sandbox):
    command(client, sandbox, "kubectl get nodes", source="button")
    assert CommandLog.objects.get().source == "button"


def test_the_traffic_form_becomes_a_sim_traffic_command(client):
    sandbox = start_sandbox(client, "web-behind-lb")
    response = client.post(f"/sandbox/{sandbox.pk}/command", {"traffic_service": "web", "rps": "150",
                                                              "source": "button"}, headers={"HX-Request": "true"})
    assert "초당 150개의 요청" in response.content.decode()
    assert CommandLog.objects.get().text == "sim traffic web 150"


def test_state_survives_a_reload_and_a_new_process(client, sandbox):
    command(client, sandbox, "kubectl create deployment web --image=nginx:1.27 --replicas=2")
    restored = Sandbox.objects.get(pk=sandbox.pk).simulation()
    assert "web" in restored.run("kubectl get deployments")
    page = client.get(f"/sandbox/{sandbox.pk}/").content.decode()
    assert "kubectl create deployment web" in page  # the console history is shown again


def test_time_catches_up_with_the_wall_clock_but_is_capped(client, sandbox):
    Sandbox.objects.filter(pk=sandbox.pk).update(last_advanced=timezone.now() - timedelta(hours=8))
    client.get(f"/sandbox/{sandbox.pk}/poll", headers={"HX-Request": "true"})
    assert Sandbox.objects.get(pk=sandbox.pk).simulation().time == MAX_CATCH_UP_SECONDS


def test_speed_multiplies_the_catch_up_and_pause_stops_it(client, sandbox):
    client.post(f"/sandbox/{sandbox.pk}/control", {"speed": "5"}, headers={"HX-Request": "true"})
    Sandbox.objects.filter(pk=sandbox.pk).update(last_advanced=timezone.now() - timedelta(seconds=4))
    client.get(f"/sandbox/{sandbox.pk}/poll", headers={"HX-Request": "true"})
    assert 19 <= Sandbox.objects.get(pk=sandbox.pk).simulation().time <= 21
    client.post(f"/sandbox/{sandbox.pk}/control", {"action": "pause"}, headers={"HX-Request": "true"})
    before = Sandbox.objects.get(pk=sandbox.pk).simulation().time
    Sandbox.objects.filter(pk=sandbox.pk).update(last_advanced=timezone.now() - timedelta(seconds=60))
    client.get(f"/sandbox/{sandbox.pk}/poll", headers={"HX-Request": "true"})
    assert Sandbox.objects.get(pk=sandbox.pk).simulation().time == before


def test_advance_and_reset(client, sandbox):
    command(client, sandbox, "kubectl create deployment web --image=nginx:1.27")
    client.post(f"/sandbox/{sandbox.pk}/control", {"action": "advance"}, headers={"HX-Request": "true"})
    assert Sandbox.objects.get(pk=sandbox.pk).simulation().time >= 30
    response = client.post(f"/sandbox/{sandbox.pk}/control", {"action": "reset"}, headers={"HX-Request": "true"})
    # The page the learner pressed it on is drawn again: a lesson page stays a lesson page.
    assert response.status_code == 200 and response["HX-Refresh"] == "true"
    fresh = Sandbox.objects.get(pk=sandbox.pk)
    assert "web" not in fresh.simulation().run("kubectl get deployments")
    assert not fresh.commands.exists()


def test_unknown_controls_and_speeds_are_refused(client, sandbox):
    assert client.post(f"/sandbox/{sandbox.pk}/control", {"action": "explode"}).status_code == 400
    assert client.post(f"/sandbox/{sandbox.pk}/control", {"action": "speed", "speed": "1000"}).status_code == 400


def test_someone_elses_sandbox_is_a_404_for_every_endpoint(client, sandbox):
    stranger = Client()
    stranger.get("/sandbox/")
    base = f"/sandbox/{sandbox.pk}/"
    assert stranger.get(base).status_code == 404
    assert stranger.get(base + "poll").status_code == 404
    assert stranger.post(base + "command", {"command": "kubectl delete deployment web"}).status_code == 404
    assert stranger.post(base + "control", {"action": "reset"}).status_code == 404
    assert not CommandLog.objects.exists()


def test_a_sandbox_id_that_does_not_exist_is_a_404(client):
    assert client.get("/sandbox/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_every_post_needs_the_csrf_token(sandbox):
    owner = Client(enforce_csrf_checks=True)
    owner.cookies = sandbox_owner_cookies(sandbox)
    assert owner.post(f"/sandbox/{sandbox.pk}/command", {"command": "kubectl get nodes"}).status_code == 403
    assert owner.post(f"/sandbox/{sandbox.pk}/control", {"action": "pause"}).status_code == 403
    assert owner.post("/sandbox/", {"scenario": "three-nodes"}).status_code == 403


def sandbox_owner_cookies(sandbox):
    jar = SimpleCookie()
    jar[settings.SESSION_COOKIE_NAME] = sandbox.owner_session
    return jar


def test_the_command_rate_limit_answers_429_in_korean(client, sandbox, frozen_clock):
    statuses = [command(client, sandbox, "kubectl get nodes") for _ in range(25)]
    assert [r.status_code for r in statuses[:20]] == [200] * 20
    assert [r.status_code for r in statuses[20:]] == [429] * 5
    assert "명령을 너무 빨리 보내고 있습니다" in statuses[-1].content.decode()
    assert statuses[-1]["Retry-After"] == "1"
    assert CommandLog.objects.count() == 20


def test_the_command_bucket_refills_with_time(client, sandbox, frozen_clock):
    """20 at once, then 2 a second: half a second later one more command goes through, and only one."""
    for _ in range(20):
        assert command(client, sandbox, "kubectl get nodes").status_code == 200
    assert command(client, sandbox, "kubectl get nodes").status_code == 429
    frozen_clock.tick(0.5)
    assert command(client, sandbox, "kubectl get nodes").status_code == 200
    assert command(client, sandbox, "kubectl get nodes").status_code == 429
    frozen_clock.tick(60)  # a full bucket holds 20, however long it waited
    assert [command(client, sandbox, "kubectl get nodes").status_code for _ in range(21)] == [200] * 20 + [429]


@pytest.mark.parametrize("line, writes_snapshot", [("kubectl create deployment api --image=nginx:1.27", True),
                                                     ("kubectl get nodes", False)])
def test_a_command_reads_the_row_once_and_saves_bucket_and_log_together(
        client, sandbox, django_assert_max_num_queries, django_capture_on_commit_callbacks, monkeypatch, line,
        writes_snapshot):
    """No COUNT for the rate limit, and one read of the row with its snapshot as text, not decoded when this
    process kept the simulation it saved (kept once the save commits: the test's own transaction needs the
    commit callbacks run). A command that only looks writes its token but not the snapshot."""
    # PostgreSQL's id sequence is not rolled back between tests: the occasional pruning query must not land here.
    monkeypatch.setattr("sandbox.models.PRUNE_EVERY", 10**12)
    with django_capture_on_commit_callbacks(execute=True):
        command(client, sandbox, "kubectl get nodes")
    for decoder in ("from_dict", "from_json"):
        monkeypatch.setattr(Simulation, decoder, lambda state: pytest.fail("the kept simulation was not used"))
    with django_assert_max_num_queries(6) as queries:  # session, sandbox, UPDATE, INSERT log, savepoint pair
        assert command(client, sandbox, line).status_code == 200
    monkeypatch.undo()
    sql = [q["sql"] for q in queries.captured_queries]
    assert not any("COUNT(" in q for q in sql)
    assert sum(q.startswith("SELECT") and 'FROM "sandbox_sandbox"' in q for q in sql) == 1  # snapshot included
    update = next(q for q in sql if q.startswith("UPDATE"))
    assert '"command_tokens"' in update
    assert ('"state"' in update) is writes_snapshot
    row = Sandbox.objects.get(pk=sandbox.pk)
    assert 17.5 < row.command_tokens < 19  # two spent, a little refilled
    assert row.command_tokens_at is not None
    assert row.version == (1 if writes_snapshot else 0) + sandbox.version
    assert row.commands.order_by("-pk").first().text == line


@pytest.mark.django_db(transaction=True)
def test_concurrent_commands_are_all_applied_and_logged():
    """Threads posting to one sandbox at once: no command is lost, the final state has all of them."""
    owner = Client()
    sandbox = start_sandbox(owner)
    cookies = owner.cookies
    names = [f"app{i}" for i in range(12)]
    errors = []

    def post(name):
        c = Client()
        c.cookies = cookies
        r = c.post(f"/sandbox/{sandbox.pk}/command",
                   {"command": f"kubectl create deployment {name} --image=nginx:1.27"}, headers={"HX-Request": "true"})
        if r.status_code != 200:
            errors.append(r.status_code)
        connection.close()  # this thread's own; left open, it would keep the test database from being dropped

    threads = [threading.Thread(target=post, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    sim = Sandbox.objects.get(pk=sandbox.pk).simulation()
    listing = sim.run("kubectl get deployments")
    assert all(name in listing for name in names)
    assert CommandLog.objects.filter(sandbox=sandbox).count() == len(names)


@pytest.mark.django_db(transaction=True)
def test_concurrent_looks_and_changes_each_spend_one_token_and_are_all_logged():
    """Looks do not move the version, so two at once are kept apart by the bucket's timestamp instead: every
    command is logged, every change applied, and the bucket lost exactly one token per command."""
    owner = Client()
    sandbox = start_sandbox(owner)
    lines = [f"kubectl create deployment app{i} --image=nginx:1.27" if i % 3 == 0 else "kubectl get pods"
             for i in range(15)]
    statuses = []

    def post(line):
        c = Client()
        c.cookies = owner.cookies
        statuses.append(c.post(f"/sandbox/{sandbox.pk}/command", {"command": line},
                               headers={"HX-Request": "true"}).status_code)
        connection.close()

    threads = [threading.Thread(target=post, args=(line,)) for line in lines]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * len(lines)
    row = Sandbox.objects.get(pk=sandbox.pk)
    assert sorted(CommandLog.objects.filter(sandbox=sandbox).values_list("text", flat=True)) == sorted(lines)
    listing = row.simulation().run("kubectl get deployments")
    assert all(f"app{i}" in listing for i in range(0, 15, 3))
    assert row.version == 5  # one save per change, none per look (no time was owed: all within a second)
    # 20 to start with, 15 spent; the refill over the test's few seconds is at most 2 a second.
    refill = (row.command_tokens_at - row.created).total_seconds() * COMMAND_RATE[0] / COMMAND_RATE[1]
    assert 5 <= row.command_tokens <= 5 + refill + 0.01


def test_a_poll_with_no_time_to_catch_up_reads_once_and_writes_nothing(client, sandbox, django_assert_max_num_queries):
    Sandbox.objects.filter(pk=sandbox.pk).update(last_advanced=timezone.now() + timedelta(seconds=5))
    version = Sandbox.objects.get(pk=sandbox.pk).version
    # the session, the sandbox, its snapshot (this process kept no simulation for it), a recent announcement
    with django_assert_max_num_queries(4):
        response = client.get(f"/sandbox/{sandbox.pk}/poll", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert Sandbox.objects.get(pk=sandbox.pk).version == version


def test_a_poll_that_moves_time_a_long_way_writes_once(client, sandbox, django_assert_max_num_queries):
    Sandbox.objects.filter(pk=sandbox.pk).update(last_advanced=timezone.now() - timedelta(seconds=SAVE_AFTER_SECONDS))
    with django_assert_max_num_queries(5):  # session, sandbox, its snapshot, one conditional UPDATE, announcement
        client.get(f"/sandbox/{sandbox.pk}/poll", headers={"HX-Request": "true"})
    saved = Sandbox.objects.get(pk=sandbox.pk)
    assert saved.version == sandbox.version + 1
    assert Simulation.from_json(saved.state).time >= SAVE_AFTER_SECONDS


def poll_text(client, sandbox) -> str:
    response = client.get(f"/sandbox/{sandbox.pk}/poll", headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode()


def test_polls_between_saves_move_the_clock_without_writing(client, sandbox, frozen_clock):
    command(client, sandbox, "kubectl create deployment web --image=nginx:1.27 --replicas=2")
    saved = Sandbox.objects.get(pk=sandbox.pk)
    start = Simulation.from_json(saved.state).time
    for _ in range(5):
        frozen_clock.tick(2)
        poll_text(client, sandbox)
    row = Sandbox.objects.get(pk=sandbox.pk)
    assert (row.version, row.last_advanced) == (saved.version, saved.last_advanced)  # nothing written
    assert row.time_now() == start + 10  # but this process's simulation is ten seconds on
    frozen_clock.tick(SAVE_AFTER_SECONDS)
    poll_text(client, sandbox)
    row = Sandbox.objects.get(pk=sandbox.pk)
    assert row.version == saved.version + 1
    assert Simulation.from_json(row.state).time == start + 10 + SAVE_AFTER_SECONDS


def test_a_process_that_did_not_keep_the_simulation_derives_the_same_cluster(client, sandbox, frozen_clock):
    command(client, sandbox, "kubectl create deployment web --image=nginx:1.27 --replicas=3")
    for _ in range(10):
        frozen_clock.tick(2)
        poll_text(client, sandbox)
    row = Sandbox.objects.get(pk=sandbox.pk)
    kept = row.simulation()  # taken from this process's cache: twenty seconds past the snapshot
    row.catch_up(kept)
    elsewhere = Sandbox.objects.get(pk=sandbox.pk)
    decoded = Simulation.from_json(elsewhere.state)  # what another web process starts from
    elsewhere.catch_up(decoded)
    assert decoded.time == kept.time == Simulation.from_json(row.state).time + 20
    assert decoded.to_dict() == kept.to_dict()


def test_a_command_after_unsaved_polls_is_applied_at_the_caught_up_time(client, sandbox, frozen_clock):
    start = Simulation.from_json(Sandbox.objects.get(pk=sandbox.pk).state).time
    for _ in range(4):
        frozen_clock.tick(2)
        poll_text(client, sandbox)
    command(client, sandbox, "kubectl create deployment web --image=nginx:1.27")
    assert CommandLog.objects.get(sandbox=sandbox).sim_time == start + 8
    assert Simulation.from_json(Sandbox.objects.get(pk=sandbox.pk).state).time == start + 8


def test_a_look_after_unsaved_polls_leaves_the_snapshot_and_every_process_agrees(
        client, sandbox, frozen_clock, django_capture_on_commit_callbacks):
    """``kubectl get`` does not write the snapshot: the row still says where the cluster is, so a process that
    decodes it reaches exactly the state this process keeps."""
    start = Simulation.from_json(Sandbox.objects.get(pk=sandbox.pk).state).time
    for _ in range(4):
        frozen_clock.tick(2)
        poll_text(client, sandbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert "NAME" in command(client, sandbox, "kubectl get nodes").content.decode()
    assert CommandLog.objects.get(sandbox=sandbox).sim_time == start + 8
    row = Sandbox.objects.get(pk=sandbox.pk)
    assert row.version == sandbox.version
    assert Simulation.from_json(row.state).time == start
    frozen_clock.tick(3)
    kept = row.simulation()
    row.catch_up(kept)
    decoded = Simulation.from_json(row.state)  # what another web process starts from
    row.catch_up(decoded)
    assert decoded.time == kept.time == start + 11
    assert decoded.to_json() == kept.to_json()


def test_goals_are_checked_live_and_completion_is_recorded_once(client, sandbox):
    Sandbox.objects.filter(pk=sandbox.pk).update(goals=[{"ready_replicas": {"deployment": "web", "at_least": 2}}])
    poll = client.get(f"/sandbox/{sandbox.pk}/poll", headers={"HX-Request": "true"}).content.decode()
    assert "web" in poll
    assert not sandbox.completions.exists()
    command(client, sandbox, "kubectl create deployment web --image=nginx:1.27 --replicas=2")
    client.post(f"/sandbox/{sandbox.pk}/control", {"action": "advance"}, headers={"HX-Request": "true"})
    client.get(f"/sandbox/{sandbox.pk}/poll", headers={"HX-Request": "true"})
    client.get(f"/sandbox/{sandbox.pk}/poll", headers={"HX-Request": "true"})
    assert list(sandbox.completions.values_list("goal_index", flat=True)) == [0]


def test_a_done_exercise_stays_done_when_its_state_stops_holding(client, sandbox):
    """Finishing a later exercise (or a reset) may undo what an earlier one built: it stays done, said quietly."""
    Sandbox.objects.filter(pk=sandbox.pk).update(goals=[
        {"all": [{"deployment_exists": {"deployment": "web"}}]},
        {"all": [{"not": {"deployment_exists": {"deployment": "web"}}}]},
    ])
    command(client, sandbox, "kubectl create deployment web --image=nginx:1.27")
    poll = client.get(f"/sandbox/{sandbox.pk}/poll", headers={"HX-Request": "true"}).content.decode()
    assert 'data-done="1" data-total="2"' in poll
    command(client, sandbox, "kubectl delete deployment web")
    poll = client.get(f"/sandbox/{sandbox.pk}/poll", headers={"HX-Request": "true"}).content.decode()
    assert 'data-done="2" data-total="2"' in poll
    assert poll.count('class="ex ex--done"') == 2
    assert "지금은 아래 조건이 맞지 않지만, 완료 기록은 그대로 남습니다" in poll
    assert "모든 실습을 마쳤습니다" in poll

    client.post(f"/sandbox/{sandbox.pk}/control", {"action": "reset"}, headers={"HX-Request": "true"})
    assert sorted(sandbox.completions.values_list("goal_index", flat=True)) == [0, 1]
    poll = client.get(f"/sandbox/{sandbox.pk}/poll", headers={"HX-Request": "true"}).content.decode()
    assert 'data-done="2" data-total="2"' in poll


def test_a_form_posted_without_javascript_returns_to_the_page_it_came_from(client, sandbox):
    response = client.post(f"/sandbox/{sandbox.pk}/command",
                           {"command": "kubectl get nodes", "next": "/lessons/first-deployment/"})
    assert response.status_code == 302 and response["Location"] == "/lessons/first-deployment/"
    response = client.post(f"/sandbox/{sandbox.pk}/control", {"action": "reset", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == f"/sandbox/{sandbox.pk}/"


def test_the_stored_snapshot_is_byte_for_byte_what_this_process_keeps(
        client, sandbox, django_capture_on_commit_callbacks):
    """Another process decodes the row and must reach the same world as this one's kept simulation. The engine's
    dicts iterate in key order, so the text must come back exactly as written (jsonb, which reorders keys, made
    the two drift apart: other pod names, other nodes)."""
    with django_capture_on_commit_callbacks(execute=True):
        command(client, sandbox, "kubectl create deployment web --image=nginx:1.27 --replicas=5")
        command(client, sandbox, "kubectl create deployment api --image=redis:7.4 --replicas=4")
    row = Sandbox.objects.get(pk=sandbox.pk)
    kept = row.simulation()
    assert row.state == kept.to_json()
    decoded = Simulation.from_json(row.state)
    for sim in (kept, decoded):
        for step in ("kubectl scale deployment web --replicas=2", 10, "kubectl delete pods -l app=api", 30,
                     "kubectl scale deployment web --replicas=7", 40):
            sim.advance(step) if isinstance(step, int) else sim.execute(step)
    assert decoded.to_json() == kept.to_json()


def test_reading_a_row_by_id_gives_what_the_orm_gives(client, sandbox, frozen_clock):
    """Sandbox.read writes its SELECT once and converts each column as the ORM does."""
    command(client, sandbox, "kubectl create deployment web --image=nginx:1.27")
    Sandbox.objects.filter(pk=sandbox.pk).update(goals=[{"ready_replicas": {"deployment": "web", "at_least": 2}}],
                                                 paused=True, speed=5)
    orm = Sandbox.objects.without_state().get(pk=sandbox.pk)
    for snapshot in (False, True):
        read = Sandbox.read(sandbox.pk, snapshot=snapshot)
        names = [f.attname for f in Sandbox._meta.concrete_fields if f.name != "state"]
        assert [getattr(read, n) for n in names] == [getattr(orm, n) for n in names]
        assert [type(getattr(read, n)) for n in names] == [type(getattr(orm, n)) for n in names]
        assert read.get_deferred_fields() == (set() if snapshot else {"state"}) and not read._state.adding
        assert read.last_advanced.tzinfo is not None and read.paused is True
        if snapshot:
            assert read.state == Sandbox.objects.get(pk=sandbox.pk).state
    assert Sandbox.read("00000000-0000-0000-0000-000000000000") is None


def test_a_drill_announcement_shows_on_polls_between_saves_and_goes_after_ten_minutes(client, sandbox, frozen_clock):
    poll_text(client, sandbox)  # the announcement lookup for this version is now cached: nothing to show
    # What a drill does: the message and the changed state in one transaction, which bumps the version.
    CommandLog.objects.create(sandbox=sandbox, text="sim app crash web", output="강사가 장애 훈련을 시작했습니다.",
                              source="system")
    Sandbox.objects.filter(pk=sandbox.pk).update(version=sandbox.version + 1)
    for _ in range(3):
        frozen_clock.tick(2)
        assert "강사가 장애 훈련을 시작했습니다." in poll_text(client, sandbox)
    frozen_clock.tick(11 * 60)
    assert "강사가 장애 훈련을 시작했습니다." not in poll_text(client, sandbox)


def test_a_resent_submission_is_applied_once_and_answered_again(client, sandbox):
    first = command(client, sandbox, "kubectl scale deployment web --replicas=5", request_id="a1b2c3d4-0001")
    # A deployment named web does not exist in three-nodes yet: create it with the same id pattern first.
    command(client, sandbox, "kubectl create deployment web --image=nginx:1.27", request_id="a1b2c3d4-0002")
    again = command(client, sandbox, "kubectl create deployment web --image=nginx:1.27", request_id="a1b2c3d4-0002")
    assert again.status_code == 200 and "deployment.apps/web created" in again.content.decode()
    assert "already exists" not in again.content.decode()
    assert CommandLog.objects.filter(sandbox=sandbox, request_id="a1b2c3d4-0002").count() == 1
    assert first.status_code == 200
    # Without an id, or with a malformed one, every submission is applied.
    command(client, sandbox, "kubectl get pods")
    command(client, sandbox, "kubectl get pods")
    command(client, sandbox, "kubectl get pods", request_id="<bad id>")
    command(client, sandbox, "kubectl get pods", request_id="<bad id>")
    assert CommandLog.objects.filter(sandbox=sandbox, text="kubectl get pods").count() == 4


def test_the_same_id_in_another_sandbox_is_another_submission(client, sandbox):
    other = start_sandbox(client)
    command(client, sandbox, "kubectl get nodes", request_id="same-id-123456")
    command(client, other, "kubectl get nodes", request_id="same-id-123456")
    assert CommandLog.objects.filter(request_id="same-id-123456").count() == 2
