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
or what is still missing, with the numbers involved. The leaf goal types live in ``goal_checks``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import yaml

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
                        f"not {_type_name(spec)}")
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
        raise GoalError(f"{where}: must be a list of goals, not {_type_name(value)}")
    return value


def _registry() -> dict[str, type[Check]]:
    from . import goal_checks  # noqa: F401  (importing it registers the leaf goal types)

    return TYPES


def _type_name(value: Any) -> str:
    names = {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number", float: "a number"}
    return names.get(type(value), "empty" if value is None else f"a {type(value).__name__}")


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
            raise GoalError(f"{where}: must be a mapping of parameters, not {_type_name(params)}")
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


# --- Korean text helpers ----------------------------------------------------------------------------


def pct(fraction: float) -> str:
    """0.125 -> "12.5%", 0.05 -> "5%"."""
    text = f"{fraction * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def num(value: float) -> str:
    """A count or rate without a needless ".0"."""
    return f"{value:g}" if isinstance(value, float) else str(value)


_DIGIT_BATCHIM = set("013678")  # 영 일 삼 육 칠 팔 end in a consonant; 이 사 오 구 do not


def batchim(word: str) -> bool:
    """Whether ``word`` is read with a final consonant, which picks a particle's form (이다/다, 이어야/여야).
    Hangul and digits are judged exactly; a trailing "(Secret)" is skipped (the particle goes with the Korean
    word before it); anything else (%, letters) counts as a vowel ending."""
    word = re.sub(r"\s*\([^()]*\)$", "", word.rstrip())
    last = word[-1:] or "가"
    if "가" <= last <= "힣":
        return (ord(last) - 0xAC00) % 28 != 0
    return last in _DIGIT_BATCHIM


def ida(word: str) -> str:
    """"3개 이상" -> "3개 이상이다", "3개" -> "3개다"."""
    return word + ("이다" if batchim(word) else "다")


def ieoya(word: str) -> str:
    """"3개 이상" -> "3개 이상이어야", "3개" -> "3개여야"."""
    return word + ("이어야" if batchim(word) else "여야")


def ga(word: str) -> str:
    """Subject particle: "노드 풀" -> "노드 풀이", "디플로이먼트" -> "디플로이먼트가"."""
    return word + ("이" if batchim(word) else "가")


def euro(word: str) -> str:
    """"3개" -> "3개로", "50%" -> "50%로", "유형" -> "유형으로" (ㄹ takes 로 as a vowel does)."""
    last = word.rstrip()[-1:]
    rieul = "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 == 8
    return word + ("으로" if batchim(word) and not rieul else "로")


def fewer(subject: str, n: int) -> str:
    """The negation of "{subject} n개 이상이다": "준비된 레플리카가 없다" for 1, "… 3개 미만이다" otherwise.
    ``subject`` ends with its particle, e.g. "준비된 레플리카가"."""
    return f"{subject} 없다" if n == 1 else f"{subject} {n}개 미만이다"


# --- joining statements ------------------------------------------------------------------------------
#
# Goal statements are 평어체 sentences ending in -다. To join them ("A이고 B이다", "A거나 B") or to say what
# must hold ("A여야 한다"), the last predicate is conjugated. The statements are our own, so the forms needed
# are few: the copula (이다, 아니다, and 다 contracted after a vowel: "3개다", "이하다"), 있다/없다 and other
# consonant stems (높다, 않다), the past (했다, 끝났다), and present verbs (한다, 쓴다, 않는다). A statement must
# not end in a vowel-stem adjective such as 다르다, 크다 or 충분하다: it would be read as a contracted copula.

_JONG_N, _JONG_SS = 4, 20  # final consonants ㄴ and ㅆ (jongseong index)
_V_A, _V_O, _V_EU = 0, 8, 18  # vowels ㅏ, ㅗ, ㅡ (jungseong index)


def _syllable(ch: str) -> tuple[int, int, int] | None:
    """(initial, vowel, final) indexes of a Hangul syllable, or None."""
    if not "가" <= ch <= "힣":
        return None
    code = ord(ch) - 0xAC00
    return code // 588, (code % 588) // 28, code % 28


def _compose(initial: int, vowel: int, final: int = 0) -> str:
    return chr(0xAC00 + initial * 588 + vowel * 28 + final)


def conjugate(sentence: str, ending: str) -> str:
    """A statement ending in -다 with its last predicate joined to ``ending``: "고" (and), "거나" (or) or
    "어야" (must, followed by " 한다"). "있다" -> "있고", "3개 이상이다" -> "3개 이상이거나", "3개다" -> "3개여야",
    "없다" -> "없어야", "허용한다" -> "허용해야"."""
    if not sentence.endswith("다") or len(sentence) < 2:
        raise ValueError(f"not a statement ending in -다: {sentence!r}")
    if sentence.endswith("는다"):  # 않는다: a consonant stem
        return _consonant_stem(sentence[:-2], ending)
    body, last = sentence[:-2], sentence[-2]
    parts = _syllable(last)
    if parts is None:
        raise ValueError(f"not a statement ending in -다: {sentence!r}")
    initial, vowel, final = parts
    if final == _JONG_N:  # 한다, 쓴다: the present of a vowel stem (하, 쓰)
        stem = body + _compose(initial, vowel)
        if ending != "어야":
            return stem + ending
        if stem.endswith("하"):
            return stem[:-1] + "해야"
        if vowel == _V_EU:
            return body + _compose(initial, 4) + "야"  # 쓰 -> 써
        return stem + "어야"
    if final:
        return _consonant_stem(sentence[:-1], ending)
    stem = sentence[:-1]
    if last == "이" or stem.endswith("아니"):  # 이상이다, 아니다
        return stem + ending  # 이어야, 아니어야
    # A copula contracted after a vowel: "3개다", "이하다", "상태다".
    return stem + {"고": "이고", "거나": "이거나", "어야": "여야"}[ending]


def _consonant_stem(stem: str, ending: str) -> str:
    if ending != "어야":
        return stem + ending
    _, vowel, final = _syllable(stem[-1]) or (0, 0, 0)
    bright = vowel in (_V_A, _V_O) and final != _JONG_SS  # 높아야, 않아야; but 했어야, 끝났어야
    return stem + ("아야" if bright else "어야")


def chain(sentences: list[str], ending: str) -> str:
    """Statements joined into one: ["A가 있다", "B가 없다"] with "거나" -> "A가 있거나 B가 없다". Three or more
    are separated by commas."""
    if len(sentences) == 1:
        return sentences[0]
    joined = [conjugate(s, ending) for s in sentences[:-1]] + [sentences[-1]]
    return (", " if len(sentences) > 2 else " ").join(joined)
