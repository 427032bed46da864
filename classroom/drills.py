"""Fault drills: push one fault into every learner's sandbox for a lesson, then see who has recovered.

Applying. Each learner's current sandbox for the lesson (the newest, the one the lesson page shows) gets
the fault once, through :func:`sandbox.models.run_atomically`, so it is never lost to a learner's
concurrent command. The target inside the learner's own cluster is chosen deterministically:

- ``node-fail``: the node running most of the learner's pods (ties: first by name) → ``sim node fail``;
- ``app-crash``: the learner's largest deployment (ties: first by name) → ``sim app crash``;
- ``traffic-spike``: the learner's first service by name (not ``kubernetes``) gets twice what its ready pods
  can serve, at least twice its current load and at least 100 rps → ``sim traffic``;
- ``bad-rollout``: the largest deployment's first container is set to a tag of the same repository that
  does not exist (``nginx:9.9.9``) → ``kubectl set image``.

The same transaction records a :class:`DrillTarget` (unique per drill and sandbox, so a second application
rolls back) and a ``system`` command log whose output is the Korean announcement.

Recovery. A drill-specific condition, not the lesson's goals: learners often have not finished the lesson
when a drill starts, and some lessons' goals contradict each other (one exercise crashes the app, the
next heals it), so "the goals hold again" would be unfair or unreachable. The conditions:

- ``node-fail``: every deployment's replicas are ready again, and the node is Ready again (or gone) or none
  of the learner's live pods is left on it (they were rescheduled);
- ``app-crash``: the app is healed (``sim app heal``) and every replica of the deployment is ready;
- ``traffic-spike``: the service answers at least the spike's load with an error rate of 5 % or less
  (lowering the traffic does not count: real users do not stop because we ask them);
- ``bad-rollout``: the deployment no longer uses the broken image and its rollout has finished.

Recovery is judged lazily, when an instructor looks at the results, on the snapshot the learner's own page
last saved (the instructor's page never advances or writes a learner's cluster). ``recovered_at`` is the
time that snapshot was saved, so the time to recover is not inflated by when the instructor looked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from orchestrator import Simulation, goals
from orchestrator.goals import GoalResult
from sandbox.models import (
    NOTHING_TO_UNDO,
    Conflict,
    Sandbox,
    SnapshotTooLarge,
    UnreadableSnapshot,
    run_atomically,
)

from .models import Classroom, Drill, DrillTarget

FAULT_LABELS = dict(Drill.FAULTS)
# A second POST of the same drill (a double click, a resubmitted form) within this window shows the first one.
DUPLICATE_WINDOW = timedelta(seconds=60)
MAX_ERROR_RATE = 0.05
BROKEN_TAG = "9.9.9"
NAMESPACE = "default"
CRITERIA = {
    "node-fail": "노드가 다시 Ready가 되거나 파드가 다른 노드로 옮겨지고, 모든 디플로이먼트의 레플리카가 다시 준비되면 "
                 "복구된 것으로 봅니다.",
    "app-crash": "애플리케이션을 고치고 디플로이먼트의 레플리카가 모두 다시 준비되면 복구된 것으로 봅니다.",
    "traffic-spike": "늘어난 트래픽을 그대로 받으면서 오류율이 5% 이하로 내려가면 복구된 것으로 봅니다.",
    "bad-rollout": "디플로이먼트가 잘못된 이미지를 더 쓰지 않고 롤아웃이 끝나면 복구된 것으로 봅니다.",
}


class NoTarget(Exception):
    """The learner's cluster has nothing this fault can hit; the message says what is missing (Korean)."""


@dataclass
class Report:
    """What starting a drill did: the targets created and the learners skipped, with the reason."""

    applied: list[DrillTarget] = field(default_factory=list)
    skipped: list[tuple[object, str]] = field(default_factory=list)  # (user, reason)


@dataclass
class Row:
    """One learner's line in the drill results."""

    user: object
    target: DrillTarget | None
    status: str  # recovered, pending, skipped
    note: str

    @property
    def status_label(self) -> str:
        return {"recovered": "복구함", "pending": "복구 중", "skipped": "건너뜀"}[self.status]

    @property
    def duration(self) -> timedelta | None:
        if self.target is None or self.target.recovered_at is None:
            return None
        return self.target.recovered_at - self.target.applied_at

    @property
    def duration_text(self) -> str:
        if self.duration is None:
            return ""
        seconds = max(0, int(self.duration.total_seconds()))
        minutes, seconds = divmod(seconds, 60)
        hours, minutes = divmod(minutes, 60)
        if hours:
            return f"{hours}시간 {minutes}분"
        return f"{minutes}분 {seconds}초" if minutes else f"{seconds}초"


# --- choosing and applying the fault ----------------------------------------------------------------


def _cluster(sim):
    cluster = sim.current_cluster()
    if cluster is None:
        raise NoTarget("클러스터가 없습니다")
    return cluster


def _deployments(cluster) -> list:
    """The learner's deployments, largest first (ties by name)."""
    found = [d for d in cluster.deployments.values() if d.namespace == NAMESPACE]
    return sorted(found, key=lambda d: (-d.replicas, d.name))


def _largest_deployment(cluster):
    found = _deployments(cluster)
    if not found:
        raise NoTarget("디플로이먼트가 없습니다")
    return found[0]


def broken_image(image: str) -> str:
    """The same repository with a tag that does not exist: ``nginx:1.27`` → ``nginx:9.9.9``."""
    repository = image.split("@", 1)[0]
    last = repository.rsplit("/", 1)[-1]
    if ":" in last:
        repository = repository.rsplit(":", 1)[0]
    tag = BROKEN_TAG if not image.endswith(f":{BROKEN_TAG}") else f"{BROKEN_TAG}-broken"
    return f"{repository}:{tag}"


def _spike_rps(cluster, service) -> int:
    from orchestrator import catalog
    from orchestrator.controllers.traffic import DEFAULT_POD_CPU_CAPACITY
    from orchestrator.services import endpoints

    capacity = 0.0
    for pod in endpoints(cluster, service):
        image = catalog.find_image(pod.containers[0]["image"])
        cost = image.cpu_per_rps if image else 0.5
        capacity += (pod.containers[0].get("limit_cpu") or DEFAULT_POD_CPU_CAPACITY) / cost
    return int(math.ceil(max(100.0, 2 * capacity, 2 * service.rps) / 100) * 100)


def fault_command(fault: str, sim) -> str:
    """The engine command that applies ``fault`` to this learner's cluster; :class:`NoTarget` if none fits."""
    cluster = _cluster(sim)
    if fault == "node-fail":
        nodes = [n for n in cluster.nodes.values() if n.down_since is None]
        if not nodes:
            raise NoTarget("동작 중인 노드가 없습니다")
        pods: dict[str, int] = {}
        for pod in cluster.pods.values():
            if pod.namespace == NAMESPACE and pod.node and not pod.terminating:
                pods[pod.node] = pods.get(pod.node, 0) + 1
        node = min(nodes, key=lambda n: (-pods.get(n.name, 0), n.name))
        return f"sim node fail {node.name}"
    if fault == "app-crash":
        return f"sim app crash {_largest_deployment(cluster).name}"
    if fault == "traffic-spike":
        services = sorted((s for s in cluster.services.values()
                           if s.namespace == NAMESPACE and s.name != "kubernetes"), key=lambda s: s.name)
        if not services:
            raise NoTarget("서비스가 없습니다")
        return f"sim traffic {services[0].name} {_spike_rps(cluster, services[0])}"
    if fault == "bad-rollout":
        d = _largest_deployment(cluster)
        containers = d.template.get("containers") or []
        if not containers:
            raise NoTarget("컨테이너가 없습니다")
        return f"kubectl set image deployment/{d.name} {containers[0]['name']}={broken_image(containers[0]['image'])}"
    raise ValueError(f"unknown fault {fault!r}")


def announcement(fault: str, engine_output: str) -> str:
    """What the learner's console shows under the drill's command."""
    return (f"강사가 장애 훈련을 시작했습니다: {FAULT_LABELS[fault]}. 클러스터를 원래대로 되돌려 보세요.\n"
            f"{engine_output}\n{CRITERIA[fault]}")


def start(classroom: Classroom, lesson: str, fault: str, user) -> tuple[Drill, Report | None]:
    """Start a drill and apply it; a repeat of the same drill within :data:`DUPLICATE_WINDOW` returns the
    earlier drill and ``None`` instead of applying anything again."""
    with transaction.atomic():
        # Serialises two starts for one class (PostgreSQL; SQLite's IMMEDIATE transactions already do).
        Classroom.objects.select_for_update().filter(pk=classroom.pk).exists()
        recent = classroom.drills.filter(lesson=lesson, fault=fault,
                                         started_at__gte=timezone.now() - DUPLICATE_WINDOW).first()
        if recent is not None:
            return recent, None
        drill = Drill.objects.create(classroom=classroom, lesson=lesson, fault=fault, started_by=user)
    return drill, apply(drill)


def current_sandboxes(classroom: Classroom, lesson: str) -> dict[int, Sandbox]:
    """Each member's newest sandbox for the lesson, by user id (two queries; states only for those)."""
    newest: dict[int, object] = {}
    rows = Sandbox.objects.filter(owner_user__in=classroom.learners(), lesson=lesson).order_by("created")
    for pk, user_id in rows.values_list("pk", "owner_user_id"):
        newest[user_id] = pk
    by_pk = Sandbox.objects.in_bulk(list(newest.values()))
    return {user_id: by_pk[pk] for user_id, pk in newest.items() if pk in by_pk}


def apply(drill: Drill) -> Report:
    """Apply the drill to every member's current sandbox for its lesson, each at most once."""
    report = Report()
    sandboxes = current_sandboxes(drill.classroom, drill.lesson)
    done = set(drill.targets.values_list("sandbox_id", flat=True))
    for learner in drill.classroom.learners():
        sandbox = sandboxes.get(learner.pk)
        if sandbox is None:
            report.skipped.append((learner, "이 레슨의 샌드박스가 없습니다"))
        elif sandbox.pk in done:
            report.skipped.append((learner, "이미 적용했습니다"))
        else:
            try:
                report.applied.append(apply_to(drill, sandbox))
            except NoTarget as exc:
                report.skipped.append((learner, str(exc)))
            except IntegrityError:
                report.skipped.append((learner, "이미 적용했거나 다른 요청과 겹쳤습니다"))
            except UnreadableSnapshot:
                report.skipped.append((learner, "샌드박스의 저장된 상태를 읽을 수 없습니다"))
            except SnapshotTooLarge:
                report.skipped.append((learner, "샌드박스의 클러스터가 너무 커서 저장할 수 없습니다"))
            except Conflict:
                report.skipped.append((learner, "학습자의 명령과 계속 겹쳐 적용하지 못했습니다. 다시 적용해 보세요"))
    return report


def apply_to(drill: Drill, sandbox: Sandbox) -> DrillTarget:
    """Apply the fault to one sandbox: its state, the target row and the console announcement commit together."""

    def change(sandbox, sim):
        text = fault_command(drill.fault, sim)
        result = sim.execute(text)
        if not result.ok:  # rolls the whole change back: nothing was applied
            raise NoTarget(result.text.splitlines()[0] if result.text else "명령이 실패했습니다")
        return sim, (text, result.text)

    created: list[DrillTarget] = []

    def record(sandbox, sim, result):
        text, output = result
        # Raises IntegrityError (rolling the state back too) if this sandbox already has this drill.
        created.append(DrillTarget.objects.create(drill=drill, sandbox=sandbox, applied_sim_time=sim.time,
                                                  command=text))
        sandbox.log_command(text, announcement(drill.fault, output), True, "system", sim.time)

    # The learner's undo must not take the fault back: it would go to before the drill.
    run_atomically(sandbox, change, then=record, **NOTHING_TO_UNDO)
    return created[-1]


# --- recovery ---------------------------------------------------------------------------------------


def recovery(fault: str, command: str, sim, applied_sim_time: float = 0.0) -> GoalResult:
    """Whether the learner's simulation has recovered from the fault ``command`` applied (see the module
    docstring for each fault's condition), with a Korean sentence saying what still fails."""
    if sim.time <= applied_sim_time:
        return GoalResult(False, "훈련을 시작한 뒤로 아직 시간이 흐르지 않았습니다.")
    words = command.split()
    if fault == "node-fail":
        return _node_recovered(sim, words[-1])
    cluster = sim.current_cluster()
    if cluster is None:
        return GoalResult(False, "kubectl이 가리키는 클러스터가 없습니다.")
    where = {"cluster": cluster.name}
    if fault == "app-crash":
        name = words[-1]
        if f"{NAMESPACE}/{name}" in cluster.crashing:
            return GoalResult(False, f"{name} 디플로이먼트의 애플리케이션이 아직 고장 난 상태다.")
        return goals.load({"ready_replicas": {"deployment": name, **where}}).evaluate(sim)
    if fault == "traffic-spike":
        service, rps = words[2], float(words[3])
        return goals.load({"traffic": {"service": service, "max_error_rate": MAX_ERROR_RATE, "min_rps": rps,
                                       **where}}).evaluate(sim)
    if fault == "bad-rollout":
        name = words[3].split("/", 1)[1]
        image = words[4].split("=", 1)[1]
        d = cluster.deployments.get(f"{NAMESPACE}/{name}")
        if d is not None and any(c.get("image") == image for c in d.template.get("containers", [])):
            return GoalResult(False, f"{name} 디플로이먼트가 아직 없는 이미지({image})를 쓴다.")
        return goals.load({"rollout_finished": {"deployment": name, **where}}).evaluate(sim)
    raise ValueError(f"unknown fault {fault!r}")


def _node_recovered(sim, node_name: str) -> GoalResult:
    cluster = next((c for c in sim.clusters.values() if node_name in c.nodes), None) or sim.current_cluster()
    if cluster is None:
        return GoalResult(False, "클러스터가 없습니다.")
    where = {"cluster": cluster.name}
    names = [d.name for d in _deployments(cluster)]
    ready = (goals.load({"all": [{"ready_replicas": {"deployment": n, **where}} for n in names]}).evaluate(sim)
             if names else GoalResult(True, "디플로이먼트가 없다."))
    node = cluster.nodes.get(node_name)
    if node is None or (node.down_since is None and node.ready == "True"):
        node_ok = GoalResult(True, f"{node_name} 노드가 다시 Ready다." if node else f"{node_name} 노드가 없다.")
    else:
        node_ok = goals.load({"no_pod_on_node": {"node": node_name, **where}}).evaluate(sim)
        if not node_ok.passed:
            node_ok = GoalResult(False, f"{node_name} 노드가 아직 Ready가 아니다. {node_ok.message}")
    if node_ok.passed and ready.passed:
        return GoalResult(True, f"{node_ok.message} {ready.message}")
    return GoalResult(False, " ".join(r.message for r in (node_ok, ready) if not r.passed))


def results(drill: Drill) -> list[Row]:
    """Every member's line, checking recovery first for targets not yet recovered (and saving it once)."""
    now = timezone.now()
    targets = {t.sandbox.owner_user_id: t for t in drill.targets.select_related("sandbox")}
    rows = []
    for learner in drill.classroom.learners():
        target = targets.pop(learner.pk, None)
        rows.append(_row(drill, learner, target, now))
    # Learners who left the class since still have their line.
    for target in targets.values():
        rows.append(_row(drill, target.sandbox.owner_user, target, now))
    return rows


def _row(drill: Drill, learner, target: DrillTarget | None, now) -> Row:
    if target is None:
        return Row(learner, None, "skipped", "이 레슨의 샌드박스가 없었거나 적용할 대상이 없었습니다")
    if target.recovered_at is not None:
        return Row(learner, target, "recovered", "")
    try:
        sim = Simulation.from_json(target.sandbox.state)
    except Exception:  # damaged, or another engine's schema: the learner's own page offers a fresh start
        return Row(learner, target, "pending", "샌드박스의 저장된 상태를 읽을 수 없습니다")
    result = recovery(drill.fault, target.command, sim, target.applied_sim_time)
    if not result.passed:
        return Row(learner, target, "pending", result.message)
    at = min(now, max(target.applied_at, target.sandbox.updated))
    # Only the first look records it: a concurrent look must not move the time.
    DrillTarget.objects.filter(pk=target.pk, recovered_at__isnull=True).update(recovered_at=at)
    target.recovered_at = at
    return Row(learner, target, "recovered", "")


def summary(rows: list[Row]) -> dict[str, int]:
    counts = {"recovered": 0, "pending": 0, "skipped": 0}
    for row in rows:
        counts[row.status] += 1
    counts["applied"] = counts["recovered"] + counts["pending"]
    return counts
