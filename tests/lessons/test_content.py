"""The real course content: every lesson parses, every exercise is solvable, the writing follows the rules."""

import re

import pytest
from django.urls import Resolver404, resolve
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from lessons.check import TERM_RULES, lesson_text, problems, wording_problems
from lessons.course import CONTENT_DIR, all_lessons, parse

LESSON_FILES = sorted(CONTENT_DIR.glob("*.md"))
COURSE_ORDER = ["why-containers", "google-history", "kubernetes-overview", "first-deployment",
                "scheduling-resources", "scaling", "health-self-healing", "services-load-balancing", "autoscaling",
                "rolling-updates", "declarative-yaml", "gke-start", "gke-autopilot", "final-project"]


def test_the_course_has_the_planned_lessons_in_order():
    assert [lesson.slug for lesson in all_lessons()] == COURSE_ORDER


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.name)
def test_lesson_is_valid_and_every_exercise_is_solvable(path):
    lesson = parse(path)
    assert problems(lesson) == []


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.name)
def test_lesson_has_the_required_parts(path):
    lesson = parse(path)
    hangul = len(re.findall(r"[가-힣]", lesson.body))
    assert 2500 <= hangul <= 9000, hangul
    assert 2 <= len(lesson.exercises) <= 4
    assert 2 <= len(lesson.quiz) <= 4
    headings = [item["name"] for item in lesson.toc]
    assert "정리" in headings and "더 알아보기" in headings
    assert "<figure" in lesson.html and 'role="img"' in lesson.html and "<title" in lesson.html
    assert "<h1" not in lesson.html


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.name)
def test_lesson_html_is_safe_under_the_content_security_policy(path):
    html = parse(path).html
    assert not re.search(r"\sstyle\s*=", html)
    assert "<script" not in html and "<style" not in html
    assert not re.search(r"\son[a-z]+\s*=", html)


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.name)
def test_code_blocks_name_a_language_pygments_knows(path):
    body = parse(path).body
    fences = re.findall(r"^```(\S*)", body, flags=re.M)
    languages = fences[::2]  # opening fences only
    assert languages, "a lesson shows at least one command or manifest"
    for language in languages:
        assert language, "every code block names its language"
        try:
            get_lexer_by_name(language)
        except ClassNotFound:
            pytest.fail(f"unknown code language {language!r}")


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.name)
def test_internal_links_resolve(path):
    html = parse(path).html
    for href in re.findall(r'href="(/[^"#]*)', html):
        try:
            resolve(href)
        except Resolver404:
            pytest.fail(f"broken internal link {href}")
    ids = set(re.findall(r'id="([^"]+)"', html))
    for anchor in re.findall(r'href="#([^"]+)"', html):
        assert anchor in ids, f"broken anchor #{anchor}"


@pytest.mark.parametrize(("wrong", "right"), TERM_RULES, ids=[wrong for wrong, _ in TERM_RULES])
def test_a_wrong_term_is_reported_with_the_right_one(wrong, right):
    assert wording_problems(f"이 문장에는 {wrong}라는 말이 있다.") == [f"use {right!r}, not {wrong!r}"]


def test_the_agreed_terms_pass():
    text = ("GKE는 외부 로드 밸런서를 만든다. 클러스터 오토스케일러는 노드를 늘린다. "
            "공식 튜토리얼 쿠버네티스 기초 학습을 따라간다. "
            "노드의 용량(capacity)과 할당 가능(allocatable) 리소스를 비교한다. 할당 가능 CPU는 940m이다.")
    assert wording_problems(text) == []


def test_allocatable_and_capacity_need_their_korean_term_in_prose():
    found = wording_problems("노드의 allocatable은 capacity보다 작다. Allocatable 항목을 보자.")
    assert found == ["write 'allocatable' as 할당 가능(allocatable) or just '할당 가능' (2 bare)",
                     "write 'capacity' as 용량(capacity) or just '용량' (1 bare)"]


def test_kubectl_output_and_code_may_keep_the_english_words():
    text = "`Allocatable` 항목을 본다.\n\n```text\nCapacity:\n  cpu: 2\nAllocatable:\n  cpu: 940m\n```\n"
    assert wording_problems(text) == []


def test_needless_plurals_are_reported():
    assert wording_problems("노드에 놓인 파드들의 요청 합을 본다.") == ["drop the needless plural in '파드들'"]


def test_two_sentences_in_a_row_ending_in_boja_are_reported():
    found = wording_problems("노드의 커널을 확인해 보자. 오른쪽 콘솔에 입력해 보자.")
    assert len(found) == 1 and found[0].startswith("two sentences in a row end in 보자")
    assert wording_problems("노드의 커널을 확인해 보자. 오른쪽 콘솔에 다음 명령을 입력한다.") == []


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.name)
def test_terms_follow_the_glossary(path):
    """The prose and the front matter (prompts, hints, quiz) follow the term and style rules."""
    assert wording_problems(lesson_text(parse(path))) == []


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.name)
def test_scrolling_code_blocks_and_tables_can_take_keyboard_focus(path):
    html = parse(path).html
    assert '<div class="highlight">' not in html and "<table>" not in html
