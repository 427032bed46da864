"""An instructor's short hint to one learner, shown in the learner's sandbox.

The hint is a ``system`` entry in the sandbox's command log, like a drill's announcement: the learner's
console keeps it in the history, and the live region shows the latest recent system entry as an alert on
the next poll. The entry is written in the same transaction as a save of the sandbox, because the live region
looks system entries up once per sandbox version (see ``sandbox.views._announcement``); the save catches up
simulated time exactly as the learner's own next poll would, and leaves the learner's undo as it was.
"""

from __future__ import annotations

from sandbox.models import Conflict, Sandbox, SnapshotTooLarge, UnreadableSnapshot, run_atomically

MAX_CHARS = 300  # a hint, not a lecture: about two console lines


class HintRefused(Exception):
    """Why the hint was not sent, in Korean for the instructor."""


def clean(text: str) -> str:
    """The hint as it will be shown, or HintRefused with the reason."""
    text = " ".join(text.split())  # one paragraph: the announcement is a single line
    if not text:
        raise HintRefused("보낼 힌트를 입력해 주세요.")
    if "\x00" in text or not text.isprintable():
        raise HintRefused("힌트에 쓸 수 없는 문자가 있습니다.")
    if len(text) > MAX_CHARS:
        raise HintRefused(f"힌트는 {MAX_CHARS}자까지 보낼 수 있습니다 (지금 {len(text)}자).")
    return text


def target_sandbox(learner, lesson: str = "") -> Sandbox | None:
    """The sandbox the learner is looking at for ``lesson`` (the newest, as the lesson page opens it), else
    their most recently used sandbox of any kind."""
    sandboxes = Sandbox.objects.filter(owner_user=learner).defer("state", "undo_state").order_by("-updated")
    return (sandboxes.filter(lesson=lesson).first() if lesson else None) or sandboxes.first()


def send(learner, text: str, lesson: str = "") -> Sandbox:
    """Leave ``text`` (already ``clean``) in the learner's sandbox for ``lesson``; the sandbox it went to."""
    sandbox = target_sandbox(learner, lesson)
    if sandbox is None:
        raise HintRefused("이 수강생은 아직 샌드박스를 연 적이 없어 힌트를 보낼 곳이 없습니다.")

    def keep(sandbox, sim):
        return sim, None  # nothing changes in the cluster: the save only moves the version

    def record(sandbox, sim, result):
        sandbox.log_command("", f"강사 힌트: {text}", True, "system", sim.time)

    try:
        sandbox, _, _ = run_atomically(sandbox, keep, then=record)
    except UnreadableSnapshot:
        raise HintRefused("이 수강생의 샌드박스를 읽을 수 없어 힌트를 보내지 못했습니다.") from None
    except SnapshotTooLarge:
        raise HintRefused("이 수강생의 샌드박스가 너무 커서 저장할 수 없어 힌트를 보내지 못했습니다.") from None
    except Conflict:
        raise HintRefused("수강생의 명령과 겹쳐 힌트를 보내지 못했습니다. 다시 보내 주세요.") from None
    return sandbox
