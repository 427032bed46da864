"""Small building blocks: tabwriter, HumanDuration, quantities, image names, hashes, flag parsing."""

import pytest

from orchestrator.catalog import MACHINE_TYPES, find_image, normalize_image
from orchestrator.commands.parse import CommandError, Flag, parse_flags, words
from orchestrator.commands.selectors import parse_selector
from orchestrator.naming import SUFFIX_ALPHABET, fnv32a, pod_template_hash
from orchestrator.quantity import QuantityError, format_cpu, format_memory, parse_cpu, parse_memory
from orchestrator.rng import Rng
from orchestrator.tabwriter import table, tabwrite
from orchestrator.timefmt import human_duration, rfc1123z

# --- tabwriter ------------------------------------------------------------------------------------


def test_table_pads_columns_to_widest_cell_plus_three():
    text = table(["NAME", "READY", "STATUS"], [["web-1", "1/1", "Running"], ["a", "0/1", "Pending"]])
    assert text.split("\n") == [
        "NAME    READY   STATUS",
        "web-1   1/1     Running",
        "a       0/1     Pending",
    ]


def test_table_minimum_width_is_six():
    assert table(["A", "B"], [["x", "y"]]).split("\n") == ["A     B", "x     y"]


def test_table_last_column_is_not_padded():
    for line in table(["NAME", "AGE"], [["x", "5s"], ["longer-name", "10m"]]).split("\n"):
        assert line == line.rstrip()


def test_tabwrite_trailing_empty_cell_pads_the_previous_one():
    """Go's tabwriter pads every cell that is followed by a tab, even when the last cell is empty."""
    assert tabwrite("AB\tC\t\nx\ty\t") == "AB    C     \nx     y     "


def test_tabwrite_blocks_are_aligned_separately():
    """A line with fewer cells ends a column block, as in kubectl describe."""
    text = tabwrite("a\tb\nlonger-cell\tc\nplain line\nx\ty")
    assert text.split("\n") == ["a             b", "longer-cell   c", "plain line", "x     y"]


def test_tabwrite_without_tabs_is_unchanged():
    assert tabwrite("hello\nworld") == "hello\nworld"


# --- human_duration ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("seconds", "text"), [
    (-5, "<invalid>"), (-0.5, "0s"), (0, "0s"), (1, "1s"), (59.9, "59s"), (70, "70s"), (119, "119s"),
    (120, "2m"), (190, "3m10s"), (599, "9m59s"), (600, "10m"), (70 * 60, "70m"), (179 * 60 + 59, "179m"),
    (3 * 3600, "3h"), (3 * 3600 + 60, "3h1m"), (7 * 3600 + 59 * 60, "7h59m"), (8 * 3600, "8h"), (47 * 3600, "47h"),
    (48 * 3600, "2d"), (49 * 3600, "2d1h"), (191 * 3600, "7d23h"), (192 * 3600, "8d"), (367 * 86400, "367d"),
    (729 * 86400, "729d"), (731 * 86400, "2y1d"), (730 * 86400, "2y"), (8 * 365 * 86400, "8y"),
    (20 * 365 * 86400, "20y"),
])
def test_human_duration_matches_apimachinery(seconds, text):
    assert human_duration(seconds) == text


def test_rfc1123z_starts_at_the_simulation_epoch():
    assert rfc1123z(0) == "Mon, 02 Mar 2026 00:00:00 +0000"
    assert rfc1123z(3661.9) == "Mon, 02 Mar 2026 01:01:01 +0000"


# --- quantities -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "milli"), [
    ("250m", 250), ("0.5", 500), ("2", 2000), ("1.5", 1500), ("0.1", 100), ("0.0001", 1), ("1k", 1_000_000), (3, 3000),
    ("+1", 1000),
])
def test_parse_cpu(text, milli):
    assert parse_cpu(text) == milli


@pytest.mark.parametrize(("text", "size"), [
    ("128Mi", 128 * 2**20), ("1Gi", 2**30), ("1G", 10**9), ("512Ki", 512 * 1024), ("1000", 1000), ("1.5Gi", 3 * 2**29),
    ("8Gi", 8 * 2**30), ("1k", 1000), ("500m", 1),
])
def test_parse_memory(text, size):
    assert parse_memory(text) == size


@pytest.mark.parametrize("bad", ["", "abc", "1.2.3", "-1", "1Zi", "1 Gi", "Gi"])
def test_bad_quantities_raise(bad):
    with pytest.raises(QuantityError):
        parse_cpu(bad)
    with pytest.raises(QuantityError):
        parse_memory(bad)


def test_absurd_quantities_are_refused():
    with pytest.raises(QuantityError):
        parse_cpu("1E")
    with pytest.raises(QuantityError):
        parse_memory("100Ei")


@pytest.mark.parametrize(("milli", "text"), [(100, "100m"), (1000, "1"), (1500, "1500m"), (0, "0"), (940, "940m")])
def test_format_cpu(milli, text):
    assert format_cpu(milli) == text


@pytest.mark.parametrize(("size", "text"), [(0, "0"), (2**20, "1Mi"), (200 * 2**20, "200Mi"), (2**30, "1Gi"),
                                            (4025932 * 1024, "4025932Ki"), (1000, "1000")])
def test_format_memory(size, text):
    assert format_memory(size) == text


def test_e2_medium_allocatable_matches_gke():
    medium = MACHINE_TYPES["e2-medium"]
    assert medium.allocatable_cpu_milli == 940
    standard4 = MACHINE_TYPES["e2-standard-4"]
    assert standard4.allocatable_cpu_milli == 3920  # 4000 - 60 - 10 - 5 - 5


# --- image names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("ref", "expected"), [
    ("nginx", ("docker.io/library/nginx", "latest")),
    ("nginx:1.27", ("docker.io/library/nginx", "1.27")),
    ("library/nginx:1.27", ("docker.io/library/nginx", "1.27")),
    ("jocatalin/kubernetes-bootcamp:v2", ("docker.io/jocatalin/kubernetes-bootcamp", "v2")),
    ("gcr.io/google-samples/kubernetes-bootcamp:v1", ("gcr.io/google-samples/kubernetes-bootcamp", "v1")),
    ("localhost:5000/app:1", ("localhost:5000/app", "1")),
    ("localhost/app", ("localhost/app", "latest")),
    ("registry.example.com:5000/team/app", ("registry.example.com:5000/team/app", "latest")),
    ("nginx@sha256:abc", ("docker.io/library/nginx", "sha256:abc")),
])
def test_normalize_image(ref, expected):
    assert normalize_image(ref) == expected


def test_find_image_knows_tags():
    assert find_image("nginx:1.27") is not None
    assert find_image("docker.io/library/nginx:1.27") is find_image("nginx:1.27")
    assert find_image("nginx") is not None  # latest
    assert find_image("nginx:9.9") is None
    assert find_image("nosuchimage") is None


# --- pod-template-hash ----------------------------------------------------------------------------


def test_fnv32a_reference_values():
    assert fnv32a(b"") == 0x811C9DC5
    assert fnv32a(b"a") == 0xE40C292C
    assert fnv32a(b"foobar") == 0xBF9CF968


def test_pod_template_hash_is_stable_and_safe():
    template = {"labels": {"app": "web"}, "containers": [{"name": "nginx", "image": "nginx:1.27"}]}
    value = pod_template_hash(template)
    assert value == pod_template_hash({"containers": [{"image": "nginx:1.27", "name": "nginx"}],
                                       "labels": {"app": "web"}})
    assert set(value) <= set(SUFFIX_ALPHABET)
    assert 1 <= len(value) <= 10


def test_pod_template_hash_changes_with_template_and_collision_count():
    a = {"labels": {"app": "web"}, "containers": [{"name": "nginx", "image": "nginx:1.27"}]}
    b = {"labels": {"app": "web"}, "containers": [{"name": "nginx", "image": "nginx:1.26"}]}
    assert pod_template_hash(a) != pod_template_hash(b)
    assert pod_template_hash(a) != pod_template_hash(a, collision_count=1)


# --- rng ------------------------------------------------------------------------------------------


def test_rng_is_reproducible_and_bounded():
    a, b = Rng(5), Rng(5)
    draws = [a.below(7) for _ in range(200)]
    assert draws == [b.below(7) for _ in range(200)]
    assert set(draws) == set(range(7))
    with pytest.raises(ValueError):
        a.below(0)


# --- parse_flags ----------------------------------------------------------------------------------

SPEC = [Flag("output", "o"), Flag("replicas", "r", "int"), Flag("all", "A", "bool"), Flag("namespace", "n")]


@pytest.mark.parametrize("args", [
    ["--output=wide"], ["--output", "wide"], ["-o", "wide"], ["-owide"], ["-o=wide"],
])
def test_parse_flags_value_forms(args):
    positional, values = parse_flags(["pods", *args], SPEC, "kubectl get")
    assert positional == ["pods"] and values["output"] == "wide"


def test_parse_flags_defaults_and_positionals_in_order():
    positional, values = parse_flags(["a", "-n", "x", "b"], SPEC, "kubectl get")
    assert positional == ["a", "b"]
    assert values == {"output": None, "replicas": None, "all": None, "namespace": "x"}


@pytest.mark.parametrize(("args", "expected"), [
    (["-A"], True), (["--all"], True), (["--all=false"], False), (["--all=true"], True), (["--all=0"], False),
])
def test_parse_flags_bools(args, expected):
    assert parse_flags(args, SPEC, "kubectl get")[1]["all"] is expected


def test_parse_flags_bool_does_not_take_the_next_word():
    positional, values = parse_flags(["-A", "pods"], SPEC, "kubectl get")
    assert positional == ["pods"] and values["all"] is True


def test_parse_flags_ints():
    assert parse_flags(["--replicas=3"], SPEC, "x")[1]["replicas"] == 3
    assert parse_flags(["--replicas", "-2"], SPEC, "x")[1]["replicas"] == -2
    assert parse_flags(["-r", "+4"], SPEC, "x")[1]["replicas"] == 4


def test_parse_flags_double_dash_ends_flags():
    positional, values = parse_flags(["x", "--", "-o", "--all"], SPEC, "kubectl exec")
    assert positional == ["x", "-o", "--all"] and values["output"] is None


def test_negative_number_is_a_positional():
    assert parse_flags(["-5"], SPEC, "x")[0] == ["-5"]


@pytest.mark.parametrize(("args", "message"), [
    (["--nope"], "error: unknown flag: --nope\nSee 'kubectl get --help' for usage."),
    (["-q"], "error: unknown shorthand flag: 'q' in -q\nSee 'kubectl get --help' for usage."),
    (["--output"], "error: flag needs an argument: --output\nSee 'kubectl get --help' for usage."),
    (["-o"], "error: flag needs an argument: 'o' in -o\nSee 'kubectl get --help' for usage."),
    (["--replicas=x"], 'error: invalid argument "x" for "--replicas" flag: strconv.ParseInt: parsing "x": '
                       "invalid syntax"),
    (["--replicas=99999999999999999999"], 'error: invalid argument "99999999999999999999" for "--replicas" flag: '
                                          'strconv.ParseInt: parsing "99999999999999999999": value out of range'),
    (["--all=maybe"], 'error: invalid argument "maybe" for "--all" flag: strconv.ParseBool: parsing "maybe": '
                      "invalid syntax"),
])
def test_parse_flags_errors_use_pflag_texts(args, message):
    with pytest.raises(CommandError) as info:
        parse_flags(args, SPEC, "kubectl get")
    assert info.value.text == message


def test_words_follow_shell_quoting():
    assert words("kubectl get pods -l 'app=web, tier=front'") == ["kubectl", "get", "pods", "-l", "app=web, tier=front"]
    with pytest.raises(CommandError):
        words("kubectl get 'pods")


# --- label selectors ------------------------------------------------------------------------------


@pytest.mark.parametrize(("selector", "labels", "expected"), [
    ("app=web", {"app": "web"}, True), ("app=web", {"app": "api"}, False), ("app==web", {"app": "web"}, True),
    ("app!=web", {"app": "api"}, True), ("app!=web", {}, True), ("app", {"app": ""}, True), ("app", {}, False),
    ("!app", {}, True), ("!app", {"app": "x"}, False), ("app=web,tier=db", {"app": "web", "tier": "db"}, True),
    ("app=web,tier=db", {"app": "web"}, False), ("", {}, True),
])
def test_label_selectors(selector, labels, expected):
    assert parse_selector(selector)(labels) is expected


def test_invalid_selector_key():
    with pytest.raises(CommandError):
        parse_selector("-bad=1")
