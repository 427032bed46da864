"""Exercise goals for running a real application: configuration objects, the migration Job, the disruption
budget, and the Ingress with its managed certificate."""

from __future__ import annotations

from typing import Any

from .disruption import budget
from .goal_types import Check, GoalError, GoalResult, Scope, name, register, whole
from .korean import fewer, ga


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
        """"web-secrets 시크릿(Secret)에 SECRET_KEY, DATABASE_URL 키가 있다" (no keys: "…이 있다")."""
        keys = self.params.get("keys")
        subject = f"{self.scope_text()}{self.params[self.kind]} {self.label}"
        return f"{subject}에 {', '.join(keys)} 키가 있다" if keys else f"{ga(subject)} 있다"

    def describe_negated(self) -> str:
        """"web-secrets 시크릿(Secret)이 없다", "… 시크릿(Secret)에 SECRET_KEY, DATABASE_URL 키 중 하나라도 없다"."""
        keys = self.params.get("keys")
        subject = f"{self.scope_text()}{self.params[self.kind]} {self.label}"
        if not keys:
            return f"{ga(subject)} 없다"
        if len(keys) == 1:
            return f"{subject}에 {keys[0]} 키가 없다"
        return f"{subject}에 {', '.join(keys)} 키 중 하나라도 없다"

    def check(self, scope: Scope) -> GoalResult:
        wanted = self.params[self.kind]
        obj = getattr(scope.cluster, self.attr).get(f"{scope.namespace}/{wanted}")
        subject = f"{scope.prefix()}{wanted} {self.label}"
        if obj is None:
            keys = ", ".join(self.params.get("keys", [])) or "필요한"
            return GoalResult(False, f"{subject}이 아직 없다. {self.create.format(name=wanted, keys=keys)}")
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
    create = "`kubectl create secret generic {name}` 명령에 `--from-literal`로 {keys} 키와 값을 넣어 만들어 보자."


@register
class ConfigMapGoal(_ConfigGoal):
    kind = "configmap"
    fields = {"configmap": name, "keys": names}
    required = ("configmap",)
    label, attr = "컨피그맵(ConfigMap)", "configmaps"
    create = ("매니페스트를 `kubectl apply -f -`로 적용하거나 "
              "`kubectl create configmap {name}` 명령에 `--from-literal`로 {keys} 키와 값을 넣어 만들어 보자.")


@register
class JobComplete(Check):
    """A Job has run to completion."""

    kind = "job_complete"
    fields = {"job": name}
    required = ("job",)

    def describe(self) -> str:
        """"migrate 잡(Job)이 완료됐다"."""
        return f"{self.scope_text()}{self.params['job']} 잡(Job)이 완료됐다"

    def describe_negated(self) -> str:
        """"migrate 잡(Job)이 완료되지 않았다"."""
        return f"{self.scope_text()}{self.params['job']} 잡(Job)이 완료되지 않았다"

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
        """"web 인그레스(Ingress)에 주소가 있고 web-cert 인증서가 Active 상태다"."""
        text = f"{self.scope_text()}{self.params['ingress']} 인그레스(Ingress)에 주소가 있"
        if "certificate" in self.params:
            return f"{text}고 {self.params['certificate']} 인증서가 Active 상태다"
        return f"{text}다"

    def describe_negated(self) -> str:
        """"web 인그레스(Ingress)에 주소가 없거나 web-cert 인증서가 Active 상태가 아니다"."""
        text = f"{self.scope_text()}{self.params['ingress']} 인그레스(Ingress)에 주소가 없"
        if "certificate" in self.params:
            return f"{text}거나 {self.params['certificate']} 인증서가 Active 상태가 아니다"
        return f"{text}다"

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
                return GoalResult(False, f"{p['certificate']} 인증서(ManagedCertificate)가 아직 없다. "
                                  "매니페스트를 `kubectl apply -f -`로 적용해 보자.")
            if p["certificate"] not in ingress.certificate_names():
                return GoalResult(False, f"{subject}의 networking.gke.io/managed-certificates 어노테이션에 "
                                  f"{p['certificate']} 인증서 이름이 없다.")
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
        """"web PodDisruptionBudget이 중단을 1개 이상 허용한다" (no number: "…이 있다")."""
        subject = f"{self.scope_text()}{self.params['pdb']} PodDisruptionBudget"  # read 버짓: 이
        at_least = self.params.get("allowed_at_least")
        return f"{subject}이 중단을 {at_least}개 이상 허용한다" if at_least is not None else f"{subject}이 있다"

    def describe_negated(self) -> str:
        """"web PodDisruptionBudget이 없거나 허용하는 중단이 없다"."""
        subject = f"{self.scope_text()}{self.params['pdb']} PodDisruptionBudget"
        at_least = self.params.get("allowed_at_least")
        if not at_least:  # at least 0 holds whenever the budget exists
            return f"{subject}이 없다"
        return f"{subject}이 없거나 {fewer('허용하는 중단이', at_least)}"

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
