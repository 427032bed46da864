"""PodDisruptionBudget: how many of an application's pods a voluntary disruption (a drain) may take at once."""

from __future__ import annotations

from ..objects import PodDisruptionBudget
from .kind import Kind

KIND = Kind(
    kind="PodDisruptionBudget", plural="poddisruptionbudgets", singular="poddisruptionbudget", short_names=("pdb",),
    group="policy", api_versions=("policy/v1",), store="pdbs", record=PodDisruptionBudget,
)
