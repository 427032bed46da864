"""A body declared in a charset other than UTF-8 gets a Korean 400, through Django and through gunicorn."""

import http.client

import pytest
from django.test import Client

from devtools.web_server import WebServer
from tests.test_two_servers import database_url_of_this_pass
from tutorial.request_charset import MESSAGE, declared_charset_ok

FORM = "application/x-www-form-urlencoded"
# Text encodings Django would decode with, codecs that are no text encoding, and names Python does not know.
REFUSED = ["utf-16", "UTF-16LE", "utf-32", "latin-1", "euc-kr", "hex", "rot13", "base64", "x-no-such-charset"]


@pytest.mark.parametrize("charset", REFUSED)
def test_a_form_post_in_another_charset_gets_a_korean_400(db, charset):
    client = Client(enforce_csrf_checks=True)  # the CSRF check is what read the body a second time
    body = "command=kubectl get pods".encode("utf-16")
    response = client.generic("POST", "/sandbox/", body, content_type=f"{FORM}; charset={charset}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert MESSAGE in response.content.decode()


def test_htmx_gets_the_message_as_plain_text(db):
    response = Client(enforce_csrf_checks=True).generic(
        "POST", "/sandbox/", b"x=1", content_type=f"{FORM}; charset=utf-16", headers={"HX-Request": "true"})
    assert response.status_code == 400 and response.content.decode() == MESSAGE


@pytest.mark.parametrize("content_type", ["multipart/form-data; boundary=x; charset=hex",
                                          "text/plain; charset=utf-16", "application/json; charset=rot13"])
def test_any_method_and_content_type_is_covered(db, content_type):
    response = Client().generic("GET", "/lessons/", b"x", content_type=content_type)
    assert response.status_code == 400


@pytest.mark.parametrize("content_type", [FORM, f"{FORM}; charset=utf-8", f"{FORM}; charset=UTF8",
                                          f'{FORM}; charset="utf-8"', f"{FORM}; charset=us-ascii",
                                          "multipart/form-data; boundary=x", ""])
def test_utf8_and_no_charset_pass(content_type):
    assert declared_charset_ok(content_type)


@pytest.mark.django_db(transaction=True)
def test_gunicorn_with_the_shipped_config_answers_a_korean_400():
    with WebServer(database_url_of_this_pass(), workers=1, threads=2) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        # A charset that is no text encoding, with a query string, broke Django before any middleware ran.
        for charset, path in (("utf-16", "/sandbox/"), ("hex", "/sandbox/?scenario=x")):
            conn.request("POST", path, body="scenario=three-nodes".encode("utf-16"),
                         headers={"Content-Type": f"{FORM}; charset={charset}"})
            response = conn.getresponse()
            text = response.read().decode("utf-8")
            assert response.status == 400, text
            assert response.getheader("Server") == "gunicorn" and MESSAGE in text
        conn.request("GET", "/healthz")  # the connection and the worker are still fine
        assert conn.getresponse().status == 200
        conn.close()
