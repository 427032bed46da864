"""ReplicaSet: keeps a number of pods from one template running; Deployments make one per revision."""

from __future__ import annotations

from ..objects import ReplicaSet
from .kind import Kind

KIND = Kind(
    kind="ReplicaSet", plural="replicasets", singular="replicaset", short_names=("rs",), group="apps",
    store="replicasets", record=ReplicaSet,
)
