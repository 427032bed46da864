"""Lesson pages, quizzes and progress through the Django test client."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from lessons import course, sandbox_guide
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
    assert 'id="lesson-tabs-count">1/1<' in html  # the narrow screen's tab counts done exercises
    assert "50%" in client.get("/lessons/").content.decode()
    widget = client.get("/lessons/first-deployment/sandbox", headers={"HX-Request": "true"}).content.decode()
    assert 'data-done="1" data-total="1"' in widget and 'class="ex ex--done"' in widget


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


# --- The lesson page as kept per lesson and state (lessons/views.py) --------------------------------------

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=|"x-csrftoken": )"([^"]+)"')
NONCE = re.compile(r'nonce="([^"]+)"')


def _normal(html: str) -> str:
    return NONCE.sub('nonce="N"', TOKEN.sub(r'\1"T"', html))


def _django_rendering(client, slug: str) -> str:
    """The lesson page as Django renders it with every context processor, from the learner's own state."""
    from django.contrib.auth import get_user
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import get_token
    from django.shortcuts import render
    from django.test import RequestFactory
    from django.urls import resolve
    from django.utils.csp import LazyNonce

    from lessons.course import all_lessons, by_slug
    from lessons.models import Learner
    from lessons.progress import course_state

    request = RequestFactory().get(f"/lessons/{slug}/")
    request.session = SessionStore(client.cookies["sessionid"].value)
    request.user = get_user(request)
    request.resolver_match = resolve(f"/lessons/{slug}/")
    request._csp_nonce = LazyNonce()
    get_token(request)
    lessons = all_lessons()
    index = [item.slug for item in lessons].index(slug)
    return render(request, "lessons/detail.html", {
        "lesson": by_slug(slug), "state": course_state(Learner.of(request), [by_slug(slug)])[slug],
        "previous": lessons[index - 1] if index else None,
        "next": lessons[index + 1] if index + 1 < len(lessons) else None,
    }).content.decode()


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_kept_lesson_page_is_exactly_what_django_renders(client, sample_course, signed_in):
    if signed_in:
        client.force_login(get_user_model().objects.create_user("<b>kim</b>", password="x" * 12))
    for slug in ("first-deployment", "scaling"):
        for _ in range(2):  # drawn, then served from what this process kept
            served = client.get(f"/lessons/{slug}/").content.decode()
            assert _normal(served) == _normal(_django_rendering(client, slug))
    client.post("/lessons/first-deployment/quiz/owner", {"choice": "0"})
    served = client.get("/lessons/first-deployment/").content.decode()
    assert "아쉽습니다" in served and ">50%<" in served  # one of one question, none of one exercise
    assert _normal(served) == _normal(_django_rendering(client, "first-deployment"))
    if signed_in:
        assert "&lt;b&gt;kim&lt;/b&gt;" in served and "<b>kim" not in served


def test_a_kept_page_carries_each_learners_own_token_nonce_and_name(sample_course):
    from django.middleware.csrf import _unmask_cipher_token

    browsers = []
    for name in ("alice", "bob"):
        browser = Client()
        browser.force_login(get_user_model().objects.create_user(name, password="x" * 12))
        browsers.append((name, browser))
    for name, browser in browsers * 2:
        response = browser.get("/lessons/first-deployment/")
        html = response.content.decode()
        assert f'<span class="account__name">{name}</span>' in html
        assert ("alice" in html) == (name == "alice") and ("bob" in html) == (name == "bob")
        tokens = {m.group(2) for m in TOKEN.finditer(html)}
        assert tokens and {_unmask_cipher_token(t) for t in tokens} == {browser.cookies["csrftoken"].value}
        nonces = set(NONCE.findall(html))
        assert len(nonces) == 1 and f"'nonce-{nonces.pop()}'" in response["Content-Security-Policy"]


def test_a_returning_learner_costs_the_session_and_one_query(client, sample_course, django_assert_max_num_queries):
    client.get("/lessons/first-deployment/")
    with django_assert_max_num_queries(2):  # the session; progress, exercises done and answers in one UNION
        assert client.get("/lessons/first-deployment/").status_code == 200


def test_the_lesson_page_reads_the_state_of_this_learner_only(client, sample_course):
    other = Client()
    other.get("/lessons/first-deployment/")
    other.post("/lessons/first-deployment/quiz/owner", {"choice": "1"})
    html = client.get("/lessons/first-deployment/").content.decode()
    assert "맞았습니다" not in html and "답 확인" in html
    assert "맞았습니다" in other.get("/lessons/first-deployment/").content.decode()
    assert LessonProgress.objects.count() == 2


def test_an_exercise_that_asks_for_a_picture_shows_the_cluster_its_solution_leaves(client, sample_course):
    path = sample_course / "01-first-deployment.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  - id: create-web\n", "  - id: create-web\n    picture: true\n"), encoding="utf-8")
    course._CACHE.clear()
    guide = sandbox_guide.guide("first-deployment")
    picture = guide.exercises[0].picture
    assert [d["name"] for d in picture["legend"]] == ["web"] and picture["legend"][0]["total"] == 2
    assert len(picture["nodes"]) == 3
    html = client.get("/lessons/first-deployment/sandbox", headers={"HX-Request": "true"}).content.decode()
    assert "목표 모습" in html and "web 파드 2개 중 2개 준비" in html
    # The second lesson's exercise does not ask for one.
    assert sandbox_guide.guide("scaling").exercises[0].picture is None


def test_a_picture_flag_must_be_true_or_false(sample_course):
    path = sample_course / "01-first-deployment.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  - id: create-web\n", "  - id: create-web\n    picture: yes please\n"), encoding="utf-8")
    with pytest.raises(course.LessonError, match=r"exercises\[0\]\.picture"):
        course.parse(path)
