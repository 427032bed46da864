"""Lesson pages, quizzes and progress through the Django test client."""

import pytest
from django.test import Client

from lessons.models import LessonProgress, QuizAnswer
from sandbox.models import Sandbox

pytestmark = pytest.mark.django_db


def test_course_page_lists_lessons_with_progress(client, sample_course):
    html = client.get("/lessons/").content.decode()
    assert "첫 디플로이먼트" in html and "스케일링" in html
    assert "전체 진도" in html and "<meter" in html
    assert "시작하기" in html


def test_lesson_page_shows_prose_objectives_exercises_quiz_and_loads_its_sandbox(client, sample_course):
    response = client.get("/lessons/first-deployment/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 id="디플로이먼트란-무엇인가">' in html  # Korean anchors
    assert 'class="highlight"' in html and "학습 목표" in html and "퀴즈" in html
    assert 'hx-get="/lessons/first-deployment/sandbox"' in html
    widget = client.get("/lessons/first-deployment/sandbox", headers={"HX-Request": "true"}).content.decode()
    assert 'name="command"' in widget and 'role="log"' in widget
    sandbox = Sandbox.objects.get()
    assert sandbox.lesson == "first-deployment" and sandbox.scenario == "three-nodes"
    assert sandbox.goals == [{"all": [{"ready_replicas": {"deployment": "web", "at_least": 2}}]}]
    assert LessonProgress.objects.get().lesson == "first-deployment"


def test_the_same_sandbox_comes_back_on_the_next_visit(client, sample_course):
    for _ in range(2):
        client.get("/lessons/first-deployment/sandbox", headers={"HX-Request": "true"})
    assert Sandbox.objects.count() == 1
    opened = client.get("/lessons/first-deployment/sandbox")  # without htmx: the sandbox's own page
    assert opened.status_code == 302 and opened["Location"] == f"/sandbox/{Sandbox.objects.get().pk}/"


def test_an_unknown_lesson_is_a_404(client, sample_course):
    assert client.get("/lessons/nope/").status_code == 404


def test_completing_the_exercise_in_the_sandbox_moves_progress(client, sample_course):
    client.get("/lessons/first-deployment/")
    client.get("/lessons/first-deployment/sandbox", headers={"HX-Request": "true"})
    sandbox = Sandbox.objects.get()
    client.post(f"/sandbox/{sandbox.pk}/command", {"command": "kubectl create deployment web --image=nginx:1.27 "
                                                              "--replicas=2"}, headers={"HX-Request": "true"})
    client.post(f"/sandbox/{sandbox.pk}/control", {"action": "advance"}, headers={"HX-Request": "true"})
    client.get(f"/sandbox/{sandbox.pk}/poll", headers={"HX-Request": "true"})
    completion = sandbox.completions.get()
    assert completion.goal_index == 0 and completion.commands == 1
    html = client.get("/lessons/first-deployment/").content.decode()
    assert 'class="exercise is-done"' in html
    assert "50%" in client.get("/lessons/").content.decode()


def test_answering_the_quiz_shows_the_explanation_and_finishes_the_lesson(client, sample_course):
    client.get("/lessons/first-deployment/")
    wrong = client.post("/lessons/first-deployment/quiz/owner", {"choice": "0"}, headers={"HX-Request": "true"})
    assert "아쉽습니다" in wrong.content.decode() and "레플리카셋이 파드 수를 맞춘다" in wrong.content.decode()
    right = client.post("/lessons/first-deployment/quiz/owner", {"choice": "1"}, headers={"HX-Request": "true"})
    assert "맞았습니다" in right.content.decode()
    assert QuizAnswer.objects.get().correct is True
    assert LessonProgress.objects.get().finished_at is None  # the exercise is still open


def test_quiz_without_javascript_redirects_back_to_the_question(client, sample_course):
    client.get("/lessons/first-deployment/")
    response = client.post("/lessons/first-deployment/quiz/owner", {"choice": "1"})
    assert response.status_code == 302 and response["Location"].endswith("#quiz-owner")


def test_a_bad_quiz_answer_is_refused_in_korean(client, sample_course):
    client.get("/lessons/first-deployment/")
    response = client.post("/lessons/first-deployment/quiz/owner", {"choice": "7"}, headers={"HX-Request": "true"})
    assert response.status_code == 400 and "골라 주세요" in response.content.decode()
    assert client.post("/lessons/first-deployment/quiz/nope", {"choice": "1"}).status_code == 404


def test_progress_belongs_to_the_learner(client, sample_course):
    client.get("/lessons/first-deployment/")
    client.post("/lessons/first-deployment/quiz/owner", {"choice": "1"})
    other = Client()
    html = other.get("/lessons/").content.decode()
    assert "진행 중" not in html


def test_continue_where_you_left_off(client, sample_course):
    client.get("/lessons/scaling/")
    html = client.get("/").content.decode()
    assert "이어서 하기: 2. 스케일링" in html


def test_glossary_lists_terms_with_the_lessons_that_use_them(client, sample_course):
    html = client.get("/glossary/").content.decode()
    assert "디플로이먼트" in html and "Deployment" in html and "/lessons/first-deployment/" in html


def test_search_finds_korean_words(client, sample_course):
    html = client.get("/lessons/search/", {"q": "롤링 업데이트"}).content.decode()
    assert "1. 첫 디플로이먼트" in html
    assert "검색 결과 2건" in html
    empty = client.get("/lessons/search/", {"q": "존재하지않는말"}).content.decode()
    assert "검색 결과 0건" in empty
