"""The declaration each kind module makes: the names kubectl and the API server know the kind by, where the
cluster keeps its objects and the record class that holds one, and what the verbs do with it: its manifest
schema and parser, what apply and delete do to one object, what ``kubectl get`` lists and its columns, its
``kubectl describe`` text and its ``-o yaml`` object.

What a kind leaves out, the verbs refuse for it (``describe`` without a describer says so in Korean), and a kind
without ``api_versions`` cannot come from a manifest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Column:
    """One column of ``kubectl get``, as kubectl's column definitions give it: ``wide`` columns (priority 1) only
    show with ``-o wide``. ``cell`` reads the printer context (``age``, ``cluster``, ``now``) and one object."""

    header: str
    cell: Callable[[Any, Any], str]
    wide: bool = False


def stored(cluster, kind: Kind, namespace: str, every_ns: bool) -> list:
    """The kind's objects in its store, in ``namespace`` or in all of them."""
    return [o for o in getattr(cluster, kind.store).values() if every_ns or o.namespace == namespace]


def sorted_by_name(objects: list, every_ns: bool) -> list:
    """kubectl's order: by name, and by namespace first across all namespaces."""
    return sorted(objects, key=lambda o: (o.namespace, o.name) if every_ns else o.name)


def remove_stored(sim, cluster, kind: Kind, obj) -> None:
    """Deleting an object that owns nothing: it leaves its store at once."""
    del getattr(cluster, kind.store)[obj.key]


NAME = Column("NAME", lambda ctx, obj: obj.name)
AGE = Column("AGE", lambda ctx, obj: ctx.age(obj.created))


@dataclass(frozen=True)
class Kind:
    """One resource kind, declared once in its module under ``orchestrator/kinds/``."""

    kind: str  # "Deployment": a manifest's kind, an event's involved object
    plural: str  # "deployments": the resource, as kubectl get takes and prints it
    singular: str
    short_names: tuple[str, ...]
    group: str  # "" for the core group
    api_versions: tuple[str, ...] = ()  # what a manifest's apiVersion may say (none: not created from manifests)
    namespaced: bool = True
    store: str | None = None  # the Cluster attribute that keeps its objects under "namespace/name", if one does
    record: type | None = None
    schema: dict | None = None  # the fields a manifest may have (see manifests.check_fields)
    schemas: dict[str, dict] = field(default_factory=dict)  # per apiVersion version, where versions differ
    parse: Callable[[Any, dict], dict] | None = None  # (Reader, checked document) -> engine-shaped spec
    columns: tuple[Column, ...] = ()
    describe: Callable[[Any, Any], str] | None = None  # (Describer, object) -> kubectl describe's text
    render: Callable[[Any, Any, Any], dict] | None = None  # (simulation, cluster, object) -> the API object
    # (cluster, namespace, all namespaces?) -> what get and describe list; None: the store's objects, by name
    listing: Callable[[Any, str, bool], list] | None = None
    # (apply's context, kind, Manifest, namespace, existing object or None) -> "created", "configured" or "unchanged"
    apply: Callable[[Any, Kind, Any, str | None, Any], str] | None = None
    # (simulation, cluster, kind, object): delete one object and what it owns; None: kubectl delete refuses the kind
    delete: Callable[[Any, Any, Kind, Any], None] | None = None

    @property
    def qualified(self) -> str:
        """``deployments.apps`` or ``pods``: the resource as it appears in server errors."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def prefix(self) -> str:
        """``deployment.apps`` or ``pod``: the prefix of ``-o name`` and of success lines."""
        return f"{self.singular}.{self.group}" if self.group else self.singular

    def objects(self, cluster, namespace: str, every_ns: bool) -> list:
        """The objects ``kubectl get`` and ``describe`` see in ``namespace`` (or in all), in kubectl's order."""
        if self.listing is not None:
            return self.listing(cluster, namespace, every_ns)
        return sorted_by_name(stored(cluster, self, namespace, every_ns), every_ns)

    def names(self) -> tuple[str, ...]:
        """Every name kubectl accepts for the kind: plural, singular, short names, and both qualified by group."""
        return (self.plural, self.singular, *self.short_names, f"{self.plural}.{self.group}",
                f"{self.singular}.{self.group}")
