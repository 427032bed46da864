"""Node: a machine (here a Compute Engine VM of a node pool) that runs pods; the cluster keeps nodes by name."""

from __future__ import annotations

from ..objects import Node
from .kind import Kind

KIND = Kind(
    kind="Node", plural="nodes", singular="node", short_names=("no",), group="", namespaced=False, record=Node,
)
