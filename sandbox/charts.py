"""Small server-rendered SVG line charts: pure functions from time series to drawing data.

No chart library and no JavaScript: the template draws the returned path strings inside an ``<svg>``
whose coordinates are the chart's own (``viewBox``), so the picture scales with its box. Every chart
also carries a Korean text summary for screen readers, since a picture alone says nothing to them.
"""

from __future__ import annotations

import math

WIDTH = 320
HEIGHT = 120
# Room for the y-axis labels on the left and the time labels underneath.
MARGIN_LEFT = 34
MARGIN_RIGHT = 8
MARGIN_TOP = 8
MARGIN_BOTTOM = 18
DEFAULT_WINDOW = 300  # simulated seconds shown: the last five minutes


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten that is >= value (0 stays 0)."""
    if value <= 0:
        return 0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * 10**exponent
        if candidate >= value - 1e-9:
            return candidate
    return 10 ** (exponent + 1)  # pragma: no cover (the loop always returns)


def format_number(value: float) -> str:
    """``3`` not ``3.0``; one decimal below ten; thousands as ``1.5k``."""
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    if value >= 1000:
        return f"{value / 1000:.1f}".rstrip("0").rstrip(".") + "k"
    if value == int(value):
        return str(int(value))
    if value >= 10:
        return str(round(value))
    return f"{value:.1f}"


def _ago_label(seconds: float) -> str:
    if seconds < 60:
        return f"{round(seconds)}초 전"
    if seconds % 60:
        return f"{seconds / 60:.1f}분 전"
    return f"{int(seconds // 60)}분 전"


def line_chart(series: list[dict], *, now: float, window: float = DEFAULT_WINDOW, y_max: float | None = None,
               integer: bool = False, step: bool = False, unit: str = "") -> dict:
    """Drawing data for one chart.

    ``series``: ``[{"label": str, "css": str, "points": [(t, value), ...], "pattern": str}, ...]``,
    points in time order (older first). Only points within ``window`` seconds before ``now`` are drawn.
    ``integer`` keeps the y scale on whole numbers (replica counts); ``step`` draws a staircase, which is
    how a count really changes. ``y_max`` fixes the top of the scale (it still grows to fit the data).

    Returns ``viewbox``, ``width``, ``height``, ``plot`` (the plotting area's edges), ``paths`` (one per
    series with ``d``, ``css``, ``label``, ``pattern``, ``last``, ``last_text``, ``dot`` for the latest
    point), ``y_ticks`` and ``x_ticks`` (``{"x"/"y", "label"}``), ``grid`` (y positions), ``empty`` and
    ``summary`` (one Korean sentence per series: latest, lowest and highest value).
    """
    start = now - window
    left, right = MARGIN_LEFT, WIDTH - MARGIN_RIGHT
    top, bottom = MARGIN_TOP, HEIGHT - MARGIN_BOTTOM
    visible = []
    for s in series:
        points = [(float(t), float(v)) for t, v in s.get("points", ()) if start - 1e-9 <= t <= now + 1e-9]
        visible.append((s, points))
    values = [v for _, points in visible for _, v in points]
    top_value = max([*values, y_max or 0, 0])
    scale_max = nice_ceiling(top_value) or (1 if integer else 1.0)
    if integer:
        scale_max = max(1, math.ceil(scale_max))

    def x_of(t: float) -> float:
        return round(left + (t - start) / window * (right - left), 1) if window > 0 else right

    def y_of(v: float) -> float:
        return round(bottom - v / scale_max * (bottom - top), 1)

    paths = []
    summaries = []
    for s, points in visible:
        entry = {"label": s.get("label", ""), "css": s.get("css", ""), "pattern": s.get("pattern", "solid"),
                 "d": "", "last": None, "last_text": "-", "dot": None}
        if points:
            entry["d"] = _path([(x_of(t), y_of(v)) for t, v in points], step)
            last_t, last_v = points[-1]
            entry["last"] = last_v
            entry["last_text"] = format_number(last_v) + unit
            entry["dot"] = {"x": x_of(last_t), "y": y_of(last_v)}
            low = min(v for _, v in points)
            high = max(v for _, v in points)
            summaries.append(f"{entry['label']}: 현재 {format_number(last_v)}{unit}, "
                             f"최저 {format_number(low)}{unit}, 최고 {format_number(high)}{unit}")
        paths.append(entry)
    ticks = [0, scale_max / 2, scale_max]
    if integer and scale_max % 2:
        ticks = [0, scale_max] if scale_max < 3 else [0, round(scale_max / 2), scale_max]
    y_ticks = [{"y": y_of(v), "label": format_number(v), "text_y": round(y_of(v) + 3.5, 1)} for v in ticks]
    x_ticks = [
        {"x": left, "label": _ago_label(window), "anchor": "start"},
        {"x": round((left + right) / 2, 1), "label": _ago_label(window / 2), "anchor": "middle"},
        {"x": right, "label": "지금", "anchor": "end"},
    ]
    empty = not values
    minutes = format_number(window / 60)
    summary = (f"최근 {minutes}분 동안 " + "; ".join(summaries) + ".") if not empty else \
        f"최근 {minutes}분 동안의 데이터가 아직 없습니다."
    return {
        "viewbox": f"0 0 {WIDTH} {HEIGHT}", "width": WIDTH, "height": HEIGHT,
        "plot": {"left": left, "right": right, "top": top, "bottom": bottom},
        "x_label_y": HEIGHT - 5, "center_x": round((left + right) / 2, 1), "center_y": round((top + bottom) / 2 + 4, 1),
        "paths": paths, "y_ticks": y_ticks, "x_ticks": x_ticks, "scale_max": scale_max,
        "empty": empty, "summary": summary,
    }


def _path(coords: list[tuple[float, float]], step: bool) -> str:
    """An SVG path through the points; a staircase (horizontal, then vertical) when ``step``."""
    x, y = coords[0]
    parts = [f"M{_n(x)} {_n(y)}"]
    if len(coords) == 1:
        # A single sample still shows: a short tick to its left.
        return f"M{_n(x - 2)} {_n(y)}H{_n(x)}"
    if not step:
        parts += [f"L{_n(nx)} {_n(ny)}" for nx, ny in coords[1:]]
        return "".join(parts)
    for nx, ny in coords[1:]:
        if ny != y:  # a staircase only needs a corner where the value changes
            parts.append(f"H{_n(nx)}V{_n(ny)}")
            y = ny
    parts.append(f"H{_n(coords[-1][0])}")
    return "".join(parts)


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def fit_window(rows: list[list[float]], now: float, longest: float = DEFAULT_WINDOW) -> float:
    """Seconds to show: the whole history when it is short (a new sandbox), whole minutes, at most
    ``longest``, at least one minute."""
    if not rows:
        return 60.0
    span = now - rows[0][0]
    return float(min(longest, max(60, math.ceil(span / 60) * 60)))


def deployment_charts(rows: list[list[float]], *, now: float, window: float | None = None) -> dict:
    """The two charts of a deployment from ``cluster.metrics["deployments"][key]`` rows
    ``[t, desired, ready, cpu_m]``: replicas (desired and ready) and CPU use in millicores."""
    window = window or fit_window(rows, now)
    replicas = line_chart([
        {"label": "의도한 레플리카", "css": "line--desired", "pattern": "dashed",
         "points": [(r[0], r[1]) for r in rows]},
        {"label": "준비된 파드", "css": "line--ready", "points": [(r[0], r[2]) for r in rows]},
    ], now=now, window=window, integer=True, step=True, unit="개")
    cpu = line_chart([
        {"label": "CPU 사용량", "css": "line--cpu", "points": [(r[0], r[3]) for r in rows]},
    ], now=now, window=window, y_max=100, unit="m")
    return {"replicas": replicas, "cpu": cpu}


def service_chart(rows: list[list[float]], *, now: float, window: float | None = None) -> dict:
    """A service's traffic chart from ``cluster.metrics["services"][key]`` rows
    ``[t, rps, served, errors, latency_ms]``: offered, served and failed requests per second."""
    window = window or fit_window(rows, now)
    return line_chart([
        {"label": "보낸 요청", "css": "line--offered", "pattern": "dashed", "points": [(r[0], r[1]) for r in rows]},
        {"label": "처리한 요청", "css": "line--served", "points": [(r[0], r[2]) for r in rows]},
        {"label": "오류", "css": "line--errors", "pattern": "dotted", "points": [(r[0], r[3]) for r in rows]},
    ], now=now, window=window, y_max=10, unit=" rps")
