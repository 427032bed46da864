"""Turning one command line into output: dispatch to kubectl, gcloud, sim or help."""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .parse import CommandError, words
from .readonly import reads_only

if TYPE_CHECKING:
    from ..simulation import Simulation

INTERNAL_ERROR = "시뮬레이터 내부 오류가 발생했습니다. 이 명령은 적용되지 않았을 수 있습니다"
_HEREDOC = re.compile(r"<<-?\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\1\s*$")
_SHELL_OPERATORS = {"|", "||", ">", ">>", "<", "&&", ";", "&"}
# Tests flip this to see the traceback of a bug instead of the learner-facing message.
RAISE_INTERNAL_ERRORS = False


@dataclass(frozen=True)
class CommandResult:
    """What a command printed, whether it succeeded (kubectl's exit status 0), and whether it may have changed
    the simulation: False only for the forms commands/readonly.py lists, which leave the snapshot as it was
    (a caller that stores the snapshot need not write it again)."""

    text: str
    ok: bool
    changed: bool = True


def dispatch(sim: Simulation, line: str) -> CommandResult:
    if not isinstance(line, str):
        return CommandResult("명령은 문자열이어야 합니다.", False, changed=False)
    line = line.replace("\x00", "")
    line, stdin = split_stdin(line)
    limit = sim.limits.max_command_length
    if len(line) > limit:
        return CommandResult(f"명령이 너무 깁니다: {len(line):,}자 (최대 {limit:,}자).", False, changed=False)
    if len(stdin.encode()) > sim.limits.max_manifest_bytes:
        return CommandResult(f"입력이 너무 큽니다: {len(stdin.encode()):,}바이트 "
                             f"(최대 {sim.limits.max_manifest_bytes:,}바이트).", False, changed=False)
    sim.stdin = stdin
    changed = False  # a line that cannot even be split into words runs nothing
    try:
        argv = words(line)
        changed = not reads_only(argv)
        if not argv:
            return CommandResult("", True, changed=False)
        if any(word in _SHELL_OPERATORS for word in argv):
            return CommandResult("이 콘솔은 셸이 아니어서 파이프(|), 리디렉션(>), 명령 연결(&&, ;)은 쓸 수 없습니다. "
                                 "명령을 하나씩 입력해 주세요.", False, changed=False)
        program, args = argv[0], argv[1:]
        handler = _PROGRAMS.get(program)
        if handler is None:
            return CommandResult(_unknown_program(program), False, changed=False)
        text = handler(sim, args)
        return CommandResult(_cut(text, sim.limits.max_output_chars), True, changed)
    except CommandError as exc:
        # A failed command may still have changed something first (one bad document in a multi-document
        # apply), so the flag is the form's, not the outcome's.
        return CommandResult(exc.text, False, changed)
    except Exception:
        if RAISE_INTERNAL_ERRORS:
            raise
        return CommandResult(f"{INTERNAL_ERROR}.\n{traceback.format_exc(limit=1).splitlines()[-1]}", False)
    finally:
        sim.stdin = ""


def _cut(text: str, limit: int) -> str:
    """Output over the limit, cut at a line end, with a note saying so (the console keeps every answer)."""
    if len(text) <= limit:
        return text
    head = text[:limit].rpartition("\n")[0] or text[:limit]
    return (f"{head}\n… 출력이 너무 길어 앞의 {len(head):,}자만 보여 줍니다 (전체 {len(text):,}자). "
            "-n, -l 또는 이름으로 범위를 좁혀 보세요.")


def split_stdin(text: str) -> tuple[str, str]:
    """The console sends one block: the command on the first line, anything after it is standard input
    (a manifest for ``kubectl apply -f -``). A here-document (``<<EOF`` … ``EOF``) is unwrapped."""
    first, _, rest = text.partition("\n")
    match = _HEREDOC.search(first)
    if match:
        first = first[: match.start()].rstrip()
        marker = match.group(2)
        body = []
        for row in rest.split("\n"):
            if row.strip() == marker:
                break
            body.append(row)
        rest = "\n".join(body)
    return first.strip(), rest


def _unknown_program(program: str) -> str:
    if program == "---" or program.endswith(":"):  # a manifest pasted at the prompt on its own
        return (f"{program}: 알 수 없는 명령입니다. YAML 매니페스트는 명령이 아니라서 그대로 실행할 수 없습니다.\n"
                "첫 줄에 kubectl apply -f - 를 쓰고 Shift+Enter로 줄을 바꾼 뒤, 그 아래에 YAML을 붙여 넣어 보세요.")
    return (f"{program}: 알 수 없는 명령입니다. 이 콘솔에서는 kubectl, gcloud, sim, help를 쓸 수 있습니다.\n"
            "명령 목록은 help를 입력해 보세요.")


def _kubectl(sim, args):
    from .kubectl import kubectl

    return kubectl(sim, args)


def _gcloud(sim, args):
    from .gcloud import gcloud

    return gcloud(sim, args)


def _sim(sim, args):
    from .sim import sim_command

    return sim_command(sim, args)


def _help(sim, args):
    from .help import help_text

    return help_text(args)


_PROGRAMS = {"kubectl": _kubectl, "k": _kubectl, "gcloud": _gcloud, "sim": _sim, "help": _help}
