"""``python manage.py seed_demo``: a demo class to show the instructor's dashboard on a laptop.

Everything is made the way the site makes it: each learner's lesson sandbox runs real exercise solutions
(and, for the stuck ones, real failing commands) through the engine, so goal completions, command logs,
lesson progress and quiz answers are what the pages would have recorded; the past drill is applied and
recovered through :mod:`classroom.drills`. Only the timestamps are moved into the past afterwards.

Running it again deletes the demo accounts (and with them their class and sandboxes) and starts over.
"""

from __future__ import annotations

import random
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from classroom import drills
from classroom.models import Assignment, Classroom, Drill, DrillTarget, Membership, make_instructor
from lessons.course import Lesson, by_slug
from lessons.models import LessonProgress, QuizAnswer
from orchestrator import goals
from sandbox.models import CommandLog, GoalCompletion, Sandbox, run_atomically

INSTRUCTOR = "demo-instructor"
LEARNERS = 25
DEMO_EMAIL = "{username}@demo.invalid"  # marks an account as the demo's own, safe to delete
CLASS_NAME = "쿠버네티스 입문 (데모)"
# Lesson, due date in days from now (None: no due date).
ASSIGNMENTS = [("first-deployment", -7), ("scaling", -2), ("health-self-healing", 3), ("rolling-updates", None)]
DRILL_LESSON, DRILL_FAULT = "first-deployment", "node-fail"
# How far each kind of learner got: lessons finished, then exercises done in the next one.
PROFILES = ["ahead"] * 5 + ["steady"] * 8 + ["behind"] * 5 + ["stuck"] * 4 + ["idle"] * 3
REACH = {"ahead": (4, 0), "steady": (2, 1), "behind": (0, 1), "stuck": (1, 0), "idle": (0, 0)}
MISTAKES = ["kubectl scale deployment web --replica=5", "kubectl get pod web",
            "kubectl set image deployment/web web=nginx:1.26", "kubctl get pods",
            "kubectl expose deployment web --port", "kubectl rollout undo deployment/wbe",
            "kubectl describe pod hello"]


class Command(BaseCommand):
    help = "개발용 데모 데이터(강사 1명, 수강생 25명, 과제와 지난 장애 훈련이 있는 수업)를 만듭니다."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="데모 계정의 비밀번호 (기본: 실행할 때마다 새로 만듭니다)")
        parser.add_argument("--seed", type=int, default=6, help="진도를 나누는 난수 시드")

    def handle(self, *args, password=None, seed=6, **options):
        if not settings.DEBUG:
            raise CommandError("DEBUG가 꺼져 있어 데모 데이터를 만들지 않습니다 (운영 데이터베이스 보호). "
                               "개발용 컴퓨터에서 DEBUG=1로 실행해 주세요.")
        password = password or f"demo-{secrets.token_urlsafe(6)}"
        self.rng = random.Random(seed)
        self.now = timezone.now()
        with transaction.atomic():
            self._delete_previous()
            teacher, learners, classroom = self._accounts(password)
        for index, (user, profile) in enumerate(zip(learners, PROFILES, strict=True)):
            self._progress(user, profile, index)
        drill = self._past_drill(classroom, teacher)
        self._report(classroom, learners, password, drill)

    # --- accounts and class -----------------------------------------------------------------------

    def _usernames(self) -> list[str]:
        return [INSTRUCTOR] + [f"learner{i:02d}" for i in range(1, LEARNERS + 1)]

    def _delete_previous(self) -> None:
        users = get_user_model().objects.filter(username__in=self._usernames())
        strangers = [u.username for u in users if u.email != DEMO_EMAIL.format(username=u.username)]
        if strangers:
            raise CommandError(f"데모 계정과 이름이 같은 사용자가 이미 있습니다: {', '.join(strangers)}. "
                               "그 계정을 지우거나 이름을 바꾼 뒤 다시 실행해 주세요.")
        users.delete()  # cascades to their class, memberships, sandboxes, progress and answers

    def _accounts(self, password: str):
        model = get_user_model()
        # One hash for all 26 demo accounts: hashing is deliberately slow (most of a second each).
        hashed = make_password(password)
        names = self._usernames()
        model.objects.bulk_create([model(username=name, email=DEMO_EMAIL.format(username=name), password=hashed)
                                   for name in names])
        by_name = model.objects.in_bulk(names, field_name="username")  # bulk_create gives no ids on every database
        teacher, learners = by_name[INSTRUCTOR], [by_name[name] for name in names[1:]]
        make_instructor(teacher)
        classroom = Classroom.objects.create(name=CLASS_NAME, owner=teacher,
                                             description="seed_demo가 만든 데모 수업입니다. 마음껏 눌러 보세요.")
        for slug, days in ASSIGNMENTS:
            due = self.now + timedelta(days=days) if days is not None else None
            Assignment.objects.create(classroom=classroom, lesson=slug, due=due)
        Membership.objects.bulk_create([Membership(classroom=classroom, user=u) for u in learners])
        return teacher, learners, classroom

    # --- one learner's work -----------------------------------------------------------------------

    def _progress(self, user, profile: str, index: int) -> None:
        finished, partial = REACH[profile]
        lessons = [by_slug(slug) for slug, _ in ASSIGNMENTS]
        if profile == "steady":
            finished = self.rng.choice([1, 2, 3])
        # The busy ones were here in the last quarter-hour; the others some hours or days ago.
        end = self.now - (timedelta(minutes=self.rng.randint(1, 12)) if profile in ("stuck", "ahead") or index % 3 == 0
                          else timedelta(hours=self.rng.randint(3, 72)))
        plan = [(lesson, len(lesson.exercises)) for lesson in lessons[:finished]]
        if finished < len(lessons) and (partial or profile == "stuck"):
            current = lessons[finished]
            plan.append((current, min(partial, len(current.exercises) - 1)))
        minutes = sum(8 + 4 * done for _, done in plan)
        clock = end - timedelta(minutes=minutes)
        if profile == "idle" and index % 2 == 0:
            self._opened(user, lessons[0], end, finished=False)
        for position, (lesson, done) in enumerate(plan):
            last = position == len(plan) - 1
            clock = self._lesson(user, lesson, done, clock, stuck=profile == "stuck" and last)
            complete = done == len(lesson.exercises)
            answered = self._quiz(user, lesson, clock, everything=complete)
            self._opened(user, lesson, clock, finished=complete and answered == len(lesson.quiz))

    def _lesson(self, user, lesson: Lesson, done: int, clock, stuck: bool):
        """Run the first ``done`` exercises' solutions (and a stuck learner's mistakes) in a new sandbox."""
        sandbox = Sandbox.start(lesson.scenario, user=user, lesson=lesson.slug, goals=lesson.sandbox_goals())
        sim = sandbox.simulation()
        logs, completions, passed = [], [], set()
        started = clock
        commands = [text for exercise in lesson.exercises[:done] for text in exercise.solution]
        if stuck:
            # A first step of the next exercise, then the mistakes the dashboard's stuck list is for.
            commands += lesson.exercises[done].solution[:1] + self.rng.sample(MISTAKES, 5)
        elif done < len(lesson.exercises):
            commands += lesson.exercises[done].solution[:1]
        for text in commands:
            result = sim.execute(text)
            clock += timedelta(seconds=self.rng.randint(15, 100))
            source = "button" if text.startswith("sim advance") and self.rng.random() < 0.5 else "typed"
            logs.append(CommandLog(sandbox=sandbox, text=text, output=result.text, ok=result.ok, source=source,
                                   sim_time=sim.time, created=clock))
            for index, spec in enumerate(sandbox.goals):
                if index not in passed and goals.load(spec).evaluate(sim).passed:
                    passed.add(index)
                    completions.append(GoalCompletion(sandbox=sandbox, goal_index=index, commands=len(logs),
                                                      completed_at=clock))
        sandbox.save_state(sim)
        _backdate(logs, "created")
        _backdate(completions, "completed_at")
        Sandbox.objects.filter(pk=sandbox.pk).update(created=started, updated=clock, last_advanced=clock)
        return clock + timedelta(minutes=self.rng.randint(1, 5))

    def _quiz(self, user, lesson: Lesson, clock, everything: bool) -> int:
        questions = lesson.quiz if everything else lesson.quiz[: self.rng.randint(0, len(lesson.quiz))]
        for question in questions:
            right = self.rng.random() < 0.8
            choice = question.answer if right else (question.answer + 1) % len(question.choices)
            QuizAnswer.objects.create(owner_user=user, lesson=lesson.slug, question=question.id, choice=choice,
                                      correct=choice == question.answer)
        QuizAnswer.objects.filter(owner_user=user, lesson=lesson.slug).update(answered_at=clock)
        return len(questions)

    def _opened(self, user, lesson: Lesson, clock, finished: bool) -> None:
        LessonProgress.objects.create(owner_user=user, lesson=lesson.slug)
        LessonProgress.objects.filter(owner_user=user, lesson=lesson.slug).update(
            opened_at=clock - timedelta(minutes=30), last_seen=clock, finished_at=clock if finished else None)

    # --- the past drill ---------------------------------------------------------------------------

    def _past_drill(self, classroom: Classroom, teacher) -> Drill:
        drill = Drill.objects.create(classroom=classroom, lesson=DRILL_LESSON, fault=DRILL_FAULT, started_by=teacher)
        report = drills.apply(drill)
        started = self.now - timedelta(days=1, hours=2)
        Drill.objects.filter(pk=drill.pk).update(started_at=started)
        for position, target in enumerate(report.applied):
            applied = started + timedelta(seconds=2)
            DrillTarget.objects.filter(pk=target.pk).update(applied_at=applied)
            CommandLog.objects.filter(sandbox=target.sandbox, source="system").update(created=applied)
            node = target.command.split()[-1]
            if position % 3 == 2:  # about a third looked around but did not recover
                fix = ["kubectl get pods -o wide", "sim advance 20"]
            elif position % 2:
                fix = ["kubectl get nodes", f"sim node recover {node}", "sim advance 30"]
            else:
                fix = ["kubectl get pods -o wide", "sim advance 400"]  # waits for the eviction and rescheduling
            clock = applied
            for text in fix:
                clock += timedelta(seconds=self.rng.randint(30, 150))
                _run(target.sandbox, text, clock)
            Sandbox.objects.filter(pk=target.sandbox_id).update(
                updated=clock + timedelta(seconds=self.rng.randint(5, 60)))
        drills.results(drill)  # records recovered_at from each sandbox's save time, as the results page does
        drill.refresh_from_db()
        return drill

    def _report(self, classroom: Classroom, learners, password: str, drill: Drill) -> None:
        recovered = drill.targets.filter(recovered_at__isnull=False).count()
        self.stdout.write(self.style.SUCCESS("데모 데이터를 만들었습니다."))
        self.stdout.write(f"  수업: {classroom.name} (참여 코드 {classroom.code}) → /classes/{classroom.pk}/")
        self.stdout.write(f"  강사 로그인: {INSTRUCTOR} / {password}")
        self.stdout.write(f"  수강생 로그인: {learners[0].username} … {learners[-1].username} / {password} "
                          "(모두 같은 비밀번호)")
        self.stdout.write(f"  지난 장애 훈련: {drill.get_fault_display()} · 적용 {drill.targets.count()}명, "
                          f"복구 {recovered}명 → /classes/{classroom.pk}/drills/{drill.pk}/")


def _backdate(rows: list, field: str) -> list:
    """Create ``rows`` with the times they carry: ``auto_now_add`` replaces a time given at creation, while
    ``bulk_update`` writes it as given."""
    if not rows:
        return rows
    times = [getattr(row, field) for row in rows]
    created = type(rows[0]).objects.bulk_create(rows)
    for row, when in zip(created, times, strict=True):
        setattr(row, field, when)
    type(rows[0]).objects.bulk_update(created, [field])
    return created


def _run(sandbox: Sandbox, text: str, when) -> None:
    """A learner's command, as the command endpoint runs it, logged at ``when``."""

    def change(sandbox, sim):
        return sim, sim.execute(text)

    def log(sandbox, sim, result):
        entry = sandbox.log_command(text, result.text, result.ok, "typed", sim.time)
        CommandLog.objects.filter(pk=entry.pk).update(created=when)

    run_atomically(sandbox.fresh(), change, then=log)
