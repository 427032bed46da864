"""Job: pods that run to completion, retried until enough of them succeed."""

from __future__ import annotations

from ..objects import Job
from .kind import Kind

KIND = Kind(
    kind="Job", plural="jobs", singular="job", short_names=(), group="batch", api_versions=("batch/v1",),
    store="jobs", record=Job,
)
