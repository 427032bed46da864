"""The base of every state object: snapshots as plain dicts, defaults left out."""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import Any


class Record:
    """Snapshot helpers shared by every state object.

    Fields still at their default value are left out of a snapshot (a pod's two default tolerations
    would otherwise be a fifth of it); ``from_dict`` fills them in again, so round trips are exact.
    """

    def to_dict(self, copy: bool = True) -> dict[str, Any]:
        """The snapshot dict. Without ``copy`` its lists and dicts are the object's own: only for encoding at
        once (``Simulation.to_json``), before anything can change them."""
        defaults = _defaults(type(self))
        return {k: _copy(v) if copy else v for k, v in self.__dict__.items()
                if k[0] != "_" and (k not in defaults or defaults[k] != v)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        """Build from a snapshot dict. The dict is taken over, not copied: pass a private copy."""
        return cls(**data)


class Namespaced(Record):
    """An object that lives in a namespace: the cluster's maps hold it under ``namespace/name``."""

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"


_DEFAULTS: dict[type, dict[str, Any]] = {}


def _defaults(cls: type) -> dict[str, Any]:
    found = _DEFAULTS.get(cls)
    if found is None:
        found = {}
        for f in fields(cls):
            if f.default is not MISSING:
                found[f.name] = f.default
            elif f.default_factory is not MISSING:
                found[f.name] = f.default_factory()
        _DEFAULTS[cls] = found
    return found


def _copy(value):
    kind = type(value)
    if kind is dict:
        return {k: _copy(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [_copy(v) for v in value]
    return value
