"""Who may do what: every classroom URL and action, the class learner's sandbox and a lesson quiz, for every
kind of visitor, with the exact status and a check that a refused request wrote nothing.

The rule (issue 6): nobody sees a sandbox, history or progress that is not theirs or their class's. A class's
pages are for its instructors (owner and co-instructors) and, for the learner's class page, its members;
everyone else gets 404 so class ids do not leak. Anonymous visitors are sent to log in. A sandbox is its
owner's alone (instructors watch it through the read-only live view). Staff are not members or instructors
of a class they have not joined; ``is_instructor`` does count them as instructors, so they may create classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from classroom.models import (
    INSTRUCTORS,
    Assignment,
    Classroom,
    Drill,
    DrillTarget,
    InstructorInvite,
    Membership,
    make_instructor,
)
from lessons.course import by_slug
from lessons.models import QuizAnswer
from sandbox.models import CommandLog, Sandbox, run_atomically

pytestmark = pytest.mark.django_db

LESSON = "first-deployment"
QUESTION = "hash-in-name"
ACTORS = ["anonymous", "learner", "other_learner", "other_instructor", "owner", "co_instructor", "staff"]
LOGIN = "login"  # expected: 302 to /accounts/login/?next=<the requested path>


def make_user(username, instructor=False, **kwargs):
    """A user without a password: tests log in with force_login."""
    user = get_user_model().objects.create(username=username, **kwargs)
    if instructor:
        make_instructor(user)
    return user


def lesson_sandbox(user, commands=("kubectl get nodes",)) -> Sandbox:
    lesson = by_slug(LESSON)
    sandbox = Sandbox.start(lesson.scenario, user=user, lesson=LESSON, goals=lesson.sandbox_goals())
    for text in commands:
        def change(sandbox, sim, text=text):
            return sim, sim.execute(text)

        def log(sandbox, sim, result, text=text):
            sandbox.log_command(text, result.text, result.ok, "typed", sim.time)

        sandbox, _, _ = run_atomically(sandbox.fresh(), change, then=log)
    # Paused: a read never catches up on simulated time, so any change of version is a write by the request.
    Sandbox.objects.filter(pk=sandbox.pk).update(paused=True)
    return sandbox.fresh()


@dataclass
class World:
    users: dict
    class_a: Classroom
    class_b: Classroom
    sandbox: Sandbox  # the class-A learner's lesson sandbox
    other_sandbox: Sandbox  # the class-B learner's
    drill_a: Drill
    drill_b: Drill
    spare: object  # an instructor the owner may add as co-instructor
    invite: InstructorInvite  # an open instructor invitation made by the owner

    @property
    def a(self) -> int:
        return self.class_a.pk

    @property
    def b(self) -> int:
        return self.class_b.pk

    @property
    def learner(self):
        return self.users["learner"]


@pytest.fixture
def world() -> World:
    users = {
        "learner": make_user("learner"),
        "other_learner": make_user("other_learner"),
        "other_instructor": make_user("other_instructor", instructor=True),
        "owner": make_user("owner", instructor=True),
        "co_instructor": make_user("co_instructor", instructor=True),
        "staff": make_user("staff", is_staff=True),
    }
    class_a = Classroom.objects.create(name="A반", owner=users["owner"])
    class_a.co_instructors.add(users["co_instructor"])
    class_b = Classroom.objects.create(name="B반", owner=users["other_instructor"])
    Membership.objects.create(classroom=class_a, user=users["learner"])
    Membership.objects.create(classroom=class_b, user=users["other_learner"])
    Assignment.objects.create(classroom=class_a, lesson=LESSON)
    # Not the fault the drill rows start, so those are not taken for a repeat of this one.
    drill_a = Drill.objects.create(classroom=class_a, lesson=LESSON, fault="app-crash", started_by=users["owner"])
    drill_b = Drill.objects.create(classroom=class_b, lesson=LESSON, fault="app-crash",
                                   started_by=users["other_instructor"])
    return World(users=users, class_a=class_a, class_b=class_b, sandbox=lesson_sandbox(users["learner"]),
                 other_sandbox=lesson_sandbox(users["other_learner"]), drill_a=drill_a, drill_b=drill_b,
                 spare=make_user("spare_instructor", instructor=True),
                 invite=InstructorInvite.objects.create(created_by=users["owner"]))


def snapshot(w: World) -> dict:
    """Everything a request in the matrix could write."""
    sandbox = Sandbox.objects.get(pk=w.sandbox.pk)
    return {
        "classrooms": sorted(Classroom.objects.values_list("pk", "name", "archived")),
        "memberships": sorted(Membership.objects.values_list("classroom_id", "user_id")),
        "co_instructors": sorted(w.class_a.co_instructors.values_list("pk", flat=True)),
        "assignments": sorted(Assignment.objects.values_list("classroom_id", "lesson", "due")),
        "drills": sorted(Drill.objects.values_list("pk", "classroom_id", "fault")),
        "drill_targets": sorted(DrillTarget.objects.values_list("pk", "sandbox_id", "recovered_at")),
        "sandbox": (sandbox.version, sandbox.paused, sandbox.speed, sandbox.owner_user_id, sandbox.command_tokens_at),
        "commands": sorted(CommandLog.objects.filter(sandbox=w.sandbox).values_list("pk", "text")),
        "learner_quiz": sorted(QuizAnswer.objects.filter(owner_user=w.learner).values_list("question", "choice")),
        "quiz_answers": QuizAnswer.objects.count(),
        "instructors": sorted(get_user_model().objects.filter(groups__name=INSTRUCTORS).values_list("pk", flat=True)),
        "invites": sorted(InstructorInvite.objects.values_list("pk", "accepted_by_id")),
        "passwords": sorted(get_user_model().objects.values_list("pk", "password")),
    }


@dataclass(frozen=True)
class Action:
    name: str
    method: str
    url: object  # World -> str
    data: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    actor: str
    action: Action
    expected: int | str
    changes: frozenset = frozenset()  # snapshot keys this request must change; every other key must not
    may_change: frozenset = frozenset()  # keys that may change either way (see the row)

    @property
    def id(self) -> str:
        return f"{self.action.name}-{self.actor}"


def a(name, method, url, **kwargs) -> Action:
    return Action(name, method, url, **kwargs)


# --- the actions ---------------------------------------------------------------------------------------

CLASS_LIST = a("class-list", "GET", lambda w: "/classes/")
CREATE = a("class-create", "POST", lambda w: "/classes/new", data={"name": "새 수업", "description": "설명"})
CREATE_GET = a("class-create-GET", "GET", lambda w: "/classes/new")
JOIN_FORM = a("class-join-form", "GET", lambda w: "/classes/join/")
JOIN = a("class-join", "POST", lambda w: "/classes/join/", data={"code": "placeholder"})  # code set in the test
JOIN_BAD = a("class-join-bad-code", "POST", lambda w: "/classes/join/", data={"code": "ZZZZZZ"})
DETAIL = a("class-detail", "GET", lambda w: f"/classes/{w.a}/")
PULSE = a("class-detail-htmx", "GET", lambda w: f"/classes/{w.a}/", headers={"HX-Request": "true"})
LEAVE = a("class-leave", "POST", lambda w: f"/classes/{w.a}/leave")
LEAVE_GET = a("class-leave-GET", "GET", lambda w: f"/classes/{w.a}/leave")
ARCHIVE = a("class-archive", "POST", lambda w: f"/classes/{w.a}/archive", data={"archived": "1"})
ARCHIVE_GET = a("class-archive-GET", "GET", lambda w: f"/classes/{w.a}/archive")
ADD_INSTRUCTOR = a("class-add-instructor", "POST", lambda w: f"/classes/{w.a}/instructors",
                   data={"username": "spare_instructor"})
ADD_INSTRUCTOR_GET = a("class-add-instructor-GET", "GET", lambda w: f"/classes/{w.a}/instructors")
ASSIGN = a("class-assign", "POST", lambda w: f"/classes/{w.a}/assignments",
           data={"lesson": "scaling", "due": "2030-12-01T18:00"})
ASSIGN_GET = a("class-assign-GET", "GET", lambda w: f"/classes/{w.a}/assignments")
LEARNER = a("class-learner", "GET", lambda w: f"/classes/{w.a}/learners/{w.learner.pk}/")
LEARNER_LIVE = a("class-learner-live", "GET",
                 lambda w: f"/classes/{w.a}/learners/{w.learner.pk}/sandboxes/{w.sandbox.pk}/live")
EXPORT = a("class-export", "GET", lambda w: f"/classes/{w.a}/export.csv")
DRILL_FORM = a("drill-form", "GET", lambda w: f"/classes/{w.a}/drills")
DRILL_START = a("drill-start", "POST", lambda w: f"/classes/{w.a}/drills",
                data={"lesson": LESSON, "fault": "node-fail"})
DRILL_RESULTS = a("drill-results", "GET", lambda w: f"/classes/{w.a}/drills/{w.drill_a.pk}/")
DRILL_RESULTS_POST = a("drill-results-POST", "POST", lambda w: f"/classes/{w.a}/drills/{w.drill_a.pk}/")
DRILL_EXPORT = a("drill-export", "GET", lambda w: f"/classes/{w.a}/drills/{w.drill_a.pk}/export.csv")
RESET_LINK_FORM = a("class-learner-reset-link-form", "GET",
                    lambda w: f"/classes/{w.a}/learners/{w.learner.pk}/password-reset")
RESET_LINK = a("class-learner-reset-link", "POST", lambda w: f"/classes/{w.a}/learners/{w.learner.pk}/password-reset")
INVITES = a("instructor-invites", "GET", lambda w: "/classes/invites/")
INVITE_CREATE = a("instructor-invite-create", "POST", lambda w: "/classes/invites/", data={"note": "김강사"})
INVITE = a("instructor-invite", "GET", lambda w: f"/classes/invites/{w.invite.token}/")
INVITE_ACCEPT = a("instructor-invite-accept", "POST", lambda w: f"/classes/invites/{w.invite.token}/")

SANDBOX = a("sandbox-detail", "GET", lambda w: f"/sandbox/{w.sandbox.pk}/")
SANDBOX_HTMX = a("sandbox-detail-htmx", "GET", lambda w: f"/sandbox/{w.sandbox.pk}/", headers={"HX-Request": "true"})
POLL = a("sandbox-poll", "GET", lambda w: f"/sandbox/{w.sandbox.pk}/poll")
COMMAND = a("sandbox-command", "POST", lambda w: f"/sandbox/{w.sandbox.pk}/command",
            data={"command": "kubectl create deployment web --image=nginx:1.27"})
COMMAND_HTMX = a("sandbox-command-htmx", "POST", lambda w: f"/sandbox/{w.sandbox.pk}/command",
                 data={"command": "kubectl get nodes"}, headers={"HX-Request": "true"})
COMMAND_GET = a("sandbox-command-GET", "GET", lambda w: f"/sandbox/{w.sandbox.pk}/command")
ADVANCE = a("sandbox-control-advance", "POST", lambda w: f"/sandbox/{w.sandbox.pk}/control",
            data={"action": "advance"})
SPEED = a("sandbox-control-speed", "POST", lambda w: f"/sandbox/{w.sandbox.pk}/control", data={"speed": "20"})
RESUME = a("sandbox-control-resume", "POST", lambda w: f"/sandbox/{w.sandbox.pk}/control",
           data={"action": "resume"})
RESET = a("sandbox-control-reset", "POST", lambda w: f"/sandbox/{w.sandbox.pk}/control", data={"action": "reset"})
CONTROL_GET = a("sandbox-control-GET", "GET", lambda w: f"/sandbox/{w.sandbox.pk}/control")
# The world's sandbox belongs to a lesson, which its owner may not delete either (400): nobody deletes it.
DELETE = a("sandbox-delete", "POST", lambda w: f"/sandbox/{w.sandbox.pk}/delete")
DELETE_GET = a("sandbox-delete-GET", "GET", lambda w: f"/sandbox/{w.sandbox.pk}/delete")
QUIZ = a("lesson-quiz", "POST", lambda w: f"/lessons/{LESSON}/quiz/{QUESTION}", data={"choice": "0"})


def rows(action: Action, expected: dict, changes: dict | None = None, may_change: dict | None = None) -> list[Row]:
    """One row per actor. ``expected`` maps actor → outcome ("*" for everyone not named)."""
    out = []
    for actor in ACTORS:
        outcome = expected.get(actor, expected.get("*"))
        assert outcome is not None, (action.name, actor)
        out.append(Row(actor, action, outcome, frozenset((changes or {}).get(actor, ())),
                       frozenset((may_change or {}).get(actor, ()))))
    return out


SIGNED_IN = [actor for actor in ACTORS if actor != "anonymous"]
TEACHERS = ("owner", "co_instructor")


def teachers_only(action: Action, ok: int, changes=()) -> list[Row]:
    """A class-A instructor page or action: its two instructors succeed, the rest get 404, anonymous logs in."""
    return rows(action, {"anonymous": LOGIN, "owner": ok, "co_instructor": ok, "*": 404},
                {actor: changes for actor in TEACHERS})


def owner_only(action: Action, changes=()) -> list[Row]:
    """Archive and add-instructor: the owner alone; a co-instructor is refused (403), everyone else 404."""
    return rows(action, {"anonymous": LOGIN, "owner": 302, "co_instructor": 403, "*": 404}, {"owner": changes})


def post_only(action: Action) -> list[Row]:
    """A POST-only classroom URL asked with GET: anonymous logs in first (login_required), the rest 405."""
    return rows(action, {"anonymous": LOGIN, "*": 405})


def sandbox_owner_only(action: Action, ok: int, changes=()) -> list[Row]:
    """The class-A learner's own sandbox: theirs alone, the same 404 for everyone else (instructors too)."""
    return rows(action, {"learner": ok, "*": 404}, {"learner": changes})


CREATORS = ("other_instructor", "owner", "co_instructor", "staff")

MATRIX: list[Row] = [
    *rows(CLASS_LIST, {"anonymous": LOGIN, "*": 200}),
    *rows(CREATE, {"anonymous": LOGIN, "learner": 403, "other_learner": 403, "*": 302},
          {actor: ("classrooms",) for actor in CREATORS}),
    *post_only(CREATE_GET),
    *rows(JOIN_FORM, {"anonymous": LOGIN, "*": 200}),
    # Anyone signed in who has the code may join (the learner already has: nothing changes). An instructor of
    # the class joining it as a learner is allowed by the code as it stands (reported, not asserted here).
    *rows(JOIN, {"anonymous": LOGIN, "*": 302},
          {"other_learner": ("memberships",), "other_instructor": ("memberships",), "staff": ("memberships",)},
          {actor: ("memberships",) for actor in TEACHERS}),
    *rows(JOIN_BAD, {"anonymous": LOGIN, "*": 404}),
    *rows(DETAIL, {"anonymous": LOGIN, "learner": 200, "owner": 200, "co_instructor": 200, "*": 404}),
    *rows(PULSE, {"anonymous": LOGIN, "learner": 200, "owner": 200, "co_instructor": 200, "*": 404}),
    *rows(LEAVE, {"anonymous": LOGIN, "learner": 302, "*": 404}, {"learner": ("memberships",)}),
    *post_only(LEAVE_GET),
    *owner_only(ARCHIVE, ("classrooms",)),
    *post_only(ARCHIVE_GET),
    *owner_only(ADD_INSTRUCTOR, ("co_instructors",)),
    *post_only(ADD_INSTRUCTOR_GET),
    *teachers_only(ASSIGN, 302, ("assignments",)),
    *post_only(ASSIGN_GET),
    *teachers_only(LEARNER, 200),
    *teachers_only(LEARNER_LIVE, 200),
    *teachers_only(EXPORT, 200),
    *teachers_only(DRILL_FORM, 200),
    *teachers_only(DRILL_START, 302, ("drills", "drill_targets", "sandbox", "commands")),
    *teachers_only(DRILL_RESULTS, 200),
    *rows(DRILL_RESULTS_POST, {"anonymous": LOGIN, "*": 405}),
    *teachers_only(DRILL_EXPORT, 200),
    # A reset link is a signed token: making one writes nothing, and only the learner's own instructors may.
    *teachers_only(RESET_LINK_FORM, 200),
    *teachers_only(RESET_LINK, 200),
    # Any instructor (or staff) may invite another; learners may not. Anyone signed in may accept a link they
    # were given; for an instructor it changes nothing and the link is left for someone else.
    *rows(INVITES, {"anonymous": LOGIN, "learner": 403, "other_learner": 403, "*": 200}),
    *rows(INVITE_CREATE, {"anonymous": LOGIN, "learner": 403, "other_learner": 403, "*": 302},
          {actor: ("invites",) for actor in CREATORS}),
    *rows(INVITE, {"anonymous": LOGIN, "*": 200}),
    *rows(INVITE_ACCEPT, {"anonymous": LOGIN, "*": 302},
          {actor: ("invites", "instructors") for actor in ("learner", "other_learner")}),
    # The sandbox views need no log-in: an anonymous visitor's session owns none of them, hence 404.
    *sandbox_owner_only(SANDBOX, 200),
    *sandbox_owner_only(SANDBOX_HTMX, 200),
    *sandbox_owner_only(POLL, 200),
    *sandbox_owner_only(COMMAND, 302, ("sandbox", "commands")),
    *sandbox_owner_only(COMMAND_HTMX, 200, ("sandbox", "commands")),
    *rows(COMMAND_GET, {"*": 405}),
    *sandbox_owner_only(ADVANCE, 302, ("sandbox",)),
    *sandbox_owner_only(SPEED, 302, ("sandbox",)),
    *sandbox_owner_only(RESUME, 302, ("sandbox",)),
    *sandbox_owner_only(RESET, 302, ("sandbox", "commands")),
    *rows(CONTROL_GET, {"*": 405}),
    *sandbox_owner_only(DELETE, 400),
    *rows(DELETE_GET, {"*": 405}),
    # Anyone may answer a quiz (anonymous too); the answer is always the answerer's own.
    *rows(QUIZ, {"*": 302}, {actor: ("quiz_answers", "learner_quiz") if actor == "learner" else ("quiz_answers",)
                             for actor in ACTORS}),
    # An instructor's hint to a learner: a system entry in the learner's lesson sandbox, saved with it.
    *teachers_only(a("class-learner-hint", "POST", lambda w: f"/classes/{w.a}/learners/{w.learner.pk}/",
                     data={"hint": "replicas 값을 확인해 보세요", "lesson": LESSON}), 302, ("sandbox", "commands")),
]

# Crossing classes: an instructor's rights stop at their own class, whatever ids are put in the URL.
CROSS: list[Row] = [
    Row("owner", a("learner-of-class-B-via-class-A", "GET",
                   lambda w: f"/classes/{w.a}/learners/{w.users['other_learner'].pk}/"), 404),
    Row("owner", a("live-of-class-B-sandbox-via-class-A-learner", "GET",
                   lambda w: f"/classes/{w.a}/learners/{w.learner.pk}/sandboxes/{w.other_sandbox.pk}/live"), 404),
    Row("owner", a("live-of-class-B-learner-via-class-A", "GET",
                   lambda w: f"/classes/{w.a}/learners/{w.users['other_learner'].pk}/sandboxes/"
                             f"{w.other_sandbox.pk}/live"), 404),
    Row("owner", a("drill-of-class-B-via-class-A", "GET", lambda w: f"/classes/{w.a}/drills/{w.drill_b.pk}/"), 404),
    Row("owner", a("drill-export-of-class-B-via-class-A", "GET",
                   lambda w: f"/classes/{w.a}/drills/{w.drill_b.pk}/export.csv"), 404),
    Row("other_instructor", a("learner-of-class-A-via-class-B", "GET",
                              lambda w: f"/classes/{w.b}/learners/{w.learner.pk}/"), 404),
    Row("other_instructor", a("live-of-class-A-learner-via-class-B", "GET",
                              lambda w: f"/classes/{w.b}/learners/{w.learner.pk}/sandboxes/{w.sandbox.pk}/live"),
        404),
    Row("other_instructor", a("drill-of-class-A-via-class-B", "GET",
                              lambda w: f"/classes/{w.b}/drills/{w.drill_a.pk}/"), 404),
    Row("other_instructor", a("drill-export-of-class-A-via-class-B", "GET",
                              lambda w: f"/classes/{w.b}/drills/{w.drill_a.pk}/export.csv"), 404),
    Row("other_instructor", a("leave-class-A-via-class-B-membership", "POST",
                              lambda w: f"/classes/{w.a}/leave"), 404),
    Row("owner", a("class-that-does-not-exist", "GET", lambda w: "/classes/999999/"), 404),
    Row("owner", a("export-of-class-B", "GET", lambda w: f"/classes/{w.b}/export.csv"), 404),
    Row("owner", a("assign-in-class-B", "POST", lambda w: f"/classes/{w.b}/assignments",
                   data={"lesson": "scaling"}), 404),
    Row("owner", a("drill-in-class-B", "POST", lambda w: f"/classes/{w.b}/drills",
                   data={"lesson": LESSON, "fault": "node-fail"}), 404),
    Row("co_instructor", a("archive-class-B", "POST", lambda w: f"/classes/{w.b}/archive"), 404),
    Row("owner", a("reset-link-for-class-B-learner-via-class-A", "POST",
                   lambda w: f"/classes/{w.a}/learners/{w.users['other_learner'].pk}/password-reset"), 404),
    Row("owner", a("reset-link-for-class-B-learner-via-class-B", "POST",
                   lambda w: f"/classes/{w.b}/learners/{w.users['other_learner'].pk}/password-reset"), 404),
    Row("owner", a("reset-link-for-an-instructor-of-class-A", "POST",
                   lambda w: f"/classes/{w.a}/learners/{w.users['co_instructor'].pk}/password-reset"), 404),
    Row("other_instructor", a("reset-link-for-class-A-learner-via-class-B", "GET",
                              lambda w: f"/classes/{w.b}/learners/{w.learner.pk}/password-reset"), 404),
    Row("learner", a("reset-link-for-oneself-through-ones-class", "POST",
                     lambda w: f"/classes/{w.a}/learners/{w.learner.pk}/password-reset"), 404),
    Row("learner", a("invite-that-does-not-exist", "POST", lambda w: "/classes/invites/not-a-token/"), 404),
    Row("owner", a("hint-to-class-B-learner-via-class-A", "POST",
                   lambda w: f"/classes/{w.a}/learners/{w.users['other_learner'].pk}/", data={"hint": "x"}), 404),
    Row("other_instructor", a("hint-to-class-A-learner-via-class-B", "POST",
                              lambda w: f"/classes/{w.b}/learners/{w.learner.pk}/", data={"hint": "x"}), 404),
    Row("owner", a("hint-to-an-instructor-of-class-A", "POST",
                   lambda w: f"/classes/{w.a}/learners/{w.users['co_instructor'].pk}/", data={"hint": "x"}), 404),
]


def request(client, w: World, row: Row):
    action = row.action
    data = dict(action.data)
    if action is JOIN:
        data["code"] = w.class_a.code.lower()  # as typed by a learner: case and spaces do not matter
    url = action.url(w)
    if action.method == "GET":
        return url, client.get(url, headers=action.headers)
    return url, client.post(url, data, headers=action.headers)


@pytest.mark.parametrize("row", MATRIX + CROSS, ids=lambda row: row.id)
def test_authorization_matrix(client, world, row: Row):
    if row.actor != "anonymous":
        client.force_login(world.users[row.actor])
    before = snapshot(world)

    url, response = request(client, world, row)

    if row.expected == LOGIN:
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"] == f"/accounts/login/?next={quote(url, safe='/')}"
    else:
        assert response.status_code == row.expected, (url, response.status_code)
        if response.status_code == 302:
            assert not response["Location"].startswith("/accounts/login/")
    after = snapshot(world)
    for key in before:
        if key in row.may_change:
            continue
        if key in row.changes:
            assert after[key] != before[key], f"{row.id}: expected a change to {key}"
        else:
            assert after[key] == before[key], f"{row.id}: {key} changed: {before[key]!r} → {after[key]!r}"


def test_every_url_of_the_classroom_and_sandbox_apps_is_in_the_matrix():
    """A new URL must get its rows here (and a decision about who may use it)."""
    from classroom.urls import urlpatterns as classroom_urls
    from sandbox.urls import urlpatterns as sandbox_urls

    covered_names = {
        "class-list", "class-create", "class-join", "class-detail", "class-leave", "class-archive",
        "class-add-instructor", "class-assign", "class-learner", "class-learner-live", "class-export",
        "class-drill", "class-drill-results", "class-drill-export", "class-learner-reset-link",
        "instructor-invites", "instructor-invite",
        "sandbox-detail", "sandbox-poll", "sandbox-command", "sandbox-control", "sandbox-delete",
        "sandbox-home",  # not a per-sandbox URL: see test_lists_and_lesson_pages_show_only_ones_own below
    }
    assert {p.name for p in classroom_urls + sandbox_urls} == covered_names
    assert all(actor in {row.actor for row in MATRIX if row.action is action} for action in (
        CLASS_LIST, CREATE, JOIN, DETAIL, LEAVE, ARCHIVE, ADD_INSTRUCTOR, ASSIGN, LEARNER, LEARNER_LIVE, EXPORT,
        DRILL_FORM, DRILL_START, DRILL_RESULTS, DRILL_EXPORT, RESET_LINK, INVITES, INVITE_CREATE, INVITE_ACCEPT,
        SANDBOX, POLL, COMMAND, ADVANCE, DELETE, QUIZ)
        for actor in ACTORS)


# --- what the pages show -------------------------------------------------------------------------------


def test_lists_and_lesson_pages_show_only_ones_own(client, world):
    """Class lists, the sandbox list and the lesson's sandbox never hand out another person's class or sandbox."""
    sandbox_id = str(world.sandbox.pk)
    for actor in SIGNED_IN:
        client.force_login(world.users[actor])
        classes = client.get("/classes/").content.decode()
        assert ("A반" in classes) == (actor in ("learner", "owner", "co_instructor")), actor
        assert (world.class_a.code in classes) == (actor in TEACHERS), actor  # the code is for instructors
        assert (sandbox_id in client.get("/sandbox/").content.decode()) == (actor == "learner"), actor
        response = client.get(f"/lessons/{LESSON}/sandbox")
        assert response.status_code == 302
        assert (response["Location"] == f"/sandbox/{sandbox_id}/") == (actor == "learner"), actor
        client.logout()
    assert Sandbox.objects.get(pk=world.sandbox.pk).owner_user == world.learner


def test_a_learners_class_page_shows_nothing_of_other_learners(client, world):
    classmate = make_user("classmate")
    Membership.objects.create(classroom=world.class_a, user=classmate)
    client.force_login(world.learner)
    html = client.get(f"/classes/{world.a}/").content.decode()
    assert "A반" in html and "수업에서 나가기" in html
    for leak in ("classmate", world.class_a.code, "export.csv", "/learners/", "진도표", "/drills"):
        assert leak not in html, leak


def test_the_learner_page_watches_only_that_learners_sandboxes(client, world):
    """``?sandbox=`` picks among the member's own sandboxes; another person's id falls back to theirs."""
    client.force_login(world.users["owner"])
    html = client.get(f"/classes/{world.a}/learners/{world.learner.pk}/?sandbox={world.other_sandbox.pk}"
                      ).content.decode()
    assert str(world.other_sandbox.pk) not in html
    assert f"/sandboxes/{world.sandbox.pk}/live" in html
    assert "other_learner" not in html


def test_a_learner_who_left_is_no_longer_visible_to_the_instructor(client, world):
    client.force_login(world.learner)
    assert client.post(f"/classes/{world.a}/leave").status_code == 302
    client.force_login(world.users["owner"])
    assert client.get(f"/classes/{world.a}/learners/{world.learner.pk}/").status_code == 404
    assert client.get(f"/classes/{world.a}/learners/{world.learner.pk}/sandboxes/{world.sandbox.pk}/live"
                      ).status_code == 404
    assert "learner" not in client.get(f"/classes/{world.a}/export.csv").content.decode("utf-8-sig")


def test_watching_a_running_sandbox_never_writes_to_it(client, world):
    """The read-only live view catches simulated time up on a copy: the learner's sandbox is not touched."""
    Sandbox.objects.filter(pk=world.sandbox.pk).update(paused=False, last_advanced=timezone.now() - timedelta(
        minutes=5))
    before = Sandbox.objects.get(pk=world.sandbox.pk)
    client.force_login(world.users["owner"])
    assert client.get(f"/classes/{world.a}/learners/{world.learner.pk}/").status_code == 200
    assert client.get(f"/classes/{world.a}/learners/{world.learner.pk}/sandboxes/{world.sandbox.pk}/live"
                      ).status_code == 200
    after = Sandbox.objects.get(pk=world.sandbox.pk)
    assert (after.version, after.last_advanced, after.state) == (before.version, before.last_advanced, before.state)


def test_a_learner_in_two_classes_is_watched_through_each_instructors_own_class(client, world):
    """Each instructor's read-only view polls its own class's URL, even when the other class's instructor
    looked at the same sandbox version first (the rendered fragment is cached)."""
    Membership.objects.create(classroom=world.class_b, user=world.learner)

    def live(pk):
        return f"/classes/{pk}/learners/{world.learner.pk}/sandboxes/{world.sandbox.pk}/live"

    client.force_login(world.users["owner"])
    assert live(world.a) in client.get(live(world.a)).content.decode()
    client.force_login(world.users["other_instructor"])
    html = client.get(live(world.b)).content.decode()
    assert f"/classes/{world.a}/" not in html, "class B's instructor is shown (and polls) class A's URL"
    assert live(world.b) in html
