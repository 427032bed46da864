"""A snapshot that cannot be read (damaged, or written by an engine with another schema) never gives a learner a
500: the page says so in Korean, commands are refused without being logged, nothing stored changes, and
'처음으로' starts the scenario again."""

import pytest

from sandbox.models import CommandLog, Sandbox, UnreadableSnapshot
from sandbox.views import UNREADABLE
from tests.sandbox.conftest import start_sandbox

pytestmark = pytest.mark.django_db

NOTICE = "이 샌드박스의 저장된 상태를 읽을 수 없습니다"
BROKEN = ['{"schema": 99, "clusters": {}}', "not json at all", '{"schema": 1}', "[1, 2, 3]"]


@pytest.fixture(params=BROKEN)
def broken(request, client):
    sandbox = start_sandbox(client)
    assert client.post(f"/sandbox/{sandbox.pk}/command", {"command": "kubectl get nodes"},
                       headers={"HX-Request": "true"}).status_code == 200
    Sandbox.objects.filter(pk=sandbox.pk).update(state=request.param, version=sandbox.version + 7)
    return Sandbox.objects.get(pk=sandbox.pk)


def test_the_row_itself_says_it_is_unreadable(broken):
    with pytest.raises(UnreadableSnapshot):
        broken.simulation()


def test_the_page_and_the_poll_explain_and_offer_a_fresh_start(client, broken):
    page = client.get(f"/sandbox/{broken.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert NOTICE in text and 'value="reset"' in text and "kubectl get nodes" in text  # the history is still shown
    poll = client.get(f"/sandbox/{broken.pk}/poll", headers={"HX-Request": "true"})
    assert poll.status_code == 200 and NOTICE in poll.content.decode()
    assert 'hx-trigger' not in poll.content.decode()  # nothing will change by itself: no polling


def test_commands_and_controls_are_refused_and_nothing_is_stored(client, broken):
    logged = CommandLog.objects.filter(sandbox=broken).count()
    response = client.post(f"/sandbox/{broken.pk}/command", {"command": "kubectl get pods"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 409 and UNREADABLE in response.content.decode()
    control = client.post(f"/sandbox/{broken.pk}/control", {"action": "pause"}, headers={"HX-Request": "true"})
    assert control.status_code == 409 and control.content.decode() == UNREADABLE
    after = Sandbox.objects.get(pk=broken.pk)
    assert (after.state, after.version, after.paused) == (broken.state, broken.version, broken.paused)
    assert CommandLog.objects.filter(sandbox=broken).count() == logged


def test_starting_over_makes_it_usable_again(client, broken):
    response = client.post(f"/sandbox/{broken.pk}/control", {"action": "reset"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and response["HX-Refresh"] == "true"
    fresh = Sandbox.objects.get(pk=broken.pk)
    assert fresh.version == broken.version + 1 and fresh.scenario == broken.scenario
    assert fresh.simulation().current_cluster() is not None
    answer = client.post(f"/sandbox/{broken.pk}/command", {"command": "kubectl get nodes"},
                         headers={"HX-Request": "true"})
    assert answer.status_code == 200 and "Ready" in answer.content.decode()
    assert NOTICE not in client.get(f"/sandbox/{broken.pk}/").content.decode()
