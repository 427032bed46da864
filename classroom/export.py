"""CSV files for a spreadsheet, one way for every export: the progress matrix and the drill results.

UTF-8 with a byte-order mark (Excel reads Korean as mojibake without it), CRLF line ends (RFC 4180, and what
Excel writes), and text cells that a spreadsheet would run as a formula defused with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils import timezone

from .dashboard import Matrix

BOM = "\ufeff"
CONTENT_TYPE = "text/csv; charset=utf-8"
HEADER = ["수강생", "레슨", "상태", "완료한 실습", "전체 실습", "답한 퀴즈", "완료 시각"]
# A cell starting with one of these is run as a formula by spreadsheets (OWASP's "CSV injection" list);
# usernames may start with + - @, and a pasted command or note with anything.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` as a spreadsheet shows it without running it: text starting a formula gets a leading ``'``.
    Numbers stay numbers (``-3`` is a value, not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """The whole file: BOM, header, rows, every text cell guarded, lines ended with CRLF."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(value) for value in header])
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return out.getvalue()


def csv_response(header: Sequence[str], rows: Iterable[Sequence], filename: str) -> HttpResponse:
    """A download of :func:`csv_text`; ``filename`` must be ASCII so every browser keeps it."""
    response = HttpResponse(csv_text(header, rows).encode("utf-8"), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def matrix_response(matrix: Matrix, filename: str) -> HttpResponse:
    """The progress matrix as a download: one line per learner and lesson, in matrix order; times in the
    site's time zone."""
    return csv_response(HEADER, _matrix_rows(matrix), filename)


def _matrix_rows(matrix: Matrix):
    for row in matrix.rows:
        for cell in row.cells:
            status = cell.label + (" (마감 지남)" if cell.overdue else "")
            finished = timezone.localtime(cell.finished_at).strftime("%Y-%m-%d %H:%M") if cell.finished_at else ""
            yield [row.user.username, f"{cell.lesson.number:02d}. {cell.lesson.title}", status,
                   cell.exercises_done, cell.exercises_total, cell.quiz_answered, finished]


def filename(classroom) -> str:
    """ASCII only, so every browser keeps it: the class code and today's date."""
    return f"class-{classroom.code}-progress-{timezone.localdate():%Y%m%d}.csv"
