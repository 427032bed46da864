"""Exercise goals about deployments: existence, readiness, spreading, rollouts and rollbacks."""

from __future__ import annotations

from .controllers.deployment import new_replicaset, status
from .goal_checks import (
    count_text,
    find_deployment,
    image,
    images,
    meets,
    no_deployment,
    not_count,
    pods_of,
    same_image,
)
from .goal_types import Check, GoalError, GoalResult, Scope, name, positive, register, whole
from .korean import chain, fewer, ida, ieoya
from .model import Deployment

# --- deployments ------------------------------------------------------------------------------------


@register
class DeploymentExists(Check):
    """A deployment exists, optionally running an image."""

    kind = "deployment_exists"
    fields = {"deployment": name, "image": image}
    required = ("deployment",)

    def describe(self) -> str:
        """"web 디플로이먼트가 nginx:1.27 이미지로 있다"."""
        text = f"{self.scope_text()}{self.params['deployment']} 디플로이먼트가 "
        return text + (f"{self.params['image']} 이미지로 있다" if "image" in self.params else "있다")

    def describe_negated(self) -> str:
        """"web 디플로이먼트가 없다", "web 디플로이먼트가 없거나 nginx:1.27 이미지를 쓰지 않는다"."""
        text = f"{self.scope_text()}{self.params['deployment']} 디플로이먼트가 없"
        return text + (f"거나 {self.params['image']} 이미지를 쓰지 않는다" if "image" in self.params else "다")

    def check(self, scope: Scope) -> GoalResult:
        name_, want = self.params["deployment"], self.params.get("image")
        d = find_deployment(scope, name_)
        if d is None:
            hint = f"`kubectl create deployment {name_} --image={want}` 명령으로 만들어 보자." if want else ""
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
        """"web 디플로이먼트의 준비된 레플리카가 3개 이상이다" (정확히 3개다; 레플리카가 모두 준비됐다)."""
        deployment = f"{self.scope_text()}{self.params['deployment']} 디플로이먼트"
        at_least, exactly = self.params.get("at_least"), self.params.get("exactly")
        if at_least is None and exactly is None:
            return f"{deployment}의 레플리카가 모두 준비됐다"
        return f"{deployment}의 준비된 레플리카가 {ida(count_text(at_least, exactly))}"

    def describe_negated(self) -> str:
        """"web 디플로이먼트에 준비된 레플리카가 없다" (at least 1), "… 3개 미만이다", "… 정확히 3개가 아니다"."""
        deployment = f"{self.scope_text()}{self.params['deployment']} 디플로이먼트"
        at_least, exactly = self.params.get("at_least"), self.params.get("exactly")
        if at_least is None and exactly is None:
            return f"{deployment}의 레플리카가 모두 준비되지는 않았다"
        if exactly is None and at_least == 0:
            return f"{deployment}가 없다"  # at least 0 holds whenever the deployment exists
        if exactly is None and at_least == 1:
            return f"{deployment}에 준비된 레플리카가 없다"
        return f"{deployment}의 {not_count('준비된 레플리카가', at_least, exactly)}"

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
        """"web 디플로이먼트의 준비된 파드가 서로 다른 노드 3개에 나뉘어 있다"."""
        parts = [f"노드 {self.params['nodes']}개"] if "nodes" in self.params else []
        parts += [f"가용성 영역 {self.params['zones']}개"] if "zones" in self.params else []
        return (f"{self.scope_text()}{self.params['deployment']} 디플로이먼트의 준비된 파드가 "
                f"서로 다른 {', '.join(parts)}에 나뉘어 있다")

    def describe_negated(self) -> str:
        """"web 디플로이먼트의 준비된 파드가 있는 노드가 3개 미만이다"."""
        parts = [fewer("노드가", self.params["nodes"])] if "nodes" in self.params else []
        parts += [fewer("가용성 영역이", self.params["zones"])] if "zones" in self.params else []
        return (f"{self.scope_text()}{self.params['deployment']} 디플로이먼트의 준비된 파드가 있는 "
                f"{chain(parts, '거나')}")

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
        """"gke-demo-pool-abcd 노드에 web 디플로이먼트의 파드가 없다"."""
        return f"{self._where()}가 없다"

    def describe_negated(self) -> str:
        """"gke-demo-pool-abcd 노드에 web 디플로이먼트의 파드가 있다"."""
        return f"{self._where()}가 있다"

    def _where(self) -> str:
        what = f"{self.params['deployment']} 디플로이먼트의 파드" if "deployment" in self.params else "파드"
        return f"{self.cluster_text()}{self.params['node']} 노드에 {self.namespace_text()}{what}"

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
        """"web 디플로이먼트가 nginx:1.26 이미지로 롤아웃을 마쳤다" (no image: "…의 롤아웃이 끝났다")."""
        deployment = f"{self.scope_text()}{self.params['deployment']} 디플로이먼트"
        if "image" in self.params:
            return f"{deployment}가 {self.params['image']} 이미지로 롤아웃을 마쳤다"
        return f"{deployment}의 롤아웃이 끝났다"

    def describe_negated(self) -> str:
        """"web 디플로이먼트가 nginx:1.26 이미지로 롤아웃을 마치지 않았다"."""
        deployment = f"{self.scope_text()}{self.params['deployment']} 디플로이먼트"
        if "image" in self.params:
            return f"{deployment}가 {self.params['image']} 이미지로 롤아웃을 마치지 않았다"
        return f"{deployment}의 롤아웃이 끝나지 않았다"

    def check(self, scope: Scope) -> GoalResult:
        name_, want = self.params["deployment"], self.params.get("image")
        d = find_deployment(scope, name_)
        if d is None:
            return no_deployment(scope, name_)
        subject = f"{scope.prefix()}{name_} 디플로이먼트"
        have = images(d)
        if want is not None and not any(same_image(want, i) for i in have):
            container = (d.template.get("containers") or [{}])[0].get("name")
            how = (f"`kubectl set image deployment/{name_} {container}={want}` 명령으로 바꿔 보자." if container
                   else "`kubectl set image` 명령으로 바꿔 보자.")
            return GoalResult(False, f"{subject}가 {want} 이미지를 써야 한다. 지금 파드 템플릿은 "
                              f"{', '.join(have) or '없음'} 이미지를 쓴다. {how}")
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
        """"web 디플로이먼트를 롤백했다"."""
        return f"{self.scope_text()}{self.params['deployment']} 디플로이먼트를 롤백했다"

    def describe_negated(self) -> str:
        """"web 디플로이먼트를 롤백한 적이 없다"."""
        return f"{self.scope_text()}{self.params['deployment']} 디플로이먼트를 롤백한 적이 없다"

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
