"""The progress matrix as CSV, for a spreadsheet: UTF-8 with a byte-order mark so Excel reads the Korean."""

from __future__ import annotations

import csv
import io

from django.utils import timezone

from .dashboard import Matrix

BOM = "\ufeff"
HEADER = ["수강생", "레슨", "상태", "완료한 실습", "전체 실습", "답한 퀴즈", "완료 시각"]
# A cell starting with one of these is run as a formula by spreadsheets; usernames may contain + - @.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def matrix_csv(matrix: Matrix) -> str:
    """One line per learner and lesson, in matrix order; times in the site's time zone."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in matrix.rows:
        for cell in row.cells:
            status = cell.label + (" (마감 지남)" if cell.overdue else "")
            finished = timezone.localtime(cell.finished_at).strftime("%Y-%m-%d %H:%M") if cell.finished_at else ""
            writer.writerow([_safe(row.user.username), f"{cell.lesson.number:02d}. {cell.lesson.title}", status,
                             cell.exercises_done, cell.exercises_total, cell.quiz_answered, finished])
    return out.getvalue()


def filename(classroom) -> str:
    """ASCII only, so every browser keeps it: the class code and today's date."""
    return f"class-{classroom.code}-progress-{timezone.localdate():%Y%m%d}.csv"
