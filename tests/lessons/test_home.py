import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from lessons import course
from lessons.models import LessonProgress
from lessons.showcase import SCRIPT, run_showcase, showcase
from lessons.views import STAGES
from tests.lessons.conftest import SAMPLE


def _text(html: str) -> str:
    """The page's text as a reader sees it: tags dropped, runs of white space as one space."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def _cards(html: str) -> list[str]:
    return re.findall(r'<li class="lesson-card[^"]*">(.*?)</li>', html, flags=re.S)


def test_home_page_is_served_in_korean(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert '<html lang="ko">' in response.text
    assert "쿠버네티스" in response.text


def test_home_page_shows_every_scripted_command_after_a_prompt(client):
    text = client.get(reverse("home")).text

    for step in SCRIPT:
        if isinstance(step, str):
            assert f'<kbd class="terminal__command">{escape(step)}</kbd>' in text


def test_home_page_shows_the_engine_output_verbatim(client):
    text = client.get(reverse("home")).text

    for _command, output in run_showcase():
        assert escape(output) in text
    assert "deployment.apps/web created" in text
    assert "NAME" in text


def test_showcase_runs_every_command_and_creates_the_deployments():
    transcript = dict(run_showcase())

    assert list(transcript) == [step for step in SCRIPT if isinstance(step, str)]
    assert transcript["kubectl create deployment web --image=nginx:1.27 --replicas=3"].strip() == (
        "deployment.apps/web created"
    )
    wide = transcript["kubectl get pods -o wide"].splitlines()
    assert wide[0].split()[:3] == ["NAME", "READY", "STATUS"]
    assert "NODE" in wide[0].split()
    # Three web and two cache replicas, all running after the simulated wait.
    assert len(wide) == 6
    assert all(line.split()[2] == "Running" for line in wide[1:])


def test_showcase_is_deterministic():
    """Two fresh runs (past the per-process cache) give byte-identical transcripts and the same picture."""
    assert showcase.__wrapped__() == showcase.__wrapped__()


def test_the_cluster_picture_is_the_cluster_the_transcript_shows():
    """Every node of the picture is a row of kubectl get nodes, every pod chip a row of kubectl get pods -o wide
    on the same node: the picture and the printed output come from one run of the engine."""
    transcript = dict(run_showcase())
    nodes = {line.split()[0]: line.split()[1] for line in transcript["kubectl get nodes"].splitlines()[1:]}
    pods = {line.split()[0]: (line.split()[2], line.split()[6])
            for line in transcript["kubectl get pods -o wide"].splitlines()[1:]}
    picture = showcase().cluster

    assert {node.name: node.status for node in picture.nodes} == nodes
    assert {pod.name: (pod.status, node.name) for node in picture.nodes for pod in node.pods} == pods
    assert dict(picture.apps).keys() == {"web", "cache"}
    assert all(0 < node.cpu_percent < 100 and node.system_pods for node in picture.nodes)


def test_home_page_draws_the_cluster_picture_without_inline_styles_or_scripts(client):
    html = client.get(reverse("home")).text
    picture = showcase().cluster

    assert '<figure class="mini-map">' in html
    for node in picture.nodes:
        assert node.name in html
        for pod in node.pods:
            assert f"·{pod.suffix}" in html
    assert not re.search(r"\sstyle\s*=", html)
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))


def test_home_page_sends_a_strict_content_security_policy(client):
    policy = client.get(reverse("home"))["Content-Security-Policy"]

    assert "default-src 'self'" in policy
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy


# --- what to do first --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_learner_is_offered_the_first_lesson_and_the_sandbox(client, sample_course):
    html = client.get(reverse("home")).text

    assert '<a class="button button--primary button--large" href="/lessons/first-deployment/">첫 레슨 시작하기</a>' \
        in html
    assert '<a class="button button--large" href="/sandbox/">자유 실습 샌드박스</a>' in html
    assert "이어서 하기" not in html and "전체 진도" not in html


@pytest.mark.django_db
def test_a_returning_learner_continues_where_they_left_off(client, sample_course):
    client.get("/lessons/scaling/")
    html = client.get(reverse("home")).text

    assert '<a class="button button--primary button--large" href="/lessons/scaling/">이어서 하기: 2. 스케일링</a>' \
        in html
    assert "첫 레슨 시작하기" not in html and "전체 진도" in html


@pytest.mark.django_db
def test_a_learner_who_finished_everything_is_sent_to_the_course(client, sample_course):
    for slug in ("first-deployment", "scaling"):
        client.get(f"/lessons/{slug}/")
    LessonProgress.objects.update(finished_at=timezone.now())
    html = client.get(reverse("home")).text

    assert '<a class="button button--primary button--large" href="/lessons/">레슨 다시 보기</a>' in html


# --- the course as cards ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/lessons/"])
def test_every_lesson_card_is_one_link_to_its_lesson_named_by_its_title(client, url):
    html = client.get(url).text
    cards = _cards(html)
    lessons = course.all_lessons()

    assert len(cards) == len(lessons)
    for card, lesson in zip(cards, lessons, strict=True):
        links = re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', card, flags=re.S)
        assert len(links) == 1, card
        href, name = links[0]
        assert href == f"/lessons/{lesson.slug}/"
        assert _text(name).strip() == f"{lesson.number}. {lesson.title}"


@pytest.mark.django_db
def test_the_cards_are_grouped_in_the_course_stages(client):
    """Each stage holds the lessons from its first lesson up to the next stage's, in order."""
    stages = re.findall(r'<li class="stage">(.*?)</ol>', client.get("/").text, flags=re.S)
    firsts = [first for _title, first, _summary in STAGES]
    lessons = course.all_lessons()

    assert [re.search(r"<h3[^>]*>(.*?)</h3>", stage, re.S).group(1) for stage in stages] == [
        f'<span class="stage__number">{number}단계</span> {title}' for number, (title, _, _) in enumerate(STAGES, 1)]
    assert [re.findall(r'href="/lessons/([^/"]+)/"', stage) for stage in stages] == [
        [lesson.slug for lesson in lessons if first <= lesson.number < following]
        for first, following in zip(firsts, [*firsts[1:], len(lessons) + 1], strict=True)]


@pytest.mark.django_db
def test_cards_show_progress_only_for_lessons_the_learner_opened(client, sample_course):
    client.get("/lessons/scaling/")
    first, second = _cards(client.get("/lessons/").text)

    assert "<meter" not in first and "진행 중" not in first
    assert "<meter" in second and "진행 중" in second


# --- the header on every page -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/lessons/", "/glossary/", "/lessons/search/?q=파드", "/sandbox/",
                                 "/lessons/first-deployment/", "/accounts/login/"])
def test_every_page_links_the_glossary_and_has_the_search_form(client, url):
    html = client.get(url).text
    header = html[html.index('<header class="site-header">'):html.index("</header>")]

    assert '<a class="skip-link" href="#main">본문으로 건너뛰기</a>' in html
    assert re.search(r'<a href="/glossary/"( aria-current="page")?>용어집</a>', header)
    form = re.search(r'<form class="site-search" method="get" action="/lessons/search/".*?</form>', header, re.S)
    assert form
    assert '<label class="visually-hidden" for="site-search-q">레슨 검색</label>' in form.group()
    assert 'id="site-search-q"' in form.group() and 'name="q"' in form.group()


@pytest.mark.django_db
def test_the_glossary_link_is_marked_current_on_the_glossary(client):
    assert '<a href="/glossary/" aria-current="page">용어집</a>' in client.get("/glossary/").text


@pytest.mark.django_db
def test_the_header_search_finds_lessons_without_javascript(client, sample_course):
    html = client.get("/lessons/search/", {"q": "롤링 업데이트"}).text
    assert "1. 첫 디플로이먼트" in html


# --- reading times ----------------------------------------------------------------------------------


def test_a_lessons_time_adds_the_exercises_and_the_quiz_to_the_reading(sample_course):
    lesson = course.by_slug("first-deployment")  # one exercise, one question, little prose

    assert lesson.reading_minutes == lesson.minutes == 1
    assert lesson.exercise_minutes == course.MINUTES_PER_EXERCISE
    assert lesson.quiz_minutes == course.MINUTES_PER_QUESTION
    assert lesson.total_minutes == 1 + course.MINUTES_PER_EXERCISE + course.MINUTES_PER_QUESTION


def test_the_front_matter_minutes_still_set_the_reading_time(tmp_path):
    path = tmp_path / "01-first-deployment.md"
    path.write_text(SAMPLE.replace("order: 1", "order: 1\nminutes: 12"), encoding="utf-8")
    lesson = course.parse(path)

    assert lesson.minutes == lesson.reading_minutes == 12
    assert lesson.total_minutes == 12 + course.MINUTES_PER_EXERCISE + course.MINUTES_PER_QUESTION


@pytest.mark.django_db
def test_cards_show_the_total_time_and_what_it_is_made_of(client, sample_course):
    total = 1 + course.MINUTES_PER_EXERCISE + course.MINUTES_PER_QUESTION
    for url in ("/", "/lessons/"):
        card = _cards(client.get(url).text)[0]
        assert f"약 {total}분 (읽기 1분 · 실습 1개 · 퀴즈 1문제)" in _text(card)


@pytest.mark.django_db
def test_the_home_page_sums_the_course(client, sample_course):
    total = 2 * (1 + course.MINUTES_PER_EXERCISE + course.MINUTES_PER_QUESTION)
    assert f"레슨 2개 · 실습 2개 · 모두 약 {total}분" in _text(client.get("/").text)
