"""Two gunicorn servers share nothing but the database: a learner's requests alternate between them, and two
tabs on different servers press on one sandbox at once. Nothing is lost and the sandbox stays consistent.

Runs against the test database of whichever pass this is (a SQLite file, or the throwaway PostgreSQL server
of `make test`), with the production settings (DEBUG off) under gunicorn.
"""

import re
import secrets
import threading

import pytest
from django.db import connection

from devtools.learner_client import LearnerClient
from devtools.web_server import WebServer
from sandbox.models import CommandLog, Sandbox

pytestmark = pytest.mark.django_db(transaction=True)


def database_url_of_this_pass() -> str:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    return f"sqlite:///{settings['NAME']}"


@pytest.fixture
def two_servers():
    key = secrets.token_urlsafe(50)
    url = database_url_of_this_pass()
    with WebServer(url, workers=1, secret_key=key) as first, WebServer(url, workers=1, secret_key=key) as second:
        yield first, second


def ready_count(text: str, name: str) -> str:
    found = re.search(rf"^{name}\s+(\d+/\d+)", text, re.MULTILINE)
    return found.group(1) if found else ""


def test_a_learner_alternating_between_two_servers_keeps_one_consistent_sandbox(two_servers):
    first, second = two_servers
    learner = LearnerClient([first.url, second.url])
    learner.start_sandbox("three-nodes")
    commands = ["kubectl create deployment web --image=nginx:1.27 --replicas=2",
                "kubectl scale deployment web --replicas=5",
                "sim advance 30",
                "kubectl create deployment api --image=redis:7.2",
                "sim advance 60",
                "kubectl get deployments"]
    replies = []
    for text in commands:
        replies.append(learner.command(text))
        assert learner.poll().status in (200, 304)  # revalidated as a browser does: 304 when nothing moved
    assert [r.status for r in replies] == [200] * len(commands)
    listing = learner.output(replies[-1])
    assert ready_count(listing, "web") == "5/5" and ready_count(listing, "api") == "1/1", listing

    sandbox = Sandbox.objects.get(pk=learner.sandbox)
    logged = list(CommandLog.objects.filter(sandbox=sandbox).values_list("text", flat=True))
    assert logged == commands
    # Each command that changes the cluster saved once (the last one only looks, so it saved nothing); polls
    # may add catch-up saves but never lose one.
    assert sandbox.version >= len(commands) - 1
    learner.close()


def test_two_tabs_on_two_servers_commanding_at_once_lose_nothing(two_servers):
    first, second = two_servers
    owner = LearnerClient(first.url)
    owner.start_sandbox("three-nodes")
    names = [f"app{i}" for i in range(8)]
    statuses = []

    def tab(server_url, my_names):
        # A second tab of the same browser: the same cookies, another server behind the load balancer.
        client = LearnerClient(server_url)
        client.cookies, client.csrf, client.sandbox = dict(owner.cookies), owner.csrf, owner.sandbox
        for name in my_names:
            statuses.append(client.command(f"kubectl create deployment {name} --image=nginx:1.27").status)
        client.close()

    threads = [threading.Thread(target=tab, args=(first.url, names[0::2])),
               threading.Thread(target=tab, args=(second.url, names[1::2]))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * len(names)
    listing = owner.output(owner.command("kubectl get deployments -o name"))
    assert sorted(line.removeprefix("deployment.apps/") for line in listing.split()) == sorted(names)
    assert CommandLog.objects.filter(sandbox_id=owner.sandbox).count() == len(names) + 1
    owner.close()


def test_a_session_made_on_one_server_is_honoured_by_the_other_and_nobody_else_sees_the_sandbox(two_servers):
    first, second = two_servers
    learner = LearnerClient(first.url)
    learner.start_sandbox("three-nodes")
    learner.bases = [second.url]
    assert learner.poll().status == 200
    stranger = LearnerClient(second.url)
    stranger.request("GET", "/sandbox/")
    stranger.sandbox = learner.sandbox
    assert stranger.poll().status == 404
    learner.close()
    stranger.close()
