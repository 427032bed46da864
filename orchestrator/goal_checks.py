"""The leaf goal types (see :mod:`orchestrator.goals`): each validates its parameters and checks one cluster.

Each type has ``describe`` (the checklist line) and ``describe_negated`` (what ``not`` shows), both short
평어체 statements ending in -다. Messages are 평어체 sentences with the numbers involved. Names the learner
typed (web, nginx:1.27) are never followed directly by a Korean particle, whose form would depend on how the
name is read aloud.

A failure message names a concrete command only when every value in it comes from the goal's parameters
(the deployment's name, its ``image``, the HPA's ``max``…) or from the object it is about (the node a pod is
on, the deployment's container). Otherwise it says what is missing and the state needed, with the numbers,
and names at most the command without values: no made-up image, flag value or placeholder.
"""

from __future__ import annotations

from typing import Any

from . import catalog
from .goal_types import Check, GoalError, GoalResult, Scope, choice, name, register, whole
from .korean import chain, conjugate, fewer, ieoya
from .model import Deployment, Pod

MODES = {"standard": "Standard", "autopilot": "Autopilot"}
SERVICE_TYPES = ("ClusterIP", "NodePort", "LoadBalancer")


# --- shared helpers ---------------------------------------------------------------------------------


def location(value: Any, where: str) -> str:
    value = name(value, where)
    if value not in catalog.REGIONS and value not in catalog.ZONES:
        raise GoalError(f"{where}: unknown zone or region {value!r} (known regions: {', '.join(catalog.REGIONS)})")
    return value


def image(value: Any, where: str) -> str:
    value = name(value, where)
    if any(ch.isspace() for ch in value):
        raise GoalError(f"{where}: must be an image reference like nginx:1.27")
    return value


def machine_type(value: Any, where: str) -> str:
    value = name(value, where)
    if value not in catalog.MACHINE_TYPES:
        raise GoalError(f"{where}: unknown machine type {value!r} (known: {', '.join(catalog.MACHINE_TYPES)})")
    return value


def flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise GoalError(f"{where}: must be true or false")
    return value


def autoscaling(value: Any, where: str) -> bool | dict:
    if isinstance(value, bool):
        return value
    if not isinstance(value, dict):
        raise GoalError(f"{where}: must be true, false or a mapping like {{min: 1, max: 5}}")
    for key in value:
        if key not in ("min", "max"):
            raise GoalError(f"{where}.{key}: unknown key (allowed: min, max)")
    clean = {k: whole(value[k], f"{where}.{k}") for k in ("min", "max") if k in value}
    if "min" in clean and "max" in clean and clean["min"] > clean["max"]:
        raise GoalError(f"{where}.max: must be >= min")
    return clean


def place(loc: str) -> str:
    """"asia-northeast3 리전" or "asia-northeast3-a 영역"."""
    return f"{loc} 리전" if loc in catalog.REGIONS else f"{loc} 영역"


def same_image(wanted: str, actual: str) -> bool:
    """nginx:1.27 matches docker.io/library/nginx:1.27; a reference without a tag matches any tag."""
    want_repo, want_tag = catalog.normalize_image(wanted)
    repo, tag = catalog.normalize_image(actual)
    last = wanted.rsplit("/", 1)[-1]
    return want_repo == repo and (want_tag == tag or (":" not in last and "@" not in last))


def images(d: Deployment) -> list[str]:
    return [c.get("image", "") for c in d.template.get("containers", [])]


def find_deployment(scope: Scope, deployment: str) -> Deployment | None:
    return scope.cluster.deployments.get(f"{scope.namespace}/{deployment}")


def no_deployment(scope: Scope, deployment: str, hint: str = "") -> GoalResult:
    hint = hint or "`kubectl create deployment` 명령이나 매니페스트로 먼저 만들어야 한다."
    return GoalResult(False, f"{scope.prefix()}{deployment} 디플로이먼트가 아직 없다. {hint}")


def pods_of(scope: Scope, d: Deployment) -> list[Pod]:
    """The deployment's pods that are not on their way out."""
    cluster = scope.cluster
    return [p for rs in cluster.replicasets_of(d) for p in cluster.pods_of_rs(rs) if not p.terminating]


def count_text(at_least: int | None, exactly: int | None) -> str:
    return f"정확히 {exactly}개" if exactly is not None else f"{at_least}개 이상"


def not_count(subject: str, at_least: int | None, exactly: int | None) -> str:
    """The negation of "{subject} {count_text}": "노드가 정확히 3개가 아니다", "노드가 4개 미만이다".
    ``subject`` ends with its particle."""
    return f"{subject} 정확히 {exactly}개가 아니다" if exactly is not None else fewer(subject, at_least or 0)


def meets(value: int, at_least: int | None, exactly: int | None) -> bool:
    return value == exactly if exactly is not None else value >= (at_least or 0)


# --- clusters and nodes -----------------------------------------------------------------------------


@register
class ClusterExists(Check):
    """A cluster (by name, or any cluster) exists, in a zone or region, in a mode."""

    kind = "cluster_exists"
    fields = {"name": name, "location": location, "mode": choice(*MODES)}
    namespaced = False

    @classmethod
    def allowed(cls):
        return dict(cls.fields)  # it looks at every cluster, so it takes no cluster key

    def describe(self) -> str:
        """"demo 클러스터가 asia-northeast3-a 영역에 Standard 모드로 있다"."""
        return f"{self._subject()}가 {self._where()}있다"

    def describe_negated(self) -> str:
        """"asia-northeast3-a 영역에 Standard 모드로 있는 demo 클러스터가 없다"."""
        where = self._where()
        return f"{where}있는 {self._subject()}가 없다" if where else f"{self._subject()}가 없다"

    def evaluate(self, sim) -> GoalResult:  # looks at every cluster, not at the current one
        clusters = list(getattr(sim, "clusters", {}).values())
        wanted = self.params.get("name")
        if wanted is not None:
            clusters = [c for c in clusters if c.name == wanted]
        if not clusters:
            return GoalResult(False, f"{self._subject()}가 아직 없다. {self._create_hint()}")
        for cluster in clusters:
            if self._fits(cluster):
                return GoalResult(True, f"{cluster.name} 클러스터가 있다 ({_about(cluster)}).")
        have = ", ".join(f"{c.name} ({_about(c)})" for c in clusters)
        return GoalResult(False, f"{self._where()}있는 {self._subject()}가 있어야 한다. 지금 있는 클러스터: {have}.")

    def _subject(self) -> str:
        return f"{self.params['name']} 클러스터" if "name" in self.params else "클러스터"

    def _where(self) -> str:
        """"asia-northeast3 리전에 Autopilot 모드로 " (each part when the goal gives it)."""
        p = self.params
        text = f"{place(p['location'])}에 " if "location" in p else ""
        return text + (f"{MODES[p['mode']]} 모드로 " if "mode" in p else "")

    def _create_hint(self) -> str:
        p = self.params
        verb = "create-auto" if p.get("mode") == "autopilot" else "create"
        regional = p.get("location") in catalog.REGIONS
        if "name" in p and "location" in p and (regional or verb == "create"):  # Autopilot takes only a region
            flag = "--region" if regional else "--zone"
            return f"`gcloud container clusters {verb} {p['name']} {flag}={p['location']}` 명령으로 만들어 보자."
        return f"`gcloud container clusters {verb}` 명령으로 만들어 보자 (위치는 --zone 또는 --region으로 정한다)."

    def _fits(self, cluster) -> bool:
        return (self.params.get("location", cluster.location) == cluster.location
                and self.params.get("mode", cluster.mode) == cluster.mode)


def _about(cluster) -> str:
    return f"{place(cluster.location)}, {MODES.get(cluster.mode, cluster.mode)} 모드"


@register
class NodeCount(Check):
    """Enough nodes are Ready (and, for a failure drill, enough are not)."""

    kind = "node_count"
    fields = {"ready_at_least": whole, "not_ready_at_least": whole}
    namespaced = False

    def validate(self, where: str) -> None:
        self.only_one(where, "ready_at_least", "not_ready_at_least", required=True)

    def describe(self) -> str:
        """"준비된(Ready) 노드가 3개 이상이다"."""
        key, subject = self._subject()
        return f"{subject} {self.params[key]}개 이상이다"

    def describe_negated(self) -> str:
        """"준비된(Ready) 노드가 3개 미만이다", "준비되지 않은(NotReady) 노드가 없다"."""
        key, subject = self._subject()
        return fewer(subject, self.params[key])

    def _subject(self) -> tuple[str, str]:
        if "not_ready_at_least" in self.params:
            return "not_ready_at_least", f"{self.scope_text()}준비되지 않은(NotReady) 노드가"
        return "ready_at_least", f"{self.scope_text()}준비된(Ready) 노드가"

    def check(self, scope: Scope) -> GoalResult:
        nodes = list(scope.cluster.nodes.values())
        down = sorted(n.name for n in nodes if n.ready != "True")
        where = f"{scope.cluster.name} 클러스터에"
        if "not_ready_at_least" in self.params:
            want = self.params["not_ready_at_least"]
            if len(down) >= want:
                return GoalResult(True, f"{where} 준비되지 않은(NotReady) 노드가 {want}개 이상이다 "
                                  f"(지금 {len(down)}개: {', '.join(down) or '없음'}).")
            return GoalResult(False, f"{where} 준비되지 않은(NotReady) 노드가 {want}개 이상이어야 한다. "
                              f"지금은 {len(down)}개다. `sim node fail` 명령에 `kubectl get nodes`로 본 노드 이름을 "
                              f"주어 노드를 {want - len(down)}개 더 멈춰 보자.")
        want = self.params["ready_at_least"]
        ready = len(nodes) - len(down)
        if ready >= want:
            return GoalResult(True, f"{where} 준비된(Ready) 노드가 {want}개 이상이다 (지금 {ready}개).")
        detail = f" (NotReady: {', '.join(down)})" if down else ""
        return GoalResult(False, f"{where} 준비된(Ready) 노드가 {want}개 이상이어야 한다. "
                          f"지금은 {ready}개다{detail}.")


@register
class NodePoolGoal(Check):
    """A node pool exists, with a size (every node of the pool, Ready or not), autoscaling settings and a
    machine type. Autoscaling ``min``/``max`` are per zone, like gcloud's ``--min-nodes``/``--max-nodes``."""

    kind = "node_pool"
    fields = {"pool": name, "nodes_at_least": whole, "nodes_exactly": whole, "autoscaling": autoscaling,
              "machine_type": machine_type}
    required = ("pool",)
    namespaced = False

    def validate(self, where: str) -> None:
        self.only_one(where, "nodes_at_least", "nodes_exactly")

    def describe(self) -> str:
        """"default-pool 노드 풀은 노드가 4개 이상 있고 자동 확장이 최소 1개, 최대 5개로 켜져 있다"."""
        p = self.params
        subject = self._subject()
        facts = []
        if "machine_type" in p:
            facts.append(f"{p['machine_type']} 머신을 쓴다")
        if "nodes_at_least" in p or "nodes_exactly" in p:
            facts.append(f"노드가 {count_text(p.get('nodes_at_least'), p.get('nodes_exactly'))} 있다")
        if "autoscaling" in p:
            facts.append(_autoscaling_fact(p["autoscaling"]))
        return f"{subject}은 {chain(facts, '고')}" if facts else f"{subject}이 있다"

    def describe_negated(self) -> str:
        """"default-pool 노드 풀이 없거나 노드가 4개 미만이다"."""
        p = self.params
        facts = [f"{self._subject()}이 없다"]
        if "machine_type" in p:
            facts.append(f"{p['machine_type']} 머신을 쓰지 않는다")
        if "nodes_at_least" in p or "nodes_exactly" in p:
            if p.get("nodes_at_least", 1) or "nodes_exactly" in p:  # at least 0 always holds
                facts.append(not_count("노드가", p.get("nodes_at_least"), p.get("nodes_exactly")))
        if "autoscaling" in p:
            facts.append(_autoscaling_fact(p["autoscaling"], negated=True))
        return chain(facts, "거나")

    def _subject(self) -> str:
        return f"{self.scope_text()}{self.params['pool']} 노드 풀"

    def check(self, scope: Scope) -> GoalResult:
        p = self.params
        pool = next((x for x in scope.cluster.node_pools if x.name == p["pool"]), None)
        subject = f"{p['pool']} 노드 풀"
        if pool is None:
            have = ", ".join(x.name for x in scope.cluster.node_pools) or "없음"
            needs = [f"머신 유형 {p['machine_type']}"] if "machine_type" in p else []
            if "nodes_at_least" in p or "nodes_exactly" in p:
                needs.append("노드 " + count_text(p.get("nodes_at_least"), p.get("nodes_exactly")))
            if "autoscaling" in p:
                needs.append(_autoscaling_text(p["autoscaling"]))
            needs_text = f": {', '.join(needs)}" if needs else ""
            return GoalResult(False, f"{scope.cluster.name} 클러스터에 {subject}이 아직 없다 "
                              f"(지금 있는 노드 풀: {have}). `gcloud container node-pools create` 명령으로 "
                              f"{scope.cluster.name} 클러스터에 {subject}을 만들어 보자{needs_text}.")
        size = sum(1 for n in scope.cluster.nodes.values() if n.pool == pool.name)
        problems, facts = [], [f"노드 {size}개"]
        if "nodes_at_least" in p or "nodes_exactly" in p:
            want = count_text(p.get("nodes_at_least"), p.get("nodes_exactly"))
            if not meets(size, p.get("nodes_at_least"), p.get("nodes_exactly")):
                problems.append(f"{subject}의 노드가 {ieoya(want)} 한다. 지금은 {size}개다.")
        if "autoscaling" in p:
            facts.append(_autoscaling_text(pool.autoscaling or False))
            if isinstance(p["autoscaling"], bool) and bool(pool.autoscaling) != p["autoscaling"]:
                state = ("켜져", "꺼져") if p["autoscaling"] else ("꺼져", "켜져")
                problems.append(f"{subject}의 자동 확장이 {state[0]} 있어야 한다. 지금은 {state[1]} 있다.")
            elif not _autoscaling_fits(p["autoscaling"], pool.autoscaling):
                problems.append(f"{subject}의 {conjugate(_autoscaling_fact(p['autoscaling']), '어야')} 한다. "
                                f"지금은 {_autoscaling_fact(pool.autoscaling or False)}.")
        if "machine_type" in p:
            facts.append(f"머신 유형 {pool.machine_type}")
            if pool.machine_type != p["machine_type"]:
                problems.append(f"{subject}이 {p['machine_type']} 머신을 써야 한다. "
                                f"지금은 {pool.machine_type} 머신이다.")
        if problems:
            return GoalResult(False, " ".join(problems))
        return GoalResult(True, f"{subject}이 조건을 만족한다 ({', '.join(facts)}).")


def _autoscaling_text(setting: bool | dict) -> str:
    if setting is False or setting is None:
        return "자동 확장 꺼짐"
    if setting is True or not setting:
        return "자동 확장 켜짐"
    bounds = [f"{label} {setting[key]}개" for key, label in (("min", "최소"), ("max", "최대")) if key in setting]
    return f"자동 확장 켜짐, {', '.join(bounds)}"


def _autoscaling_fact(setting: bool | dict, negated: bool = False) -> str:
    """"자동 확장이 최소 1개, 최대 5개로 켜져 있다" (or, negated, "… 켜져 있지 않다")."""
    if setting is False:
        return f"자동 확장이 {'켜져' if negated else '꺼져'} 있다"
    bounds = [f"{label} {setting[key]}개" for key, label in (("min", "최소"), ("max", "최대"))
              if isinstance(setting, dict) and key in setting]
    how = f"{', '.join(bounds)}로 " if bounds else ""
    if negated:
        return f"자동 확장이 {how}켜져 있지 않다" if bounds else "자동 확장이 꺼져 있다"
    return f"자동 확장이 {how}켜져 있다"


def _autoscaling_fits(wanted: bool | dict, actual: dict | None) -> bool:
    if wanted is False:
        return not actual
    if not actual:
        return False
    if wanted is True:
        return True
    return all(actual.get(k) == v for k, v in wanted.items())

