"""An assignment's due date: only sensible dates go in, and whatever is stored always comes out readable.

PostgreSQL keeps timestamps from 4713 BC to 294276 AD, Python's ``datetime`` only years 1 to 9999. A due
date of ``0001-01-01T00:00`` in Seoul (LMT, +08:27:52) is stored as ``0001-12-31 15:32:08+00 BC``, and
every query that read it then failed ("timestamp too small"): the dashboard, the CSV, each member's home
and class pages, and the very form that could have corrected it. So new dates must lie in
:data:`EARLIEST`..:data:`LATEST` (the form fields, the admin), and a stored date outside what Python can
read is selected as NULL — "no due date" — which the instructor sees and sets again with the same form.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

# Local time; a due date is a day in a course, not a date in history.
EARLIEST = (2000, 1, 1)
LATEST = (2099, 12, 31)
OUT_OF_RANGE = "마감 날짜는 2000년 1월 1일부터 2099년 12월 31일 사이로 입력해 주세요."
# Readable by Python in every time zone (a day inside datetime.min and datetime.max, in UTC).
READABLE = (datetime(1, 1, 2, tzinfo=UTC), datetime(9999, 12, 30, tzinfo=UTC))


def validate_due(value: datetime | None) -> None:
    if value is None:
        return
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    if not EARLIEST <= (local.year, local.month, local.day) <= LATEST:
        raise ValidationError(OUT_OF_RANGE, code="out_of_range")


class DueDateTimeField(models.DateTimeField):
    """A ``DateTimeField`` whose forms refuse dates outside the course's range and whose reads turn a stored
    value Python cannot represent into NULL. The column is an ordinary timestamp: no migration."""

    def formfield(self, **kwargs):
        kwargs["validators"] = [*kwargs.get("validators", []), validate_due]
        return super().formfield(**kwargs)

    def select_format(self, compiler, sql, params):
        sql, params = super().select_format(compiler, sql, params)
        low, high = (compiler.connection.ops.adapt_datetimefield_value(bound) for bound in READABLE)
        return f"CASE WHEN {sql} BETWEEN %s AND %s THEN {sql} END", (*params, low, high, *params)

    def deconstruct(self):
        # Stored and migrated exactly as a DateTimeField: the difference is in forms and reads only.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs
