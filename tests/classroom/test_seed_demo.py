"""``manage.py seed_demo``: a demo class with real progress, refusing to run with DEBUG off."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from classroom.models import Assignment, Classroom, Drill, DrillTarget, is_instructor
from lessons.models import LessonProgress, QuizAnswer
from sandbox.models import CommandLog, GoalCompletion, Sandbox

pytestmark = pytest.mark.django_db


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", password="demo-pass-123", stdout=out, **options)
    return out.getvalue()


def test_seed_demo_creates_a_class_with_real_varied_progress_and_a_past_drill(settings, client):
    settings.DEBUG = True
    output = seed()
    assert "demo-instructor / demo-pass-123" in output and "learner01" in output and "learner25" in output
    users = get_user_model().objects
    teacher = users.get(username="demo-instructor")
    assert is_instructor(teacher) and users.filter(username__startswith="learner").count() == 25
    classroom = Classroom.objects.get(owner=teacher)
    assert classroom.learners().count() == 25
    assignments = Assignment.objects.filter(classroom=classroom)
    assert 3 <= assignments.count() <= 4
    assert assignments.filter(due__lt=timezone.now()).exists() and assignments.filter(due__gt=timezone.now()).exists()
    # Progress comes from the engine: completions, passing and failing commands, finished lessons, answers.
    assert Sandbox.objects.filter(owner_user__in=classroom.learners()).count() > 25
    assert GoalCompletion.objects.count() > 50
    logs = CommandLog.objects.filter(sandbox__owner_user__in=classroom.learners())
    assert logs.filter(ok=True).count() > 100 and logs.filter(ok=False).count() >= 10
    assert logs.filter(created__gte=timezone.now() - timezone.timedelta(minutes=15)).exists()
    assert logs.filter(created__lt=timezone.now() - timezone.timedelta(hours=2)).exists()
    finished = LessonProgress.objects.filter(finished_at__isnull=False).values("owner_user").distinct().count()
    assert 0 < finished < 25
    assert QuizAnswer.objects.filter(correct=True).exists() and QuizAnswer.objects.filter(correct=False).exists()
    drill = Drill.objects.get(classroom=classroom)
    assert drill.started_at < timezone.now() - timezone.timedelta(hours=12)
    targets = DrillTarget.objects.filter(drill=drill)
    recovered = targets.filter(recovered_at__isnull=False).count()
    assert 0 < recovered < targets.count()
    assert CommandLog.objects.filter(source="system", sandbox__drill_targets__drill=drill).count() == targets.count()
    client.force_login(teacher)
    page = client.get(f"/classes/{classroom.pk}/drills/{drill.pk}/").content.decode()
    assert f"복구 {recovered}명" in page


def test_seeding_twice_replaces_the_demo_instead_of_duplicating_it(settings):
    settings.DEBUG = True
    seed()
    counts = (get_user_model().objects.count(), Classroom.objects.count(), Drill.objects.count())
    seed()
    assert (get_user_model().objects.count(), Classroom.objects.count(), Drill.objects.count()) == counts
    assert counts[1:] == (1, 1)


def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG가 꺼져 있어"):
        seed()
    assert not get_user_model().objects.exists()


def test_seed_demo_leaves_a_real_account_with_a_demo_name_alone(settings):
    settings.DEBUG = True
    get_user_model().objects.create_user(username="learner03", password="mine-12345678")
    with pytest.raises(CommandError, match="learner03"):
        seed()
    assert get_user_model().objects.get(username="learner03").check_password("mine-12345678")
