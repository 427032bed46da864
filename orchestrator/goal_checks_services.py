"""Exercise goals about services, traffic and the Horizontal Pod Autoscaler."""

from __future__ import annotations

from .goal_checks import SERVICE_TYPES, flag
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
from .model import HorizontalPodAutoscaler
from .services import endpoints

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
