"""The instructor's forms: a new class, an assignment, a drill. Every field says in Korean what is wrong, so bad
input (an impossible date, a NUL byte, an unknown lesson) is a message on the page, never a 500."""

from __future__ import annotations

from django import forms

from lessons.course import all_lessons

from .fields import validate_due
from .models import Drill

NUL = "보이지 않는 제어 문자(NUL)는 쓸 수 없습니다. 글자를 다시 입력해 주세요."


def _lessons():
    return [(lesson.slug, f"{lesson.number}. {lesson.title}") for lesson in all_lessons()]


def text_errors(**messages: str) -> dict[str, str]:
    """A text field's Korean messages: the NUL byte PostgreSQL cannot store, plus the ones given."""
    return {"null_characters_not_allowed": NUL, **messages}


class ClassForm(forms.Form):
    name = forms.CharField(max_length=100, error_messages=text_errors(
        required="수업 이름을 입력해 주세요.", max_length="수업 이름은 100자까지 쓸 수 있습니다."))
    description = forms.CharField(max_length=2000, required=False, error_messages=text_errors(
        max_length="설명은 2,000자까지 쓸 수 있습니다."))


class AssignmentForm(forms.Form):
    lesson = forms.ChoiceField(choices=_lessons, error_messages={
        "required": "레슨을 골라 주세요.", "invalid_choice": "레슨을 골라 주세요."})
    due = forms.DateTimeField(required=False, validators=[validate_due], error_messages={
        "invalid": "마감 날짜를 2026-12-01T18:00 형식의 있는 날짜와 시각으로 입력해 주세요."})


class DrillForm(forms.Form):
    CHOOSE = {"required": "레슨과 장애 종류를 골라 주세요.", "invalid_choice": "레슨과 장애 종류를 골라 주세요."}

    lesson = forms.ChoiceField(choices=_lessons, error_messages=CHOOSE)
    fault = forms.ChoiceField(choices=Drill.FAULTS, error_messages=CHOOSE)


def first_error(form: forms.Form) -> str:
    """One sentence for a message after a redirect: the first field's first error (they are full sentences)."""
    return next(iter(form.errors.values()))[0]
