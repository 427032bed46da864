"""The live region as the browser gets it: rendered through the real views with the test client."""

import re
from html.parser import HTMLParser

import pytest

from tests.sandbox.conftest import command, start_sandbox

pytestmark = pytest.mark.django_db


class _Collector(HTMLParser):
    """Every start tag with its attributes, to check ids, attributes and forms without a DOM library."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(html: str) -> list[tuple[str, dict]]:
    collector = _Collector()
    collector.feed(html)
    return collector.tags


def poll(client, sandbox) -> str:
    response = client.get(f"/sandbox/{sandbox.pk}/poll", headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def web(client):
    return start_sandbox(client, "web-behind-lb")


def test_the_poll_returns_the_live_region_with_the_agreed_outer_element(client, web):
    html = poll(client, web)
    # data-poll-ms: the pace static/js/sandbox.js polls at (fast while the cluster moves, slow at rest).
    assert re.match(
        f'<section id="sandbox-live" class="sandbox-live" hx-get="/sandbox/{web.pk}/poll" '
        f'hx-trigger="sandbox-poll, sandbox-changed from:body" data-poll-ms="(2000|8000)" hx-swap="outerHTML"  '
        f'aria-label="클러스터 상태">', html.lstrip())
    assert html.rstrip().endswith("</section>")


def test_the_live_region_shows_nodes_pods_services_events_and_charts(client, web):
    html = poll(client, web)
    sim = web.simulation()
    cluster = sim.current_cluster()
    for node in cluster.nodes.values():
        assert node.name in html
    assert html.count('class="node-card node-card--ready"') == 3
    assert "Ready" in html and "e2-medium" in html and "asia-northeast3-a" in html
    assert "CPU 요청" in html and "메모리 요청" in html
    for pod in cluster.pods.values():
        if pod.namespace == "default":
            assert f'aria-label="파드 {pod.name}, Running, 준비됨' in html
    service = cluster.services["default/web"]
    assert service.external_ip in html and "LoadBalancer" in html and "엔드포인트" in html
    assert '<svg class="chart__svg"' in html and "<title id=\"chart-default-web-replicas-t\">" in html
    assert "<desc id=" in html
    assert "LAST SEEN" in html and "EnsuredLoadBalancer" in html
    assert "kube-system 파드 4개" in html


def test_every_move_is_a_form_posting_its_command_as_a_button(client, web):
    tags = parse(poll(client, web))
    forms = [a for t, a in tags if t == "form"]
    assert forms and all(f["hx-post"] == f"/sandbox/{web.pk}/command" and f["method"] == "post" for f in forms)
    commands = [a["value"] for t, a in tags if t == "input" and a.get("name") == "command"]
    assert "kubectl scale deployment web --replicas=4" in commands
    assert "sim app crash web" in commands
    assert any(c.startswith("gcloud container clusters resize demo --num-nodes=4") for c in commands)
    sources = [a["value"] for t, a in tags if t == "input" and a.get("name") == "source"]
    assert set(sources) == {"button"}
    tokens = [a for t, a in tags if t == "input" and a.get("name") == "csrfmiddlewaretoken"]
    assert len(tokens) == len(forms)


def test_pressing_a_move_runs_it_and_the_next_poll_shows_the_change(client, web):
    response = command(client, web, "kubectl scale deployment web --replicas=4", source="button")
    assert "deployment.apps/web scaled" in response.content.decode()
    assert response["HX-Trigger"] == "sandbox-changed"
    assert "kubectl scale deployment web --replicas=5" in poll(client, web)  # the +1 button moved on


def test_the_traffic_form_sends_traffic_service_and_rps(client, web):
    tags = parse(poll(client, web))
    form_inputs = {a.get("name"): a for t, a in tags if t == "input"}
    assert form_inputs["traffic_service"]["value"] == "web"
    assert form_inputs["rps"]["type"] == "range" and form_inputs["rps"]["min"] == "0"
    response = client.post(f"/sandbox/{web.pk}/command", {"traffic_service": "web", "rps": "250",
                                                          "source": "button"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "sim traffic web 250" in html
    assert 'value="250"' in poll(client, web)  # the slider now sits at the new rate


def test_faults_show_up_as_states_in_text(client, web):
    assert command(client, web, "sim app crash web").status_code == 200
    assert command(client, web, "kubectl set resources deployment web --requests=cpu=300m").status_code == 200
    assert command(client, web, "kubectl scale deployment web --replicas=8").status_code == 200
    node = sorted(web.simulation().current_cluster().nodes)[0]
    assert command(client, web, f"sim node fail {node}").status_code == 200
    assert command(client, web, "sim advance 90").status_code == 200
    html = poll(client, web)
    assert "NotReady" in html and "VM 멈춤" in html and f"sim node recover {node}" in html
    assert "CrashLoopBackOff" in html and "chip--crash" in html
    assert "Pending 파드" in html and "Insufficient cpu" in html and "sim explain pod web-" in html
    assert "sim app heal web" in html


def test_the_live_region_has_no_inline_styles_or_scripts_and_unique_ids(client, web):
    command(client, web, "sim traffic web 100")
    html = poll(client, web)
    assert " style=" not in html and "<script" not in html and "hx-on" not in html
    ids = [a["id"] for _, a in parse(html) if "id" in a]
    assert len(ids) == len(set(ids))
    for tag, attrs in parse(html):
        if tag == "button":
            assert attrs.get("type") == "submit"
    # every focusable chip has an accessible name and a tooltip with the pod's full name (on hover and focus)
    for _tag, attrs in parse(html):
        if "chip" in attrs.get("class", "").split() and attrs.get("tabindex") == "0":
            assert attrs["aria-label"].startswith("파드 ") and attrs["data-tip"].startswith("web-")


def test_an_autopilot_sandbox_shows_managed_nodes_and_no_resize(client):
    sandbox = start_sandbox(client, "autopilot")
    html = poll(client, sandbox)
    assert "GKE 관리" in html and "Autopilot" in html
    assert "clusters resize" not in html


def test_the_full_page_embeds_the_live_region(client, web):
    html = client.get(f"/sandbox/{web.pk}/").content.decode()
    assert html.count('id="sandbox-live"') == 1
    assert re.search(r'<link rel="stylesheet" href="/static/css/sandbox\.css">', html)
    for part in ("sandbox-nodes", "sandbox-workloads"):  # the rest of the widget's styles, in this order
        assert f'<link rel="stylesheet" href="/static/css/{part}.css">' in html
    assert (html.index("sandbox.css") < html.index("sandbox-exercises.css") < html.index("sandbox-nodes.css")
            < html.index("sandbox-workloads.css"))
