"""The progress matrix as CSV: UTF-8 with BOM, one line per learner and lesson, instructors only."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from classroom.models import Assignment, Classroom, Membership, make_instructor
from lessons.models import LessonProgress, QuizAnswer
from sandbox.models import GoalCompletion, Sandbox

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-42"
LESSON = "first-deployment"


def make_user(username, instructor=False, **kwargs):
    kwargs.setdefault("password", PASSWORD)
    user = get_user_model().objects.create_user(username=username, **kwargs)
    if instructor:
        make_instructor(user)
    return user


@pytest.fixture
def classroom():
    teacher = make_user("teacher", instructor=True)
    classroom = Classroom.objects.create(name="기초반", owner=teacher)
    Assignment.objects.create(classroom=classroom, lesson=LESSON, due=timezone.now() - timedelta(hours=1))
    for name in ("김하나", "busy", "=cmd|calc"):
        Membership.objects.create(classroom=classroom, user=make_user(name))
    return classroom


def rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_export_is_an_attachment_in_utf8_with_bom(client, classroom):
    client.login(username="teacher", password=PASSWORD)
    response = client.get(f"/classes/{classroom.pk}/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="class-')
    assert response["Content-Disposition"].endswith('.csv"')
    assert response.content.startswith(b"\xef\xbb\xbf")


def test_export_has_one_line_per_learner_and_lesson_with_status_and_counts(client, classroom):
    users = {u.username: u for u in classroom.learners()}
    LessonProgress.objects.create(owner_user=users["김하나"], lesson=LESSON, finished_at=timezone.now())
    LessonProgress.objects.create(owner_user=users["busy"], lesson=LESSON)
    box = Sandbox.objects.create(owner_user=users["busy"], lesson=LESSON, scenario="three-nodes", state="{}")
    GoalCompletion.objects.bulk_create([GoalCompletion(sandbox=box, goal_index=i) for i in (0, 1)])
    QuizAnswer.objects.create(owner_user=users["busy"], lesson=LESSON, question="x", choice=0, correct=False)
    client.login(username="teacher", password=PASSWORD)

    header, *lines = rows(client.get(f"/classes/{classroom.pk}/export.csv"))

    assert header == ["수강생", "레슨", "상태", "완료한 실습", "전체 실습", "답한 퀴즈", "완료 시각"]
    by_user = {line[0]: line for line in lines}
    assert len(lines) == 3  # three learners × one assigned lesson
    assert by_user["김하나"][1] == "04. 첫 디플로이먼트"
    assert by_user["김하나"][2] == "완료" and by_user["김하나"][6] != ""
    # "x" is not one of the lesson's questions, so it does not count.
    assert by_user["busy"][2:] == ["진행 중 (마감 지남)", "2", "3", "0", ""]
    # A username that a spreadsheet would run as a formula is defused.
    assert by_user["'=cmd|calc"][2] == "시작 전 (마감 지남)"


def test_export_is_for_the_class_instructors_only(client, classroom):
    url = f"/classes/{classroom.pk}/export.csv"
    assert client.get(url).status_code == 302  # to the log-in page
    client.login(username="busy", password=PASSWORD)
    assert client.get(url).status_code == 404
    make_user("stranger", instructor=True)
    client.login(username="stranger", password=PASSWORD)
    assert client.get(url).status_code == 404
