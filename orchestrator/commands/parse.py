"""Command-line parsing shared by our kubectl and gcloud: shell words, then flags the way pflag (kubectl)
and argparse (gcloud) read them."""

from __future__ import annotations

import shlex
from dataclasses import dataclass


class CommandError(Exception):
    """A message to show instead of output; the command failed."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def words(line: str) -> list[str]:
    try:
        return shlex.split(line, comments=False, posix=True)
    except ValueError as exc:
        # bash would wait for the closing quote; a one-line console cannot, so say what is wrong.
        raise CommandError(f"명령을 해석할 수 없습니다: 따옴표가 닫히지 않았습니다 ({exc}).") from None


@dataclass(frozen=True)
class Flag:
    name: str
    short: str | None = None
    kind: str = "str"  # str, int or bool
    default: object = None


def parse_flags(args: list[str], flags: list[Flag], usage: str) -> tuple[list[str], dict[str, object]]:
    """pflag's rules: ``--name=v``, ``--name v``, ``-n v``, ``-nv``, bools bare or ``=true|false``,
    and ``--`` ends the flags. Unknown flags fail with kubectl's own message."""
    by_name = {f.name: f for f in flags}
    by_short = {f.short: f for f in flags if f.short}
    values: dict[str, object] = {f.name: f.default for f in flags}
    positional: list[str] = []
    tail = f"\nSee '{usage} --help' for usage."
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            positional.extend(args[i:])
            break
        if arg.startswith("--") and len(arg) > 2:
            name, eq, value = arg[2:].partition("=")
            flag = by_name.get(name)
            if flag is None:
                raise CommandError(f"error: unknown flag: --{name}{tail}")
            shown = f"--{name}"
        elif arg.startswith("-") and len(arg) > 1 and not _is_number(arg):
            letter = arg[1]
            flag = by_short.get(letter)
            if flag is None:
                raise CommandError(f"error: unknown shorthand flag: '{letter}' in {arg}{tail}")
            rest = arg[2:]
            eq = "=" if rest else ""
            value = rest[1:] if rest.startswith("=") else rest
            shown = f"'{letter}' in {arg}"
        else:
            positional.append(arg)
            continue
        if flag.kind == "bool":
            values[flag.name] = _bool(value, flag.name) if eq else True
            continue
        if not eq:
            if i >= len(args):
                raise CommandError(f"error: flag needs an argument: {shown}{tail}")
            value = args[i]
            i += 1
        values[flag.name] = _int(value, flag.name) if flag.kind == "int" else value
    return positional, values


def _is_number(text: str) -> bool:
    return is_digits(text[1:])


def is_digits(text: str) -> bool:
    """Only 0-9, as Go's strconv reads them: str.isdigit() also takes "³" and "٣", which int() then refuses
    or reads as a number kubectl would not."""
    return text.isascii() and text.isdigit()


def _bool(value: str, name: str) -> bool:
    if value.lower() in ("true", "1", "t"):
        return True
    if value.lower() in ("false", "0", "f"):
        return False
    raise CommandError(f'error: invalid argument "{value}" for "--{name}" flag: strconv.ParseBool: '
                       f'parsing "{value}": invalid syntax')


def _int(value: str, name: str) -> int:
    text = value.strip()
    body = text[1:] if text[:1] in "+-" else text
    if not is_digits(body):
        raise CommandError(f'error: invalid argument "{value}" for "--{name}" flag: strconv.ParseInt: '
                           f'parsing "{value}": invalid syntax')
    number = int(text)
    if not -(2**63) <= number < 2**63:
        raise CommandError(f'error: invalid argument "{value}" for "--{name}" flag: strconv.ParseInt: '
                           f'parsing "{value}": value out of range')
    return number
