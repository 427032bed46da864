"""Exercise goals about services, traffic and the Horizontal Pod Autoscaler."""

from __future__ import annotations

from .goal_checks import SERVICE_TYPES, flag
from .goal_types import (
    Check,
    GoalError,
    GoalResult,
    Scope,
    choice,
    name,
    non_negative,
    positive,
    ratio,
    register,
    whole,
)
from .korean import chain, euro, fewer, ga, ida, ieoya, num, pct
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
        """"web 서비스가 있다", "web 서비스의 준비된 엔드포인트가 3개 이상이다", "web-lb 서비스는 LoadBalancer
        유형이고, 준비된 엔드포인트가 3개 이상이고, 외부 IP가 있다"."""
        p = self.params
        subject = f"{self.scope_text()}{p['service']} 서비스"
        facts = [f"{p['type']} 유형이다"] if "type" in p else []
        if "endpoints_at_least" in p:
            facts.append(f"준비된 엔드포인트가 {p['endpoints_at_least']}개 이상이다")
        if "external_ip" in p:
            facts.append(f"외부 IP가 {'있다' if p['external_ip'] else '없다'}")
        if not facts:
            return f"{subject}가 있다"
        if len(facts) == 1 and "type" not in p:  # "web 서비스의 준비된 …", "web 서비스에 외부 IP가 있다"
            return f"{subject}{'의' if 'endpoints_at_least' in p else '에'} {facts[0]}"
        return f"{subject}는 {chain(facts, '고')}"

    def describe_negated(self) -> str:
        """"web 서비스가 없다", "web 서비스에 준비된 엔드포인트가 없다", "web 서비스가 없거나 ClusterIP 유형이
        아니다"."""
        p = self.params
        subject = f"{self.scope_text()}{p['service']} 서비스"
        facts = [f"{p['type']} 유형이 아니다"] if "type" in p else []
        at_least = p.get("endpoints_at_least", 0)
        if at_least:
            facts.append(fewer("준비된 엔드포인트가", at_least))
        if "external_ip" in p:
            facts.append(f"외부 IP가 {'없다' if p['external_ip'] else '있다'}")
        if len(facts) == 1 and "type" not in p and p.get("external_ip") is not False:
            # Without the service these hold too (no endpoints, no address): no need to say "없거나".
            return f"{subject}{'에' if facts[0].endswith('없다') else '의'} {facts[0]}"
        return chain([f"{subject}가 없다", *facts], "거나")

    def check(self, scope: Scope) -> GoalResult:
        p = self.params
        service = scope.cluster.services.get(f"{scope.namespace}/{p['service']}")
        subject = f"{scope.prefix()}{p['service']} 서비스"
        if service is None:
            kind = f"{p['type']} 유형의 " if "type" in p else ""
            return GoalResult(False, f"{subject}가 아직 없다. `kubectl expose deployment` 명령으로 디플로이먼트를 "
                              f"{kind}{p['service']} 서비스로 노출해 보자.")
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
        """"web 서비스의 트래픽 오류율이 1% 이하다", "web 서비스에 초당 요청이 50개 이상 가고 오류율이 1% 이하다"."""
        p = self.params
        subject = f"{self.scope_text()}{p['service']} 서비스"
        rate = ida(f"{pct(p['max_error_rate'])} 이하")
        if "min_rps" in p:
            return f"{subject}에 초당 요청이 {num(p['min_rps'])}개 이상 가고 오류율이 {rate}"
        return f"{subject}의 트래픽 오류율이 {rate}"

    def describe_negated(self) -> str:
        """"web 서비스에 트래픽이 없거나 오류율이 1%보다 높다"."""
        p = self.params
        subject = f"{self.scope_text()}{p['service']} 서비스"
        higher = f"오류율이 {pct(p['max_error_rate'])}보다 높다"
        if "min_rps" in p:
            return f"{subject}에 가는 초당 요청이 {num(p['min_rps'])}개 미만이거나 {higher}"
        return f"{subject}에 트래픽이 없거나 {higher}"

    def check(self, scope: Scope) -> GoalResult:
        p = self.params
        service = scope.cluster.services.get(f"{scope.namespace}/{p['service']}")
        subject = f"{scope.prefix()}{p['service']} 서비스"
        if service is None:
            return GoalResult(False, f"{subject}가 아직 없다. `kubectl expose deployment` 명령으로 디플로이먼트를 "
                              f"{p['service']} 서비스로 노출해 보자.")
        if p.get("min_rps"):
            send = f"`sim traffic {p['service']} {num(p['min_rps'])}` 명령으로 트래픽을 보내 보자."
        else:
            send = "`sim traffic` 명령에 서비스 이름과 초당 요청 수를 주어 트래픽을 보내 보자."
        if service.rps <= 0:
            return GoalResult(False, f"{subject}로 가는 트래픽이 아직 없다. {send}")
        if not service.stats:
            return GoalResult(False, f"{subject}로 트래픽을 보냈지만 아직 처리되지 않았다. "
                              "`sim advance` 명령으로 시간을 조금 흐르게 해 보자.")
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


def hpa_settings(params: dict) -> str:
    """"레플리카 최소 2개, 최대 10개, CPU 목표 70%" (the settings the goal gives), or nothing."""
    bounds = [f"{label} {params[key]}개" for key, label in (("min", "최소"), ("max", "최대")) if key in params]
    if bounds:
        bounds[0] = "레플리카 " + bounds[0]
    cpu = [f"CPU 목표 {params['cpu_target']}%"] if "cpu_target" in params else []
    return ", ".join(bounds + cpu)


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
        """"web 디플로이먼트의 Horizontal Pod Autoscaler가 레플리카 최소 2개, 최대 10개, CPU 목표 70%로 있다"."""
        settings = hpa_settings(self.params)
        return f"{hpa_subject(self.params, self.scope_text())}가 {euro(settings) + ' ' if settings else ''}있다"

    def describe_negated(self) -> str:
        """"web 디플로이먼트의 Horizontal Pod Autoscaler가 없거나 설정이 레플리카 최소 2개, … 가 아니다"."""
        settings = hpa_settings(self.params)
        subject = hpa_subject(self.params, self.scope_text())
        return f"{subject}가 없거나 설정이 {ga(settings)} 아니다" if settings else f"{subject}가 없다"

    def check(self, scope: Scope) -> GoalResult:
        p = self.params
        hpa = find_hpa(scope, p)
        subject = hpa_subject(p, scope.prefix())
        if hpa is None:
            flags = "".join(f" --{flag}={p[key]}" for flag, key in
                            (("min", "min"), ("max", "max"), ("cpu-percent", "cpu_target")) if key in p)
            if "deployment" not in p:
                settings = f" ({hpa_settings(p)})" if hpa_settings(p) else ""
                how = f"`kubectl autoscale` 명령이나 매니페스트로 만들어 보자{settings}."
            elif "max" in p:
                how = f"`kubectl autoscale deployment {p['deployment']}{flags}` 명령으로 만들어 보자."
            else:
                how = (f"`kubectl autoscale deployment {p['deployment']}{flags}` 명령에 `--max`로 최대 레플리카 수를 "
                       "더해 만들어 보자.")
            return GoalResult(False, f"{subject}가 아직 없다. {how}")
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
        """"web 디플로이먼트의 Horizontal Pod Autoscaler가 레플리카를 늘렸다"."""
        verb = {"up": "레플리카를 늘렸다", "down": "레플리카를 줄였다"}.get(self.params.get("direction", ""),
                                                                  "레플리카 수를 바꿨다")
        return f"{hpa_subject(self.params, self.scope_text())}가 {verb}"

    def describe_negated(self) -> str:
        """"web 디플로이먼트의 Horizontal Pod Autoscaler가 레플리카를 늘린 적이 없다"."""
        verb = {"up": "레플리카를 늘린", "down": "레플리카를 줄인"}.get(self.params.get("direction", ""),
                                                               "레플리카 수를 바꾼")
        return f"{hpa_subject(self.params, self.scope_text())}가 {verb} 적이 없다"

    def check(self, scope: Scope) -> GoalResult:
        p = self.params
        hpa = find_hpa(scope, p)
        subject = hpa_subject(p, scope.prefix())
        if hpa is None:
            return GoalResult(False, f"{subject}가 아직 없다. `kubectl autoscale` 명령으로 먼저 만들어야 한다.")
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
                          "`sim traffic` 명령으로 서비스에 보내는 트래픽을 늘려 부하를 높여 보자.")


def _scalings(scope: Scope, hpa: HorizontalPodAutoscaler) -> tuple[int, int]:
    """How many times the HPA has scaled up and down since it was created."""
    return hpa.scale_ups, hpa.scale_downs
