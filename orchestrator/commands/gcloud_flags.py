"""Flags that every ``gcloud container`` command takes: where the cluster is, and gcloud's own."""

from __future__ import annotations

from .parse import Flag

LOCATION_FLAGS = [Flag("zone", "z"), Flag("region"), Flag("location")]
COMMON_FLAGS = [Flag("quiet", "q", "bool"), Flag("async", None, "bool"), Flag("project"), Flag("format")]
