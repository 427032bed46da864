"""Goals: declarative predicates over a simulation, written in lesson front matter to check an exercise.

A goal is a one-key mapping from its type to its parameters; a list means "all of these"::

    - ready_replicas: {deployment: web, at_least: 3}
    - spread: {deployment: web, nodes: 3}
    - any:
        - service: {service: web, type: LoadBalancer}
        - not: {rolled_back: {deployment: web}}

>>> from orchestrator.goals import load
>>> load({"ready_replicas": {"deployment": "web", "at_least": 3}}).describe()
'web 디플로이먼트의 준비된 레플리카가 3개 이상이다'
>>> load({"not": {"deployment_exists": {"deployment": "web"}}}).describe()
'web 디플로이먼트가 없다'
>>> load([{"rolled_back": {"deployment": "web"}}, {"service": {"service": "web"}}]).describe()
'web 디플로이먼트를 롤백했다. web 서비스가 있다.'

:meth:`Goal.describe` is a checklist line in 평어체: a leaf goal (and ``not``, ``any``) gives one statement
ending in -다 with no period; ``all`` gives its members' statements as sentences, each ending in a period.
:meth:`Goal.describe_negated` is the statement that holds when the goal does not, which ``not`` shows.

:func:`load` validates strictly (an author's typo should fail when the lesson is loaded, not silently pass
or fail for every learner) and raises :class:`GoalError` naming the field. :meth:`Goal.evaluate` never
raises for any simulation state: it returns a :class:`GoalResult` whose Korean message says what holds,
or what is still missing, with the numbers involved. The leaf goal types live in the ``goal_checks``
modules, on the base in :mod:`orchestrator.goal_types`.
"""

from __future__ import annotations

from typing import Any

import yaml

# Importing the goal_checks modules registers the leaf goal types.
from . import goal_checks, goal_checks_deploy, goal_checks_services, goal_checks_workloads  # noqa: F401
from .goal_types import TYPES, Check, Goal, GoalError, GoalResult, type_name
from .korean import chain, conjugate

__all__ = ["TYPES", "Check", "Goal", "GoalError", "GoalResult", "evaluate_all", "load"]


# --- loading ----------------------------------------------------------------------------------------


def load(spec: Any, where: str | None = None) -> Goal:
    """A goal from a dict (one goal), a list (all of them must hold) or YAML text of either.

    ``where`` is the path that error messages start with (default ``goal`` for a dict, ``goals`` for a
    list). Raises :class:`GoalError` for an unknown goal type, an unknown key or a value of the wrong type.
    """
    if isinstance(spec, str):
        spec = _parse_yaml(spec, where or "goals")
    if isinstance(spec, list):
        return All(_members(spec, where or "goals"))
    return _load_one(spec, where or "goal")


def evaluate_all(specs: Any, sim) -> list[GoalResult]:
    """Load ``specs`` (a list, one goal, or YAML text) and evaluate each top-level goal on its own."""
    if isinstance(specs, str):
        specs = _parse_yaml(specs, "goals")
    if isinstance(specs, list):
        return [goal.evaluate(sim) for goal in _members(specs, "goals", allow_empty=True)]
    return [load(specs).evaluate(sim)]


def _parse_yaml(text: str, where: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise GoalError(f"{where}: not valid YAML: {exc}") from None


def _members(items: list, where: str, allow_empty: bool = False) -> list[Goal]:
    if not items and not allow_empty:
        raise GoalError(f"{where}: must list at least one goal")
    return [_load_one(item, f"{where}[{i}]") for i, item in enumerate(items)]


def _load_one(spec: Any, where: str) -> Goal:
    if isinstance(spec, str):
        spec = {spec: None}  # a bare name: a goal whose parameters are all optional
    if not isinstance(spec, dict):
        raise GoalError(f"{where}: must be a mapping like {{ready_replicas: {{deployment: web, at_least: 3}}}}, "
                        f"not {type_name(spec)}")
    if len(spec) != 1:
        keys = ", ".join(map(str, spec)) or "nothing"
        raise GoalError(f"{where}: must have exactly one goal type as its key (found: {keys}); "
                        "use all: [...] to combine goals")
    ((kind, params),) = spec.items()
    at = f"{where}.{kind}"
    if kind == "all":
        return All(_members(_list(params, at), at))
    if kind == "any":
        return Any_(_members(_list(params, at), at))
    if kind == "not":
        if isinstance(params, list):
            raise GoalError(f"{at}: must be one goal, not a list (wrap several in all: [...])")
        return Not(_load_one(params, at))
    types = _registry()
    if kind not in types:
        known = ", ".join(sorted([*types, "all", "any", "not"]))
        raise GoalError(f"{where}: unknown goal type {kind!r} (known: {known})")
    return types[kind].build(params, at)


def _list(value: Any, where: str) -> list:
    if not isinstance(value, list):
        raise GoalError(f"{where}: must be a list of goals, not {type_name(value)}")
    return value


def _registry() -> dict[str, type[Check]]:
    return TYPES


# --- combinators ------------------------------------------------------------------------------------


class All(Goal):
    """Every member holds."""

    kind = "all"

    def __init__(self, goals: list[Goal]) -> None:
        self.goals = list(goals)

    def evaluate(self, sim) -> GoalResult:
        parts = tuple(g.evaluate(sim) for g in self.goals)
        failing = [p.message for p in parts if not p.passed]
        if not failing:
            return GoalResult(True, f"조건 {len(parts)}개를 모두 만족한다. " + _join(p.message for p in parts), parts)
        return GoalResult(False, f"조건 {len(parts)}개 중 {len(failing)}개를 아직 만족하지 않는다. " + _join(failing),
                          parts)

    def describe(self) -> str:
        """The members' statements as sentences: "A. B." (a checklist line of several facts)."""
        return " ".join(f"{g.clause()}." for g in self.goals)

    def clause(self) -> str:
        return chain([g.clause() for g in self.goals], "고")

    def describe_negated(self) -> str:
        return chain([g.describe_negated() for g in self.goals], "거나")

    def to_dict(self) -> dict[str, Any]:
        return {"all": [g.to_dict() for g in self.goals]}


class Any_(Goal):
    """At least one member holds."""

    kind = "any"

    def __init__(self, goals: list[Goal]) -> None:
        self.goals = list(goals)

    def evaluate(self, sim) -> GoalResult:
        parts = tuple(g.evaluate(sim) for g in self.goals)
        passing = [p.message for p in parts if p.passed]
        if passing:
            return GoalResult(True, f"조건 {len(parts)}개 중 {len(passing)}개를 만족한다. " + _join(passing), parts)
        return GoalResult(False, f"조건 {len(parts)}개 중 하나를 만족해야 하는데, 아직 하나도 만족하지 않는다. "
                          + _join(p.message for p in parts), parts)

    def describe(self) -> str:
        """"A거나 B"."""
        return chain([g.clause() for g in self.goals], "거나")

    def describe_negated(self) -> str:
        return chain([g.describe_negated() for g in self.goals], "고")

    def to_dict(self) -> dict[str, Any]:
        return {"any": [g.to_dict() for g in self.goals]}


class Not(Goal):
    """The member does not hold. Its statement is the member's :meth:`~Goal.describe_negated`."""

    kind = "not"

    def __init__(self, goal: Goal) -> None:
        self.goal = goal

    def evaluate(self, sim) -> GoalResult:
        inner = self.goal.evaluate(sim)
        wanted = self.goal.describe_negated()
        if inner.passed:
            try:
                must = f"{conjugate(wanted, '어야')} 한다"
            except ValueError:  # every leaf's statement ends in -다 (tested); never fail a check over wording
                must = f"이렇게 되어야 한다: {wanted}"
            return GoalResult(False, f"{must}. 지금은 {inner.message}", (inner,))
        # The inner failure's message is a hint on how to reach it: not worth showing for a goal that holds.
        return GoalResult(True, f"{wanted}.", (inner,))

    def describe(self) -> str:
        return self.goal.describe_negated()

    def describe_negated(self) -> str:
        return self.goal.clause()

    def to_dict(self) -> dict[str, Any]:
        return {"not": self.goal.to_dict()}


def _join(messages) -> str:
    """Sentences in order, each once (with no cluster, every member says the same thing)."""
    return " ".join(dict.fromkeys(messages))
