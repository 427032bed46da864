"""The SVG line charts: pure functions from time series to drawing data (no database, no templates)."""

import re

from sandbox import charts

PLOT_LEFT, PLOT_RIGHT = charts.MARGIN_LEFT, charts.WIDTH - charts.MARGIN_RIGHT
PLOT_TOP, PLOT_BOTTOM = charts.MARGIN_TOP, charts.HEIGHT - charts.MARGIN_BOTTOM


def test_nice_ceiling_rounds_up_to_a_round_number():
    assert [charts.nice_ceiling(v) for v in (0, 0.7, 1, 3, 7, 12, 180, 251, 999)] == \
        [0, 1, 1, 5, 10, 20, 200, 500, 1000]
    assert charts.nice_ceiling(2.2) == 2.5


def test_format_number_is_short():
    assert [charts.format_number(v) for v in (0, 3.0, 2.5, 12.4, 1500, 2000, 25_000)] == \
        ["0", "3", "2.5", "12", "1.5k", "2k", "25k"]


def test_points_map_onto_the_plot_area():
    chart = charts.line_chart([{"label": "a", "points": [(0, 0), (60, 10)]}], now=60, window=60)
    path = chart["paths"][0]
    assert path["d"] == f"M{PLOT_LEFT} {PLOT_BOTTOM}L{PLOT_RIGHT} {PLOT_TOP}"
    assert path["dot"] == {"x": PLOT_RIGHT, "y": PLOT_TOP}
    assert chart["viewbox"] == f"0 0 {charts.WIDTH} {charts.HEIGHT}"
    assert chart["scale_max"] == 10


def test_points_older_than_the_window_are_left_out():
    chart = charts.line_chart([{"label": "a", "points": [(0, 100), (250, 1), (300, 2)]}], now=300, window=60)
    assert chart["paths"][0]["d"].count("L") == 1
    assert chart["scale_max"] == 2  # the old 100 no longer stretches the scale


def test_a_step_chart_draws_a_staircase_with_corners_only_where_the_value_changes():
    points = [(t, 3) for t in range(0, 50, 5)] + [(50, 5), (55, 5), (60, 5)]
    chart = charts.line_chart([{"label": "r", "points": points}], now=60, window=60, step=True, integer=True)
    d = chart["paths"][0]["d"]
    assert "L" not in d
    assert d.count("V") == 1 and d.count("H") == 2
    assert re.fullmatch(r"M[\d.]+ [\d.]+H[\d.]+V[\d.]+H[\d.]+", d)


def test_integer_charts_label_their_ticks_with_whole_numbers():
    chart = charts.line_chart([{"label": "r", "points": [(0, 3), (60, 3)]}], now=60, window=60, integer=True)
    labels = [t["label"] for t in chart["y_ticks"]]
    assert all(label.isdigit() for label in labels)
    assert labels[0] == "0" and labels[-1] == str(chart["scale_max"])


def test_an_empty_chart_says_so_in_korean():
    chart = charts.line_chart([{"label": "a", "points": []}], now=30)
    assert chart["empty"] is True
    assert chart["paths"][0]["d"] == "" and chart["paths"][0]["last_text"] == "-"
    assert "아직 없습니다" in chart["summary"]


def test_a_single_sample_still_draws_something():
    chart = charts.line_chart([{"label": "a", "points": [(60, 4)]}], now=60, window=60)
    assert chart["paths"][0]["d"].startswith("M") and "H" in chart["paths"][0]["d"]


def test_the_summary_gives_the_latest_lowest_and_highest_value():
    chart = charts.line_chart([{"label": "준비된 파드", "points": [(0, 1), (30, 4), (60, 3)]}],
                              now=60, window=60, unit="개")
    assert chart["summary"] == "최근 1분 동안 준비된 파드: 현재 3개, 최저 1개, 최고 4개."
    assert chart["paths"][0]["last_text"] == "3개"


def test_the_time_axis_is_labelled_from_the_past_to_now():
    chart = charts.line_chart([{"label": "a", "points": [(0, 1)]}], now=300, window=300)
    assert [t["label"] for t in chart["x_ticks"]] == ["5분 전", "2.5분 전", "지금"]
    short = charts.line_chart([{"label": "a", "points": [(0, 1)]}], now=60, window=60)
    assert [t["label"] for t in short["x_ticks"]] == ["1분 전", "30초 전", "지금"]


def test_fit_window_shows_a_young_sandbox_whole_and_an_old_one_for_five_minutes():
    assert charts.fit_window([], now=0) == 60
    assert charts.fit_window([[5, 1]], now=65) == 60
    assert charts.fit_window([[5, 1]], now=130) == 180
    assert charts.fit_window([[5, 1]], now=3000) == charts.DEFAULT_WINDOW


def test_deployment_charts_read_the_engines_metric_rows():
    rows = [[t, 3, min(3, t // 10), 2 + t] for t in range(5, 65, 5)]  # [t, desired, ready, cpu_m]
    found = charts.deployment_charts(rows, now=60)
    replicas, cpu = found["replicas"], found["cpu"]
    assert [p["label"] for p in replicas["paths"]] == ["의도한 레플리카", "준비된 파드"]
    assert [p["pattern"] for p in replicas["paths"]] == ["dashed", "solid"]  # not told apart by colour alone
    assert replicas["paths"][0]["last"] == 3 and replicas["paths"][1]["last"] == 3
    assert cpu["paths"][0]["last"] == 62 and cpu["scale_max"] == 100


def test_service_chart_has_offered_served_and_errors():
    rows = [[t, 100, 80, 20, 12.5] for t in range(5, 65, 5)]  # [t, rps, served, errors, latency_ms]
    chart = charts.service_chart(rows, now=60)
    assert [(p["label"], p["pattern"], p["last"]) for p in chart["paths"]] == [
        ("보낸 요청", "dashed", 100), ("처리한 요청", "solid", 80), ("오류", "dotted", 20)]
    assert "오류: 현재 20 rps" in chart["summary"]
