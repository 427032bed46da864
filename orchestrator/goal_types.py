"""What every goal is: :class:`Goal` and its :class:`GoalResult`, and the leaf goal types' base :class:`Check` with
the registry :func:`register` fills and the validators their parameters go through. The leaf types themselves live
in the ``goal_checks`` modules; :mod:`orchestrator.goals` loads and combines them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from .model import Cluster

DEFAULT_NAMESPACE = "default"


class GoalError(ValueError):
    """An invalid goal spec. The message starts with the path of the offending field, e.g.
    ``goals[2].ready_replicas.at_least: must be a whole number >= 0``."""


@dataclass(frozen=True)
class GoalResult:
    """Whether a goal holds, and a Korean sentence saying what holds (passed) or what is missing (failed).

    ``parts`` holds the results of a combinator's members, in order, for a checklist display.
    """

    passed: bool
    message: str
    parts: tuple[GoalResult, ...] = ()


class Goal:
    """A predicate over a :class:`~orchestrator.Simulation`; build one with :func:`load`."""

    kind: ClassVar[str]

    def evaluate(self, sim) -> GoalResult:
        """Check the goal against the simulation's current state."""
        raise NotImplementedError

    def describe(self) -> str:
        """A short Korean statement of the goal for the exercise panel."""
        raise NotImplementedError

    def describe_negated(self) -> str:
        """A short Korean statement that holds when this goal does not (what ``not`` shows), in the same
        form as :meth:`describe`: one statement ending in -다, no period."""
        raise NotImplementedError

    def clause(self) -> str:
        """:meth:`describe` as one statement ending in -다, with no period, to be joined with others."""
        return self.describe()

    def to_dict(self) -> dict[str, Any]:
        """The spec as plain data; :func:`load` accepts it again and gives an equal goal."""
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Goal) and self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash(repr(self.to_dict()))

    def __repr__(self) -> str:
        return f"<Goal {self.to_dict()!r}>"


def type_name(value: Any) -> str:
    names = {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number", float: "a number"}
    return names.get(type(value), "empty" if value is None else f"a {type(value).__name__}")


# --- leaf goals -------------------------------------------------------------------------------------

Validator = Callable[[Any, str], Any]
TYPES: dict[str, type[Check]] = {}


def register(cls: type[Check]) -> type[Check]:
    """Class decorator: make a leaf goal type loadable under its ``kind``."""
    TYPES[cls.kind] = cls
    return cls


@dataclass
class Scope:
    """Where a leaf goal looks: the simulation, the cluster and the namespace."""

    sim: Any
    cluster: Cluster
    namespace: str

    def prefix(self) -> str:
        """"prod 네임스페이스의 " for a namespace other than default, else nothing."""
        return "" if self.namespace == DEFAULT_NAMESPACE else f"{self.namespace} 네임스페이스의 "


class Check(Goal):
    """A leaf goal: validated parameters (``fields``) and a :meth:`check` against one cluster.

    Every leaf goal also takes ``cluster`` (default: the cluster kubectl points at) and, when
    ``namespaced``, ``namespace`` (default ``default``).
    """

    fields: ClassVar[dict[str, Validator]] = {}
    required: ClassVar[tuple[str, ...]] = ()
    namespaced: ClassVar[bool] = True

    def __init__(self, params: dict[str, Any]) -> None:
        self.params = params

    @classmethod
    def build(cls, params: Any, where: str) -> Check:
        if params is None:
            params = {}
        if not isinstance(params, dict):
            raise GoalError(f"{where}: must be a mapping of parameters, not {type_name(params)}")
        allowed = cls.allowed()
        unknown = [k for k in params if k not in allowed]
        if unknown:
            raise GoalError(f"{where}.{unknown[0]}: unknown key (allowed: {', '.join(allowed)})")
        for key in cls.required:
            if key not in params:
                raise GoalError(f"{where}.{key}: required")
        # Canonical key order, so that to_dict() is stable whatever order the author wrote.
        clean = {k: allowed[k](params[k], f"{where}.{k}") for k in allowed if k in params}
        goal = cls(clean)
        goal.validate(where)
        return goal

    @classmethod
    def allowed(cls) -> dict[str, Validator]:
        common: dict[str, Validator] = {"cluster": name}
        if cls.namespaced:
            common["namespace"] = name
        return {**cls.fields, **common}

    def validate(self, where: str) -> None:
        """Checks across fields; raise :class:`GoalError` naming the field."""

    def only_one(self, where: str, *keys: str, required: bool = False) -> None:
        given = [k for k in keys if k in self.params]
        if len(given) > 1:
            raise GoalError(f"{where}.{given[1]}: use only one of {', '.join(keys)}")
        if required and not given:
            raise GoalError(f"{where}: needs one of {', '.join(keys)}")

    def to_dict(self) -> dict[str, Any]:
        return {self.kind: dict(self.params)}

    def evaluate(self, sim) -> GoalResult:
        clusters = getattr(sim, "clusters", {})
        wanted = self.params.get("cluster")
        if wanted is not None:
            cluster = clusters.get(wanted)
            if cluster is None:
                return GoalResult(False, f"{wanted} 클러스터가 아직 없다. `gcloud container clusters create` 명령으로 "
                                  f"{wanted} 클러스터를 만들어 보자 (위치는 --zone 또는 --region으로 정한다).")
        else:
            cluster = sim.current_cluster()
            if cluster is None:
                if clusters:
                    return GoalResult(False, "kubectl이 가리키는 클러스터가 없다. "
                                      "`gcloud container clusters get-credentials` 명령으로 클러스터를 골라 보자.")
                return GoalResult(False, "클러스터가 아직 없다. "
                                  "`gcloud container clusters create` 명령으로 먼저 클러스터를 만들어 보자.")
        return self.check(Scope(sim, cluster, self.params.get("namespace", DEFAULT_NAMESPACE)))

    def check(self, scope: Scope) -> GoalResult:
        raise NotImplementedError

    def describe_negated(self) -> str:
        """Every leaf type words its own negation (no generic "not: ..." wrapper)."""
        raise NotImplementedError(f"{type(self).__name__} has no describe_negated")

    def scope_text(self) -> str:
        """The cluster and namespace qualifiers for :meth:`describe`, when they are not the defaults."""
        return self.cluster_text() + self.namespace_text()

    def cluster_text(self) -> str:
        """"demo 클러스터의 " when the goal names a cluster, else nothing."""
        return f"{self.params['cluster']} 클러스터의 " if "cluster" in self.params else ""

    def namespace_text(self) -> str:
        """"prod 네임스페이스의 " for a namespace other than default, else nothing."""
        namespace = self.params.get("namespace", DEFAULT_NAMESPACE)
        return "" if namespace == DEFAULT_NAMESPACE else f"{namespace} 네임스페이스의 "


# --- parameter validators: (value, path) -> cleaned value -------------------------------------------


def name(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise GoalError(f"{where}: must be a non-empty name")
    return value.strip()


def whole(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise GoalError(f"{where}: must be a whole number >= 0")
    return value


def positive(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise GoalError(f"{where}: must be a whole number >= 1")
    return value


def ratio(value: Any, where: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise GoalError(f"{where}: must be a number from 0 to 1 (0.05 means 5%)")
    return value


def non_negative(value: Any, where: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise GoalError(f"{where}: must be a number >= 0")
    return value


def choice(*options: str) -> Validator:
    def check(value: Any, where: str) -> str:
        if value not in options:
            raise GoalError(f"{where}: must be one of {', '.join(options)}")
        return value

    return check
