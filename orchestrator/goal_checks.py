"""The leaf goal types (see :mod:`orchestrator.goals`): each validates its parameters and checks one cluster.

Messages are 평어체 sentences with the numbers involved. Names the learner typed (web, nginx:1.27) are
never followed directly by a Korean particle, whose form would depend on how the name is read aloud.
"""

from __future__ import annotations

from typing import Any

from . import catalog
from .goals import (
    Check,
    GoalError,
    GoalResult,
    Scope,
    choice,
    ieoya,
    name,
    register,
    whole,
)
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
    hint = hint or f"`kubectl create deployment {deployment} --image=nginx:1.27` 명령으로 만들어 보자."
    return GoalResult(False, f"{scope.prefix()}{deployment} 디플로이먼트가 아직 없다. {hint}")


def pods_of(scope: Scope, d: Deployment) -> list[Pod]:
    """The deployment's pods that are not on their way out."""
    cluster = scope.cluster
    return [p for rs in cluster.replicasets_of(d) for p in cluster.pods_of_rs(rs) if not p.terminating]


def count_text(at_least: int | None, exactly: int | None) -> str:
    return f"정확히 {exactly}개" if exactly is not None else f"{at_least}개 이상"


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
        extra = [f"{place(self.params['location'])}"] if "location" in self.params else []
        extra += [f"{MODES[self.params['mode']]} 모드"] if "mode" in self.params else []
        text = f"{self.params['name']} 클러스터" if "name" in self.params else "클러스터"
        return f"{text} ({', '.join(extra)})" if extra else text

    def evaluate(self, sim) -> GoalResult:  # looks at every cluster, not at the current one
        clusters = list(getattr(sim, "clusters", {}).values())
        wanted = self.params.get("name")
        if wanted is not None:
            clusters = [c for c in clusters if c.name == wanted]
            if not clusters:
                return GoalResult(False, f"{wanted} 클러스터가 아직 없다. "
                                  f"`gcloud container clusters create {wanted}` 명령으로 만들어 보자.")
        elif not clusters:
            return GoalResult(False, "클러스터가 아직 없다. `gcloud container clusters create` 명령으로 만들어 보자.")
        for cluster in clusters:
            if self._fits(cluster):
                return GoalResult(True, f"{cluster.name} 클러스터가 있다 ({_about(cluster)}).")
        have = ", ".join(f"{c.name} ({_about(c)})" for c in clusters)
        return GoalResult(False, f"{self._wanted()}가 있어야 한다. 지금 있는 클러스터: {have}.")

    def _wanted(self) -> str:
        """"asia-northeast3 리전에 있는 Autopilot 모드 demo 클러스터"."""
        p = self.params
        text = f"{place(p['location'])}에 있는 " if "location" in p else ""
        text += f"{MODES[p['mode']]} 모드 " if "mode" in p else ""
        return text + (f"{p['name']} 클러스터" if "name" in p else "클러스터")

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
        if "not_ready_at_least" in self.params:
            return f"{self.scope_text()}준비되지 않은(NotReady) 노드 {self.params['not_ready_at_least']}개 이상"
        return f"{self.scope_text()}준비된(Ready) 노드 {self.params['ready_at_least']}개 이상"

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
                              f"지금은 {len(down)}개다. `sim node fail NODE` 명령으로 노드 하나를 멈춰 보자.")
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
        p = self.params
        extra = []
        if "nodes_at_least" in p or "nodes_exactly" in p:
            extra.append("노드 " + count_text(p.get("nodes_at_least"), p.get("nodes_exactly")))
        if "autoscaling" in p:
            extra.append(_autoscaling_text(p["autoscaling"]))
        if "machine_type" in p:
            extra.append(f"머신 유형 {p['machine_type']}")
        text = f"{self.scope_text()}{p['pool']} 노드 풀"
        return f"{text} ({', '.join(extra)})" if extra else text

    def check(self, scope: Scope) -> GoalResult:
        p = self.params
        pool = next((x for x in scope.cluster.node_pools if x.name == p["pool"]), None)
        subject = f"{p['pool']} 노드 풀"
        if pool is None:
            have = ", ".join(x.name for x in scope.cluster.node_pools) or "없음"
            return GoalResult(False, f"{scope.cluster.name} 클러스터에 {subject}이 아직 없다 "
                              f"(지금 있는 노드 풀: {have}). "
                              f"`gcloud container node-pools create {p['pool']} --cluster={scope.cluster.name}` "
                              "명령으로 만들어 보자.")
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
                problems.append(f"{subject}의 자동 확장 설정이 다음과 같아야 한다: "
                                f"{_autoscaling_text(p['autoscaling'])}. "
                                f"지금은 {_autoscaling_text(pool.autoscaling or False)}.")
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


def _autoscaling_fits(wanted: bool | dict, actual: dict | None) -> bool:
    if wanted is False:
        return not actual
    if not actual:
        return False
    if wanted is True:
        return True
    return all(actual.get(k) == v for k, v in wanted.items())


# The other goal families register themselves when imported.
from . import goal_checks_deploy, goal_checks_services, goal_checks_workloads  # noqa: E402, F401
