"""The sandbox widget in a real Chromium: console, buttons, polling, CSP, accessibility."""

import re

import pytest
from playwright.sync_api import Page, expect

from sandbox.models import CommandLog

pytestmark = pytest.mark.e2e

WEB_CHIPS = ".node-card .chip[id^='pod-default-web-']"
CREATE_WEB = "kubectl create deployment web --image=nginx:1.27 --replicas=3"

# Stored on window by an init script: Playwright injects it outside the page's CSP, before any page script.
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def watched(page: Page):
    """The page, with console errors, uncaught exceptions and CSP violations collected for the test to check."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.add_init_script(CSP_RECORDER)
    page.set_default_timeout(10_000)
    yield page, errors


def assert_clean(page: Page, errors: list[str]):
    assert page.evaluate("window.__cspViolations") == []
    assert errors == []


def start_sandbox(page: Page, live_server, scenario: str = "three-nodes"):
    page.goto(f"{live_server.url}/sandbox/")
    page.locator(f"form:has(input[name=scenario][value='{scenario}']) button[type=submit]").click()
    page.wait_for_url(re.compile(r"/sandbox/[0-9a-f-]{36}/$"))
    expect(page.locator("#sandbox-live")).to_be_visible()


def run(page: Page, command: str):
    """Type a command and press Enter, then wait for its entry in the log."""
    box = page.locator("#console-input")
    entries = page.locator("#console-log .console-entry")
    before = entries.count()
    box.fill(command)
    box.press("Enter")
    expect(entries).to_have_count(before + 1)
    expect(box).to_have_value("")


def advance(page: Page):
    with page.expect_response(re.compile(r"/control$")):
        page.get_by_role("button", name="30초 흘리기").click()


def test_learner_creates_scales_and_survives_a_node_failure(watched, live_server):
    page, errors = watched
    start_sandbox(page, live_server)
    log = page.get_by_role("log")

    run(page, CREATE_WEB)
    expect(log).to_contain_text(f"$ {CREATE_WEB}")
    expect(log).to_contain_text("deployment.apps/web created")
    expect(page.locator("#console-input")).to_be_focused()
    # The page sent an id with the submission, so a re-sent request would not apply it twice.
    assert len(CommandLog.objects.get(text=CREATE_WEB).request_id) >= 32

    advance(page)
    expect(page.locator(WEB_CHIPS)).to_have_count(3)

    page.locator("button", has_text="kubectl scale deployment web --replicas=4").click()
    expect(log).to_contain_text("deployment.apps/web scaled")
    advance(page)
    expect(page.locator(WEB_CHIPS)).to_have_count(4)
    page.screenshot(path="/tmp/sandbox-e2e-desktop.png", full_page=True)

    node_id = page.locator(".node-card").filter(has=page.locator(".chip[id^='pod-default-web-']")).first \
        .get_attribute("id")
    failed = page.locator(f"#{node_id}")
    failed.get_by_text("장애 주입").click()  # faults sit behind a menu, out of the way of the common moves
    failed.get_by_role("button", name=re.compile("VM 멈추기")).click()
    expect(failed).to_have_class(re.compile("node-card--down"))
    run(page, "sim advance 400")
    # As in Kubernetes, the pod on the dead node stays Terminating; its replacement runs elsewhere.
    expect(failed.locator(".chip[id^='pod-default-web-']:not(.chip--terminating)")).to_have_count(0)
    expect(page.locator(f".node-card:not(#{node_id}) .chip--running[id^='pod-default-web-']")).to_have_count(4)

    box = page.locator("#console-input")
    box.focus()
    box.press("ArrowUp")
    expect(box).to_have_value("sim advance 400")
    box.press("ArrowUp")  # buttons' commands are in the log, so they are in the history too
    expect(box).to_have_value(f"sim node fail {node_id.removeprefix('node-')}")
    box.press("ArrowDown")
    box.press("ArrowDown")
    expect(box).to_have_value("")

    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path="/tmp/sandbox-e2e-mobile.png")
    page.screenshot(path="/tmp/sandbox-e2e-mobile-full.png", full_page=True)
    page.locator(".sandbox-pane--console").screenshot(path="/tmp/sandbox-e2e-mobile-console.png")
    page.set_viewport_size({"width": 1440, "height": 1000})

    page.reload()
    expect(page.locator(f".node-card:not(#{node_id}) .chip--running[id^='pod-default-web-']")).to_have_count(4)
    expect(log).to_contain_text("deployment.apps/web created")
    box.focus()
    box.press("ArrowUp")
    expect(box).to_have_value("sim advance 400")
    assert_clean(page, errors)


def test_console_keys_clear_and_reset_confirmation(watched, live_server):
    page, errors = watched
    start_sandbox(page, live_server)
    commands = []
    page.on("request", lambda r: commands.append(r.url) if r.method == "POST" else None)
    box = page.locator("#console-input")

    box.focus()
    page.keyboard.type("kubectl apply -f -")
    for _ in range(3):
        page.keyboard.press("Shift+Enter")
    expect(box).to_have_value("kubectl apply -f -\n\n\n")
    assert box.evaluate("el => el.rows") == 4
    box.fill("")

    run(page, "kubectl get nodes")
    expect(page.get_by_role("log")).to_contain_text("gke-demo-default-pool")
    sent = len(commands)
    box.fill("  clear ")
    box.press("Enter")
    expect(page.locator("#console-log .console-entry")).to_have_count(0)
    expect(box).to_have_value("")
    assert len(commands) == sent, "clear must not reach the server"

    # A keyboard user stays on the button they pressed, although the response replaces it.
    button = page.get_by_role("button", name="30초 흘리기")
    button.focus()
    with page.expect_response(re.compile(r"/control$")):
        button.press("Enter")
    expect(page.get_by_role("button", name="30초 흘리기")).to_be_focused()

    # Polling: at 1× the simulated clock moves on by itself while the tab is visible (every 8 s once the
    # cluster is at rest, as this one is).
    clock = page.locator(".live-clock strong")
    first = clock.inner_text()
    expect(clock).not_to_have_text(first, timeout=12_000)

    sent = len(commands)
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name=re.compile("처음으로")).click()
    page.wait_for_timeout(300)
    assert len(commands) == sent, "a dismissed confirm() must not send the reset"

    run(page, CREATE_WEB)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=re.compile("처음으로")).click()
    expect(page.locator("#console-log .console-entry")).to_have_count(0)
    expect(page.locator("#console-log")).to_contain_text("help")
    assert_clean(page, errors)


def test_server_errors_are_reported_in_the_console(watched, live_server):
    page, errors = watched
    start_sandbox(page, live_server)
    url = page.url

    django_500 = "<!doctype html><title>Server Error (500)</title><h1>Server Error (500)</h1>"
    page.route(re.compile(r"/command$"), lambda route: route.fulfill(status=500, body=django_500))
    page.locator("#console-input").fill("kubectl get pods")
    page.locator("#console-input").press("Enter")
    expect(page.get_by_role("log")).to_contain_text("요청을 처리하지 못했습니다 (HTTP 500)")
    expect(page.get_by_role("button", name="실행")).to_be_enabled()
    page.unroute(re.compile(r"/command$"))

    # A short plain message from the server (the control view's) is shown as it is.
    page.route(re.compile(r"/control$"), lambda route: route.fulfill(status=409, body="다른 요청과 겹쳤습니다."))
    page.get_by_role("button", name="30초 흘리기").click()
    expect(page.get_by_role("log")).to_contain_text("다른 요청과 겹쳤습니다. (HTTP 409)")
    page.unroute(re.compile(r"/control$"))

    # The server's own error entries (here: too long) arrive with a 4xx status and are shown as sent.
    page.locator("#console-input").fill("x" * 70_001)
    page.locator("#console-input").press("Enter")
    expect(page.get_by_role("log")).to_contain_text("입력이 너무 깁니다")
    expect(page.get_by_role("log")).not_to_contain_text("HTTP 413")
    assert page.url == url
    # Both errors were provoked: the browser and htmx log failed responses as console errors.
    assert_clean(page, [e for e in errors if not re.search(r"status of (413|409|500)|Error Code (409|500)", e)])


def test_sandbox_page_has_no_serious_accessibility_violations(watched, live_server, axe_source):
    page, errors = watched
    start_sandbox(page, live_server)
    run(page, CREATE_WEB)
    run(page, "kubectl expose deployment web --type=LoadBalancer --port=80")
    advance(page)
    expect(page.locator(WEB_CHIPS)).to_have_count(3)

    # evaluate() runs outside the page's CSP, which would block an injected inline <script>.
    page.evaluate(axe_source)
    violations = None
    for _ in range(3):  # a poll may swap the live region in the middle of a run
        try:
            violations = page.evaluate("""async () => {
                const result = await axe.run(document, {resultTypes: ["violations"]});
                return result.violations.map((v) => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
                }));
            }""")
            break
        except Exception as exc:  # noqa: BLE001 - retried, then reported below
            print(f"axe run failed, retrying: {exc}")
    assert violations is not None, "axe.run() failed three times"
    for v in violations:
        print(f"axe {v['impact']}: {v['id']} — {v['help']} {v['nodes']}")
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == []
    assert_clean(page, errors)


def test_traffic_slider_shows_its_value_and_polling_leaves_it_alone(watched, live_server):
    page, errors = watched
    start_sandbox(page, live_server, "web-behind-lb")
    form = page.locator("form.traffic-form").first
    slider = form.locator("input[type=range]")
    slider.focus()
    for _ in range(3):
        slider.press("ArrowRight")
    value = slider.input_value()
    expect(form.locator("output")).to_have_text(value)
    page.wait_for_timeout(4_500)  # two poll periods: a poll would put the slider back where the server has it
    expect(slider).to_have_value(value)

    form.get_by_role("button", name=re.compile("트래픽 보내기")).click()
    expect(page.get_by_role("log")).to_contain_text(f"$ sim traffic web {value}")
    assert_clean(page, errors)
