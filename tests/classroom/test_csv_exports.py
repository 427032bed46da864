"""Every CSV download goes through one helper: BOM, CRLF line ends, and no cell a spreadsheet would run."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model

from classroom.export import csv_text, safe_cell
from classroom.models import Assignment, Classroom, Drill, Membership, make_instructor

pytestmark = pytest.mark.django_db

LESSON = "first-deployment"
# Cells a spreadsheet would evaluate: sums, a function call, a hyperlink, a leading tab or carriage return.
HOSTILE = ["+1+1", "@SUM(A1:A9)", "-2+3", "=HYPERLINK(\"http://x\")", "\tx", "\rx"]
HOSTILE_NAMES = HOSTILE[:4]  # a username cannot start with white space


def make_user(username, **kwargs):
    """A user without a password (tests log in with force_login): hashing one costs most of a second."""
    return get_user_model().objects.create(username=username, **kwargs)


@pytest.fixture
def classroom():
    teacher = make_user("teacher")
    make_instructor(teacher)
    classroom = Classroom.objects.create(name="기초반", owner=teacher)
    Assignment.objects.create(classroom=classroom, lesson=LESSON)
    for name in [*HOSTILE_NAMES, "김하나"]:
        Membership.objects.create(classroom=classroom, user=make_user(name))
    return classroom


def expected_names(classroom) -> list[str]:
    """The learners' names as stored (sign-up may normalise them), defused where they start a formula."""
    return sorted(name if name == "김하나" else "'" + name for name in classroom.learners().values_list(
        "username", flat=True))


def read(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8")[1:]
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    return list(csv.reader(io.StringIO(text, newline="")))


def test_a_formula_start_gets_an_apostrophe_and_everything_else_is_kept():
    assert [safe_cell(name) for name in HOSTILE] == ["'" + name for name in HOSTILE]
    assert safe_cell("김하나") == "김하나" and safe_cell("a=b") == "a=b" and safe_cell("") == ""
    assert safe_cell(-3) == -3 and safe_cell(2.5) == 2.5  # numbers are values, not formulas


def test_the_helper_writes_a_bom_crlf_and_quotes_what_needs_it():
    text = csv_text(["이름", "메모"], [["a,b", 'say "hi"'], ["=1+1", "line\nbreak"]])
    assert text == '\ufeff이름,메모\r\n"a,b","say ""hi"""\r\n\'=1+1,"line\nbreak"\r\n'


def test_the_drill_results_csv_defuses_formula_usernames(client, classroom):
    drill = Drill.objects.create(classroom=classroom, lesson=LESSON, fault="app-crash", started_by=classroom.owner)
    client.force_login(classroom.owner)
    response = client.get(f"/classes/{classroom.pk}/drills/{drill.pk}/export.csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    header, *lines = read(response.content)
    assert header[:3] == ["사용자", "상태", "명령"]
    assert sorted(line[0] for line in lines) == expected_names(classroom)
    assert all(line[1] == "건너뜀" for line in lines)


def test_the_progress_csv_defuses_formula_usernames(client, classroom):
    client.force_login(classroom.owner)
    response = client.get(f"/classes/{classroom.pk}/export.csv")
    assert response.status_code == 200
    header, *lines = read(response.content)
    assert header[0] == "수강생"
    assert sorted(line[0] for line in lines) == expected_names(classroom)
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for line in lines for cell in line)
