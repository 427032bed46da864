"""The engine's objects as Kubernetes API objects: what ``kubectl get -o yaml|json`` prints.

Every spec field a manifest can set is printed so that the output, applied again, changes nothing.
Values the engine does not keep (uids of nodes and services, resourceVersion) are derived from stable
inputs, so the same simulation always prints the same text.
"""

from __future__ import annotations

import json

from .kinds.registry import KINDS
from .naming import fnv32a


def to_api(sim, cluster, plural: str, obj) -> dict:
    """One object of kind ``plural`` (a kinds.registry.KINDS key) as the API server would return it."""
    out = KINDS[plural].render(sim, cluster, obj)
    # A stand-in for etcd's revision: it changes whenever anything in the object does.
    out["metadata"]["resourceVersion"] = str(fnv32a(json.dumps(out, sort_keys=True).encode()) % 10**8 + 10**6)
    return out

