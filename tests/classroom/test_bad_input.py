"""Bad input to the instructor's forms is a Korean message on the page, never a 500, on SQLite and PostgreSQL:
impossible and out-of-range due dates, NUL bytes, unknown choices; and a due date PostgreSQL stored but
Python cannot read (from before the range check) no longer breaks every page of the class."""

from datetime import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from classroom.fields import OUT_OF_RANGE
from classroom.forms import NUL
from classroom.models import Assignment, Classroom, Drill, Membership, make_instructor

pytestmark = pytest.mark.django_db

LESSON = "first-deployment"
IMPOSSIBLE = "마감 날짜를 2026-12-01T18:00 형식의 있는 날짜와 시각으로 입력해 주세요."


def make_user(username, **kwargs):
    """A user without a password (tests log in with force_login): hashing one costs most of a second."""
    return get_user_model().objects.create(username=username, **kwargs)


@pytest.fixture
def teacher():
    user = make_user("teacher")
    make_instructor(user)
    return user


@pytest.fixture
def classroom(teacher):
    classroom = Classroom.objects.create(name="기초반", owner=teacher)
    Membership.objects.create(classroom=classroom, user=make_user("learner"))
    return classroom


def assign(client, classroom, due, lesson=LESSON):
    response = client.post(f"/classes/{classroom.pk}/assignments", {"lesson": lesson, "due": due}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("due", ["0001-01-01T00:00", "9999-12-31T23:59", "1999-12-31T23:59", "2100-01-01T00:00"])
def test_a_due_date_out_of_range_is_refused_with_a_message(client, teacher, classroom, due):
    client.force_login(teacher)
    assert OUT_OF_RANGE in assign(client, classroom, due)
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("due", ["2026-02-30", "2026-02-30T10:00", "2026-13-01T10:00", "2026-12-01T25:61",
                                 "2026-12\x00-01T18:00", "\x00", "내일"])
def test_an_impossible_due_date_is_refused_with_a_message(client, teacher, classroom, due):
    client.force_login(teacher)
    assert IMPOSSIBLE in assign(client, classroom, due)
    assert not Assignment.objects.exists()


def test_a_good_due_date_is_kept_in_the_sites_time_zone(client, teacher, classroom):
    client.force_login(teacher)
    assign(client, classroom, "2026-12-01T18:00")
    assert Assignment.objects.get().due == timezone.make_aware(datetime(2026, 12, 1, 18, 0))
    assign(client, classroom, "")  # no due date at all is fine too
    assert Assignment.objects.get().due is None


def test_the_admin_form_refuses_the_same_dates():
    field = Assignment._meta.get_field("due")
    assert field.deconstruct()[1] == "django.db.models.DateTimeField"  # the same column: no migration
    form_field = field.formfield()
    with pytest.raises(Exception, match="2000년"):
        form_field.clean("0001-01-01T00:00")
    assert form_field.clean("2030-01-01T09:00").year == 2030


def store_unreadable_due(assignment) -> None:
    """What the old form stored for 0001-01-01T00:00 in Seoul: a year Python cannot hold. Written in SQL, since
    Python cannot even express it; on SQLite the closest is a year-0 text."""
    value = "0001-12-31 15:32:08+00 BC" if connection.vendor == "postgresql" else "0000-12-31 15:32:08"
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Assignment._meta.db_table} SET due = %s WHERE id = %s", [value, assignment.pk])


def test_a_stored_unreadable_due_date_breaks_no_page_and_the_instructor_can_set_it_again(client, teacher, classroom):
    assignment = Assignment.objects.create(classroom=classroom, lesson=LESSON)
    store_unreadable_due(assignment)
    learner = classroom.learners().get()
    pages = {teacher: ["/classes/", f"/classes/{classroom.pk}/", f"/classes/{classroom.pk}/export.csv", "/"],
             learner: ["/classes/", f"/classes/{classroom.pk}/", "/"]}
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200, (user, url)
    assert Assignment.objects.get().due is None  # read as "no due date", which the dashboard shows
    client.force_login(teacher)
    assign(client, classroom, "2026-12-01T18:00")
    assert Assignment.objects.get().due == timezone.make_aware(datetime(2026, 12, 1, 18, 0))


@pytest.mark.parametrize("form", [{"name": "1반\x00"}, {"name": "1반", "description": "설명\x00"}])
def test_a_nul_byte_in_a_new_class_is_refused_with_a_message(client, teacher, form):
    client.force_login(teacher)
    response = client.post("/classes/new", form, follow=True)
    assert response.status_code == 200 and NUL in response.content.decode()
    assert not Classroom.objects.exists()


def test_class_names_too_long_or_empty_are_refused_with_a_message(client, teacher):
    client.force_login(teacher)
    assert "100자까지" in client.post("/classes/new", {"name": "가" * 101}, follow=True).content.decode()
    assert "수업 이름을 입력해 주세요." in client.post("/classes/new", {"name": "  "}, follow=True).content.decode()
    assert not Classroom.objects.exists()
    client.post("/classes/new", {"name": " 1반 ", "description": "화요일 저녁"})
    assert Classroom.objects.filter(name="1반", description="화요일 저녁").exists()


def test_a_nul_byte_in_an_assignment_is_refused_with_a_message(client, teacher, classroom):
    client.force_login(teacher)
    assert "레슨을 골라 주세요." in assign(client, classroom, "", lesson=LESSON + "\x00")
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("form", [{"lesson": LESSON + "\x00", "fault": "app-crash"},
                                  {"lesson": LESSON, "fault": "app-crash\x00"}, {"lesson": "\x00", "fault": "\x00"}])
def test_a_nul_byte_in_a_drill_is_refused_with_a_message(client, teacher, classroom, form):
    client.force_login(teacher)
    response = client.post(f"/classes/{classroom.pk}/drills", form, follow=True)
    assert response.status_code == 200 and "레슨과 장애 종류를 골라 주세요." in response.content.decode()
    assert not Drill.objects.exists()
