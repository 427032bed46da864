"""The leaf goal types (see :mod:`orchestrator.goals`): each validates its parameters and checks one cluster.

Messages are 평어체 sentences with the numbers involved. Names the learner typed (web, nginx:1.27) are
never followed directly by a Korean particle, whose form would depend on how the name is read aloud.
"""

from __future__ import annotations

from typing import Any

from . import catalog
from .controllers.deployment import new_replicaset, status
from .goals import (
    Check,
    GoalError,
    GoalResult,
    Scope,
    choice,
    ida,
    ieoya,
    name,
    non_negative,
    num,
    pct,
    positive,
    ratio,
    register,
    whole,
)
from .model import Deployment, HorizontalPodAutoscaler, Pod
from .services import endpoints

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


# --- deployments ------------------------------------------------------------------------------------


@register
class DeploymentExists(Check):
    """A deployment exists, optionally running an image."""

    kind = "deployment_exists"
    fields = {"deployment": name, "image": image}
    required = ("deployment",)

    def describe(self) -> str:
        text = f"{self.scope_text()}{self.params['deployment']} 디플로이먼트"
        return f"{text} (이미지 {self.params['image']})" if "image" in self.params else text

    def check(self, scope: Scope) -> GoalResult:
        name_, want = self.params["deployment"], self.params.get("image")
        d = find_deployment(scope, name_)
        if d is None:
            hint = f"`kubectl create deployment {name_} --image={want or 'nginx:1.27'}` 명령으로 만들어 보자."
            return no_deployment(scope, name_, hint)
        subject = f"{scope.prefix()}{name_} 디플로이먼트"
        have = ", ".join(images(d)) or "없음"
        if want is not None and not any(same_image(want, i) for i in images(d)):
            return GoalResult(False, f"{subject}가 {want} 이미지를 써야 한다. 지금은 {have} 이미지를 쓴다.")
        return GoalResult(True, f"{subject}가 있다 (이미지 {have}, 레플리카 {d.replicas}개).")


@register
class ReadyReplicas(Check):
    """Enough of a deployment's pods are Ready (at least N, exactly N, or all it asks for)."""

    kind = "ready_replicas"
    fields = {"deployment": name, "at_least": whole, "exactly": whole}
    required = ("deployment",)

    def validate(self, where: str) -> None:
        self.only_one(where, "at_least", "exactly")

    def describe(self) -> str:
        subject = f"{self.scope_text()}{self.params['deployment']} 디플로이먼트의 준비된 레플리카"
        if "at_least" not in self.params and "exactly" not in self.params:
            return f"{self.scope_text()}{self.params['deployment']} 디플로이먼트의 레플리카 모두 준비"
        return f"{subject} {count_text(self.params.get('at_least'), self.params.get('exactly'))}"

    def check(self, scope: Scope) -> GoalResult:
        name_ = self.params["deployment"]
        d = find_deployment(scope, name_)
        if d is None:
            return no_deployment(scope, name_)
        ready = status(scope.cluster, d)["ready"]
        subject = f"{scope.prefix()}{name_} 디플로이먼트의 준비된 레플리카가"
        at_least, exactly = self.params.get("at_least"), self.params.get("exactly")
        if at_least is None and exactly is None:
            # No number: every replica the deployment asks for (and at least one) must be ready.
            at_least = max(1, d.replicas)
        want = count_text(at_least, exactly)
        if meets(ready, at_least, exactly):
            return GoalResult(True, f"{subject} {ida(want)} (지금 {ready}개).")
        return GoalResult(False, f"{subject} {ieoya(want)} 한다. 지금은 {ready}개다.{_why_not_ready(scope, d)}")


def _why_not_ready(scope: Scope, d: Deployment) -> str:
    """A hint from the pods that are not ready yet: their most common status."""
    waiting = [p for p in pods_of(scope, d) if not p.ready]
    if not waiting:
        return ""
    counts: dict[str, int] = {}
    for pod in waiting:
        text = "Pending" if pod.node is None else pod.status_text
        counts[text] = counts.get(text, 0) + 1
    parts = ", ".join(f"{k} {v}개" for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return f" 준비되지 않은 파드: {parts}."


@register
class Spread(Check):
    """A deployment's ready pods run on at least N distinct nodes and/or zones."""

    kind = "spread"
    fields = {"deployment": name, "nodes": positive, "zones": positive}
    required = ("deployment",)

    def validate(self, where: str) -> None:
        if "nodes" not in self.params and "zones" not in self.params:
            raise GoalError(f"{where}: needs nodes, zones or both")

    def describe(self) -> str:
        parts = [f"서로 다른 노드 {self.params['nodes']}개"] if "nodes" in self.params else []
        parts += [f"서로 다른 가용성 영역 {self.params['zones']}개"] if "zones" in self.params else []
        return f"{self.scope_text()}{self.params['deployment']} 디플로이먼트의 파드가 {', '.join(parts)}에 분산"

    def check(self, scope: Scope) -> GoalResult:
        name_ = self.params["deployment"]
        d = find_deployment(scope, name_)
        if d is None:
            return no_deployment(scope, name_)
        ready = [p for p in pods_of(scope, d) if p.ready and p.node is not None]
        nodes = {p.node for p in ready}
        zones = {scope.cluster.nodes[n].zone for n in nodes if n in scope.cluster.nodes}
        subject = f"{scope.prefix()}{name_} 디플로이먼트의 준비된 파드"
        problems = []
        if len(nodes) < self.params.get("nodes", 0):
            problems.append(f"서로 다른 노드 {self.params['nodes']}개에 있어야 한다. "
                            f"지금은 노드 {len(nodes)}개에 있다.")
        if len(zones) < self.params.get("zones", 0):
            problems.append(f"서로 다른 가용성 영역 {self.params['zones']}개에 있어야 한다. "
                            f"지금은 가용성 영역 {len(zones)}개({', '.join(sorted(zones)) or '없음'})에 있다.")
        if problems:
            return GoalResult(False, f"{subject} {len(ready)}개가 " + " 또 ".join(problems))
        return GoalResult(True, f"{subject} {len(ready)}개가 노드 {len(nodes)}개, 가용성 영역 {len(zones)}개에 "
                          "나뉘어 있다.")


@register
class NoPodOnNode(Check):
    """No (live) pod of a deployment, or of the namespace, runs on a node."""

    kind = "no_pod_on_node"
    fields = {"node": name, "deployment": name}
    required = ("node",)

    def describe(self) -> str:
        what = f"{self.params['deployment']} 디플로이먼트의 파드" if "deployment" in self.params else "파드"
        return f"{self.params['node']} 노드에 {self.scope_text()}{what} 없음"

    def check(self, scope: Scope) -> GoalResult:
        wanted = self.params["node"]
        cluster = scope.cluster
        if wanted in cluster.nodes:
            node = wanted
        else:
            found = sorted(n for n in cluster.nodes if wanted in n)
            if len(found) > 1:
                return GoalResult(False, f"'{wanted}'에 해당하는 노드가 여러 개라 하나로 정할 수 없다: "
                                  f"{', '.join(found)}.")
            node = found[0] if found else wanted
        what = "파드"
        if "deployment" in self.params:
            d = find_deployment(scope, self.params["deployment"])
            what = f"{self.params['deployment']} 디플로이먼트의 파드"
            pods = pods_of(scope, d) if d is not None else []
        else:
            pods = [p for p in cluster.pods.values() if p.namespace == scope.namespace and not p.terminating]
        here = sorted(p.name for p in pods if p.node == node)
        subject = f"{node} 노드에 {scope.prefix()}{what}"
        if not here:
            gone = "" if node in cluster.nodes else " (그 노드가 클러스터에 없다)"
            return GoalResult(True, f"{subject}가 없다{gone}.")
        return GoalResult(False, f"{subject}가 없어야 한다. 지금은 {len(here)}개 있다: {', '.join(here)}. "
                          f"`kubectl drain {node} --ignore-daemonsets` 명령으로 파드를 옮겨 보자.")


@register
class RolloutFinished(Check):
    """A deployment's template runs an image and its rollout is complete, with no old pods left."""

    kind = "rollout_finished"
    fields = {"deployment": name, "image": image}
    required = ("deployment",)

    def describe(self) -> str:
        text = f"{self.scope_text()}{self.params['deployment']} 디플로이먼트의 롤아웃 완료"
        return f"{text} (이미지 {self.params['image']})" if "image" in self.params else text

    def check(self, scope: Scope) -> GoalResult:
        name_, want = self.params["deployment"], self.params.get("image")
        d = find_deployment(scope, name_)
        if d is None:
            return no_deployment(scope, name_)
        subject = f"{scope.prefix()}{name_} 디플로이먼트"
        have = images(d)
        if want is not None and not any(same_image(want, i) for i in have):
            container = d.template.get("containers", [{}])[0].get("name", "CONTAINER")
            return GoalResult(False, f"{subject}가 {want} 이미지를 써야 한다. 지금 파드 템플릿은 "
                              f"{', '.join(have) or '없음'} 이미지를 쓴다. "
                              f"`kubectl set image deployment/{name_} {container}={want}` 명령으로 바꿔 보자.")
        s = status(scope.cluster, d)
        new = new_replicaset(scope.cluster, d)
        old = sum(1 for p in pods_of(scope, d) if new is None or p.owner != new.name)
        if s["updated"] == s["available"] == s["replicas"] == d.replicas and old == 0:
            return GoalResult(True, f"{subject}의 롤아웃이 끝났다: 레플리카 {d.replicas}개가 모두 "
                              f"{', '.join(have)} 이미지로 준비됐다.")
        detail = (f"레플리카 {d.replicas}개 중 {s['updated']}개가 새 파드 템플릿으로 업데이트됐고, "
                  f"{s['available']}개가 사용 가능하며, 이전 파드가 {old}개 남았다.")
        hint = ""
        if d.paused:
            hint = f" 롤아웃이 일시 중지되어 있다. `kubectl rollout resume deployment/{name_}` 명령으로 재개해 보자."
        elif d.progress_reason == "ProgressDeadlineExceeded":
            hint = (f" 롤아웃이 진행 기한({d.progress_deadline}초)을 넘겼다.{_why_not_ready(scope, d)} "
                    f"`kubectl rollout undo deployment/{name_}` 명령으로 롤백할 수도 있다.")
        else:
            hint = _why_not_ready(scope, d)
        return GoalResult(False, f"{subject}의 롤아웃이 아직 끝나지 않았다. {detail}{hint}")


@register
class RolledBack(Check):
    """``kubectl rollout undo`` brought an older template back at least once."""

    kind = "rolled_back"
    fields = {"deployment": name}
    required = ("deployment",)

    def describe(self) -> str:
        return f"{self.scope_text()}{self.params['deployment']} 디플로이먼트 롤백"

    def check(self, scope: Scope) -> GoalResult:
        name_ = self.params["deployment"]
        d = find_deployment(scope, name_)
        if d is None:
            return no_deployment(scope, name_)
        subject = f"{scope.prefix()}{name_} 디플로이먼트"
        if d.rollbacks >= 1:
            return GoalResult(True, f"{subject}를 롤백했다 ({d.rollbacks}번, 지금 이미지 {', '.join(images(d))}).")
        return GoalResult(False, f"{subject}를 아직 롤백하지 않았다 (롤백 0번). "
                          f"`kubectl rollout undo deployment/{name_}` 명령으로 이전 리비전으로 되돌려 보자.")


# --- services and traffic ---------------------------------------------------------------------------


@register
class ServiceGoal(Check):
    """A service exists, of a type, with enough ready endpoints."""

    kind = "service"
    fields = {"service": name, "type": choice(*SERVICE_TYPES), "endpoints_at_least": whole, "external_ip": flag}
    required = ("service",)

    def describe(self) -> str:
        p = self.params
        extra = [p["type"]] if "type" in p else []
        extra += [f"엔드포인트 {p['endpoints_at_least']}개 이상"] if "endpoints_at_least" in p else []
        extra += [f"외부 IP {'있음' if p['external_ip'] else '없음'}"] if "external_ip" in p else []
        text = f"{self.scope_text()}{p['service']} 서비스"
        return f"{text} ({', '.join(extra)})" if extra else text

    def check(self, scope: Scope) -> GoalResult:
        p = self.params
        service = scope.cluster.services.get(f"{scope.namespace}/{p['service']}")
        subject = f"{scope.prefix()}{p['service']} 서비스"
        if service is None:
            kind = f" --type={p['type']}" if p.get("type", "ClusterIP") != "ClusterIP" else ""
            return GoalResult(False, f"{subject}가 아직 없다. `kubectl expose deployment DEPLOYMENT --port=80{kind} "
                              f"--name={p['service']}` 명령으로 디플로이먼트를 노출시켜 보자.")
        ready = len(endpoints(scope.cluster, service))
        problems = []
        if "type" in p and service.type != p["type"]:
            problems.append(f"{subject}의 유형이 {p['type']}여야 한다. 지금은 {service.type}다.")
        if ready < p.get("endpoints_at_least", 0):
            problems.append(f"{subject}의 엔드포인트가 {p['endpoints_at_least']}개 이상이어야 한다. "
                            f"지금은 {ready}개다.")
        if p.get("external_ip") and not service.external_ip:
            wait = (" 로드 밸런서가 준비되기를 조금 기다려 보자." if service.type == "LoadBalancer"
                    else " 외부 IP는 LoadBalancer 유형의 서비스가 받는다.")
            problems.append(f"{subject}에 외부 IP가 있어야 한다. 아직 없다.{wait}")
        if p.get("external_ip") is False and service.external_ip:
            problems.append(f"{subject}에 외부 IP가 없어야 한다. 지금은 {service.external_ip} 주소가 있다.")
        if problems:
            return GoalResult(False, " ".join(problems))
        ip = f", 외부 IP {service.external_ip}" if service.external_ip else ""
        return GoalResult(True, f"{subject}가 있다 ({service.type}, 엔드포인트 {ready}개{ip}).")


@register
class Traffic(Check):
    """A service answers its traffic with a low enough error rate (and at least some load)."""

    kind = "traffic"
    fields = {"service": name, "max_error_rate": ratio, "min_rps": non_negative}
    required = ("service", "max_error_rate")

    def describe(self) -> str:
        p = self.params
        load = f"초당 요청 {num(p['min_rps'])}개 이상에서 " if "min_rps" in p else ""
        return f"{self.scope_text()}{p['service']} 서비스의 트래픽 {load}오류율 {pct(p['max_error_rate'])} 이하"

    def check(self, scope: Scope) -> GoalResult:
        p = self.params
        service = scope.cluster.services.get(f"{scope.namespace}/{p['service']}")
        subject = f"{scope.prefix()}{p['service']} 서비스"
        if service is None:
            return GoalResult(False, f"{subject}가 아직 없다. `kubectl expose` 명령으로 디플로이먼트를 노출시켜 보자.")
        rps = p.get("min_rps") or 100
        send = f"`sim traffic {p['service']} {num(rps)}` 명령으로 트래픽을 보내 보자."
        if service.rps <= 0:
            return GoalResult(False, f"{subject}로 가는 트래픽이 아직 없다. {send}")
        if not service.stats:
            return GoalResult(False, f"{subject}로 트래픽을 보냈지만 아직 처리되지 않았다. 시간을 조금 흐르게 해 보자 "
                              "(`sim advance 10`).")
        if service.rps < p.get("min_rps", 0):
            return GoalResult(False, f"{subject}로 초당 요청이 {num(p['min_rps'])}개 이상 가야 한다. "
                              f"지금은 {num(service.rps)}개다. {send}")
        served, errors = service.stats.get("served", 0.0), service.stats.get("errors", 0.0)
        rate = errors / (served + errors) if served + errors else 0.0
        figures = (f"초당 요청 {num(service.rps)}개 중 오류 {num(round(errors, 1))}개, "
                   f"엔드포인트 {service.stats.get('endpoints', 0)}개")
        if rate <= p["max_error_rate"]:
            return GoalResult(True, f"{subject}의 오류율이 {pct(p['max_error_rate'])} 이하다 "
                              f"(지금 {pct(rate)}: {figures}).")
        return GoalResult(False, f"{subject}의 오류율이 {pct(p['max_error_rate'])} 이하여야 한다. "
                          f"지금은 {pct(rate)}다 ({figures}). 준비된 파드를 늘려 부하를 나눠 보자.")


# --- Horizontal Pod Autoscaler ----------------------------------------------------------------------


def find_hpa(scope: Scope, params: dict) -> HorizontalPodAutoscaler | None:
    if "hpa" in params:
        return scope.cluster.hpas.get(f"{scope.namespace}/{params['hpa']}")
    return next((h for h in scope.cluster.hpas.values()
                 if h.namespace == scope.namespace and h.target == params["deployment"]), None)


def hpa_subject(params: dict, prefix: str = "") -> str:
    if "hpa" in params:
        return f"{prefix}{params['hpa']} Horizontal Pod Autoscaler"
    return f"{prefix}{params['deployment']} 디플로이먼트의 Horizontal Pod Autoscaler"


@register
class Hpa(Check):
    """A Horizontal Pod Autoscaler exists for a deployment (or by name), with its bounds and CPU target."""

    kind = "hpa"
    fields = {"deployment": name, "hpa": name, "min": positive, "max": positive, "cpu_target": positive}

    def validate(self, where: str) -> None:
        self.only_one(where, "deployment", "hpa", required=True)
        if self.params.get("min", 0) > self.params.get("max", float("inf")):
            raise GoalError(f"{where}.max: must be >= min")

    def describe(self) -> str:
        p = self.params
        extra = [f"최소 {p['min']}개"] if "min" in p else []
        extra += [f"최대 {p['max']}개"] if "max" in p else []
        extra += [f"CPU 목표 {p['cpu_target']}%"] if "cpu_target" in p else []
        text = hpa_subject(p, self.scope_text())
        return f"{text} ({', '.join(extra)})" if extra else text

    def check(self, scope: Scope) -> GoalResult:
        p = self.params
        hpa = find_hpa(scope, p)
        subject = hpa_subject(p, scope.prefix())
        if hpa is None:
            target = p.get("deployment", "DEPLOYMENT")
            flags = "".join(f" --{flag}={p[key]}" for flag, key in
                            (("min", "min"), ("max", "max"), ("cpu-percent", "cpu_target")) if key in p)
            return GoalResult(False, f"{subject}가 아직 없다. "
                              f"`kubectl autoscale deployment {target}{flags or ' --max=5'}` 명령으로 만들어 보자.")
        problems = []
        for key, label, actual, unit in (("min", "최소 레플리카가", hpa.min_replicas, "개"),
                                          ("max", "최대 레플리카가", hpa.max_replicas, "개"),
                                          ("cpu_target", "CPU 목표 사용률이", hpa.cpu_target, "%")):
            if key in p and actual != p[key]:
                problems.append(f"{subject}의 {label} {ieoya(f'{p[key]}{unit}')} 한다. "
                                f"지금은 {ida(f'{actual}{unit}')}.")
        if problems:
            return GoalResult(False, " ".join(problems))
        return GoalResult(True, f"{subject}가 있다 (최소 {hpa.min_replicas}개, 최대 {hpa.max_replicas}개, "
                          f"CPU 목표 {hpa.cpu_target}%).")


@register
class HpaScaled(Check):
    """The Horizontal Pod Autoscaler changed the replica count at least once (optionally up or down)."""

    kind = "hpa_scaled"
    fields = {"deployment": name, "hpa": name, "direction": choice("up", "down")}

    def validate(self, where: str) -> None:
        self.only_one(where, "deployment", "hpa", required=True)

    def describe(self) -> str:
        verb = {"up": "레플리카를 늘림", "down": "레플리카를 줄임"}.get(self.params.get("direction", ""),
                                                                "레플리카 수를 바꿈")
        return f"{hpa_subject(self.params, self.scope_text())}가 {verb}"

    def check(self, scope: Scope) -> GoalResult:
        p = self.params
        hpa = find_hpa(scope, p)
        subject = hpa_subject(p, scope.prefix())
        if hpa is None:
            target = p.get("deployment", "DEPLOYMENT")
            return GoalResult(False, f"{subject}가 아직 없다. `kubectl autoscale deployment {target} --min=2 --max=6 "
                              "--cpu-percent=50` 명령으로 만들어 보자.")
        ups, downs = _scalings(scope, hpa)
        direction = p.get("direction")
        done = {"up": ups, "down": downs}.get(direction, ups or downs or hpa.last_scale is not None)
        d = scope.cluster.deployments.get(f"{hpa.namespace}/{hpa.target}")
        now = f"지금 레플리카 {d.replicas}개" if d else "대상 디플로이먼트 없음"
        usage = f"CPU 사용률 {hpa.current_utilization}%" if hpa.current_utilization is not None else "CPU 사용률 모름"
        figures = f"{now}, {usage}, 목표 {hpa.cpu_target}%"
        if done:
            what = {"up": "레플리카를 늘렸다", "down": "레플리카를 줄였다"}.get(direction, "레플리카 수를 바꿨다")
            return GoalResult(True, f"{subject}가 {what} (늘림 {ups}번, 줄임 {downs}번; {figures}).")
        if direction == "down":
            return GoalResult(False, f"{subject}가 레플리카를 줄여야 한다. 아직 줄인 적이 없다 ({figures}). "
                              "트래픽을 줄여 보자. 축소는 5분의 안정화 기간이 지난 뒤에 일어난다.")
        what = "늘려야" if direction == "up" else "바꿔야"
        return GoalResult(False, f"{subject}가 레플리카 수를 {what} 한다. 아직 바꾼 적이 없다 ({figures}). "
                          "`sim traffic SERVICE RPS` 명령으로 부하를 높여 보자.")


def _scalings(scope: Scope, hpa: HorizontalPodAutoscaler) -> tuple[int, int]:
    """How many times the HPA has scaled up and down since it was created."""
    return hpa.scale_ups, hpa.scale_downs
