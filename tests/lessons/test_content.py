"""The real course content: every lesson parses, every exercise is solvable, the writing follows the rules."""

import re

import pytest
from django.urls import Resolver404, resolve
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from lessons.check import problems
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


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.name)
def test_terms_follow_the_glossary(path):
    body = parse(path).body
    for wrong in ("포드", "팟", "디플로이먼드", "레플리카세트", "네임 스페이스", "오토 스케일러", "되어지"):
        assert wrong not in body, wrong


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.name)
def test_scrolling_code_blocks_and_tables_can_take_keyboard_focus(path):
    html = parse(path).html
    assert '<div class="highlight">' not in html and "<table>" not in html
