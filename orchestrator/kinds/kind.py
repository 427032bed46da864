"""The declaration each kind module makes: the names kubectl and the API server know the kind by, where the
cluster keeps its objects, and the record class that holds one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    kind: str  # "Deployment": a manifest's kind, an event's involved object
    plural: str  # "deployments": the resource, as kubectl get takes and prints it
    singular: str
    short_names: tuple[str, ...]
    group: str  # "" for the core group
    api_versions: tuple[str, ...] = ()  # what a manifest's apiVersion may say (none: not created from manifests)
    namespaced: bool = True
    store: str | None = None  # the Cluster attribute that keeps its objects under "namespace/name", if one does
    record: type | None = None

    @property
    def qualified(self) -> str:
        """``deployments.apps`` or ``pods``: the resource as it appears in server errors."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def prefix(self) -> str:
        """``deployment.apps`` or ``pod``: the prefix of ``-o name`` and of success lines."""
        return f"{self.singular}.{self.group}" if self.group else self.singular

    def names(self) -> tuple[str, ...]:
        """Every name kubectl accepts for the kind: plural, singular, short names, and both qualified by group."""
        return (self.plural, self.singular, *self.short_names, f"{self.plural}.{self.group}",
                f"{self.singular}.{self.group}")
