"""Exercise goals for running a real application: configuration objects, the migration Job, the disruption
budget, and the Ingress with its managed certificate."""

from __future__ import annotations

from typing import Any

from .disruption import budget
from .goals import Check, GoalError, GoalResult, Scope, name, register, whole


def names(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise GoalError(f"{where}: must be a non-empty list of names")
    return [v.strip() for v in value]


class _ConfigGoal(Check):
    """A ConfigMap or Secret exists and holds the keys the application reads."""

    label = ""
    attr = ""
    create = ""

    def describe(self) -> str:
        keys = self.params.get("keys")
        text = f"{self.scope_text()}{self.params[self.kind]} {self.label}"
        return f"{text} (키 {', '.join(keys)})" if keys else text

    def check(self, scope: Scope) -> GoalResult:
        wanted = self.params[self.kind]
        obj = getattr(scope.cluster, self.attr).get(f"{scope.namespace}/{wanted}")
        subject = f"{scope.prefix()}{wanted} {self.label}"
        if obj is None:
            return GoalResult(False, f"{subject}이 아직 없다. {self.create.format(name=wanted)}")
        missing = [k for k in self.params.get("keys", []) if k not in obj.data]
        if missing:
            return GoalResult(False, f"{subject}에 {', '.join(missing)} 키가 있어야 한다. 지금 있는 키: "
                              f"{', '.join(sorted(obj.data)) or '없음'}.")
        return GoalResult(True, f"{subject}이 있다 (키 {len(obj.data)}개).")


@register
class SecretGoal(_ConfigGoal):
    kind = "secret"
    fields = {"secret": name, "keys": names}
    required = ("secret",)
    label, attr = "시크릿(Secret)", "secrets"
    create = "`kubectl create secret generic {name} --from-literal=KEY=VALUE` 명령으로 만들어 보자."


@register
class ConfigMapGoal(_ConfigGoal):
    kind = "configmap"
    fields = {"configmap": name, "keys": names}
    required = ("configmap",)
    label, attr = "컨피그맵(ConfigMap)", "configmaps"
    create = ("매니페스트를 `kubectl apply -f -`로 적용하거나 "
              "`kubectl create configmap {name} --from-literal=KEY=VALUE`로 만들어 보자.")


@register
class JobComplete(Check):
    """A Job has run to completion."""

    kind = "job_complete"
    fields = {"job": name}
    required = ("job",)

    def describe(self) -> str:
        return f"{self.scope_text()}{self.params['job']} 잡(Job) 완료"

    def check(self, scope: Scope) -> GoalResult:
        wanted = self.params["job"]
        job = scope.cluster.jobs.get(f"{scope.namespace}/{wanted}")
        subject = f"{scope.prefix()}{wanted} 잡(Job)"
        if job is None:
            return GoalResult(False, f"{subject}이 아직 없다. 잡 매니페스트를 `kubectl apply -f -`로 적용해 보자.")
        if not job.complete:
            pods = [p for p in scope.cluster.pods.values() if p.owner_kind == "Job" and p.owner == job.name
                    and p.namespace == job.namespace and not p.finished]
            why = f" 파드 상태: {pods[0].status_text}." if pods else ""
            return GoalResult(False, f"{subject}이 아직 끝나지 않았다 (완료 {job.succeeded}/{job.completions}).{why} "
                              "`kubectl get jobs`와 `kubectl get pods`로 지켜보자.")
        return GoalResult(True, f"{subject}이 끝났다 (완료 {job.succeeded}/{job.completions}).")


@register
class IngressAddress(Check):
    """An Ingress has its load balancer's address (and, optionally, serves an Active managed certificate)."""

    kind = "ingress_address"
    fields = {"ingress": name, "certificate": name}
    required = ("ingress",)

    def describe(self) -> str:
        cert = f", {self.params['certificate']} 인증서 Active" if "certificate" in self.params else ""
        return f"{self.scope_text()}{self.params['ingress']} 인그레스(Ingress)에 주소{cert}"

    def check(self, scope: Scope) -> GoalResult:
        p = self.params
        ingress = scope.cluster.ingresses.get(f"{scope.namespace}/{p['ingress']}")
        subject = f"{scope.prefix()}{p['ingress']} 인그레스(Ingress)"
        if ingress is None:
            return GoalResult(False, f"{subject}가 아직 없다. 인그레스 매니페스트를 `kubectl apply -f -`로 "
                              "적용해 보자.")
        if ingress.address is None:
            why = (f" 백엔드 서비스를 찾지 못했다: {ingress.problem}" if ingress.problem
                   else " 부하 분산기가 만들어지기를 조금 기다려 보자.")
            return GoalResult(False, f"{subject}에 아직 주소가 없다.{why}")
        if "certificate" in p:
            cert = scope.cluster.certificates.get(f"{scope.namespace}/{p['certificate']}")
            if cert is None:
                return GoalResult(False, f"{p['certificate']} ManagedCertificate가 아직 없다.")
            if p["certificate"] not in ingress.certificate_names():
                return GoalResult(False, f"{subject}의 networking.gke.io/managed-certificates 어노테이션에 "
                                  f"{p['certificate']}가 없다.")
            if cert.status != "Active":
                return GoalResult(False, f"{p['certificate']} 인증서가 아직 {cert.status} 상태다. 발급을 기다려 보자.")
        cert = f", 인증서 {p['certificate']} Active" if "certificate" in p else ""
        return GoalResult(True, f"{subject}의 주소는 {ingress.address}다{cert}.")


@register
class DisruptionBudget(Check):
    """A PodDisruptionBudget exists and currently allows at least N voluntary disruptions."""

    kind = "pdb"
    fields = {"pdb": name, "allowed_at_least": whole}
    required = ("pdb",)

    def describe(self) -> str:
        at_least = self.params.get("allowed_at_least")
        extra = f" (허용되는 중단 {at_least}개 이상)" if at_least is not None else ""
        return f"{self.scope_text()}{self.params['pdb']} PodDisruptionBudget{extra}"

    def check(self, scope: Scope) -> GoalResult:
        p = self.params
        pdb = scope.cluster.pdbs.get(f"{scope.namespace}/{p['pdb']}")
        subject = f"{scope.prefix()}{p['pdb']} PodDisruptionBudget"
        if pdb is None:
            return GoalResult(False, f"{subject}이 아직 없다. 매니페스트를 `kubectl apply -f -`로 적용해 보자.")
        allowed = budget(scope.cluster, pdb).allowed
        if allowed < p.get("allowed_at_least", 0):
            return GoalResult(False, f"{subject}이 허용하는 중단이 {p['allowed_at_least']}개 이상이어야 한다. "
                              f"지금은 {allowed}개다. 준비된 파드가 충분한지 `kubectl get pdb`로 확인해 보자.")
        return GoalResult(True, f"{subject}이 있다 (허용되는 중단 {allowed}개).")
