"""HorizontalPodAutoscaler: scales a Deployment to keep its pods' average CPU use near a target."""

from __future__ import annotations

from ..objects import HorizontalPodAutoscaler
from .kind import Kind

KIND = Kind(
    kind="HorizontalPodAutoscaler", plural="horizontalpodautoscalers", singular="horizontalpodautoscaler",
    short_names=("hpa",), group="autoscaling", api_versions=("autoscaling/v2", "autoscaling/v1"), store="hpas",
    record=HorizontalPodAutoscaler,
)
