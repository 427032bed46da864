"""Go's ``text/tabwriter``, which kubectl uses to align every table and ``describe`` block.

Re-implemented from the algorithm (column blocks of consecutive lines, a width per block) so that our
spacing matches kubectl's in the odd cases too: short columns, ragged rows, nested describe sections.
"""

from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    """Terminal columns: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def tabwrite(text: str, minwidth: int = 6, padding: int = 3, wide: bool = False) -> str:
    """Align tab-separated cells the way ``tabwriter.NewWriter(out, minwidth, 4, padding, ' ', 0)`` does.

    Go counts characters; ``wide=True`` counts terminal columns instead, for our own Korean tables.
    """
    measure = display_width if wide else len
    lines = [line.split("\t") for line in text.split("\n")]
    out: list[str] = []
    widths: list[int] = []

    def write_lines(start: int, end: int) -> None:
        for row in lines[start:end]:
            parts = []
            for j, cell in enumerate(row):
                if j < len(widths):
                    parts.append(cell + " " * max(0, widths[j] - measure(cell)))
                else:
                    parts.append(cell)
            out.append("".join(parts))

    def fmt(line0: int, line1: int) -> None:
        column = len(widths)
        this = line0
        while this < line1:
            if column >= len(lines[this]) - 1:
                this += 1
                continue
            write_lines(line0, this)
            line0 = this
            width = minwidth
            while this < line1 and column < len(lines[this]) - 1:
                width = max(width, measure(lines[this][column]) + padding)
                this += 1
            widths.append(width)
            fmt(line0, this)
            widths.pop()
            line0 = this
        write_lines(line0, line1)

    fmt(0, len(lines))
    return "\n".join(out)


def table(header: list[str], rows: list[list[str]]) -> str:
    """A kubectl ``get`` table: upper-case headers, tabwriter(minwidth 6, padding 3)."""
    body = "\n".join("\t".join(cells) for cells in [header, *rows])
    return tabwrite(body, minwidth=6, padding=3)
