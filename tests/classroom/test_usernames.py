"""One spelling per username (NFKC + casefold): look-alikes of an existing name cannot be made, and any spelling
logs in to the one account."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.test import Client

from classroom import usernames
from classroom.models import is_instructor

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-42"
LOOKALIKES = ["Bob", "BOB", "ｂｏｂ", "𝐛𝐨𝐛", "𝒃𝒐𝒃", " bob"]


def make_user(username="bob", **kwargs):
    return get_user_model().objects.create_user(username=username, password=PASSWORD, **kwargs)


def signup(client, username, **extra):
    return client.post("/accounts/signup/", {"username": username, "password1": PASSWORD, "password2": PASSWORD,
                                             **extra})


@pytest.mark.parametrize("spelling", ["bob", "Bob", "ｂｏｂ", "𝐛𝐨𝐛", "BOB"])
def test_the_normal_form_is_nfkc_casefold(spelling):
    assert usernames.normalise(spelling) == "bob"


def test_casefold_goes_further_than_lower():
    assert usernames.normalise("STRAßE") == usernames.normalise("strasse") == "strasse"
    assert usernames.normalise("ﬁle") == "file"  # a ligature


@pytest.mark.parametrize("lookalike", LOOKALIKES)
def test_sign_up_refuses_a_look_alike_of_an_existing_name(client, lookalike):
    make_user("bob")
    response = signup(client, lookalike)
    assert response.status_code == 400
    assert usernames.LOOKALIKE in response.text
    assert get_user_model().objects.count() == 1


def test_sign_up_stores_the_normal_form(client):
    assert signup(client, "Ｋｉｍ_Minsu").status_code == 302
    assert get_user_model().objects.get().username == "kim_minsu"


@pytest.mark.parametrize("lookalike", LOOKALIKES)
def test_any_spelling_logs_in_to_the_one_account(client, lookalike):
    bob = make_user("bob")
    assert client.post("/accounts/login/", {"username": lookalike, "password": PASSWORD}).status_code == 302
    assert int(client.session["_auth_user_id"]) == bob.pk


def test_every_new_account_gets_the_normal_form_whatever_makes_it():
    assert make_user("Ｂｏｂ").username == "bob"
    assert get_user_model().objects.create_superuser("ＲＯＯＴ", "r@example.com", PASSWORD).username == "root"


@pytest.mark.parametrize("lookalike", ["Bob", "ｂｏｂ", "𝐛𝐨𝐛"])
def test_the_database_refuses_a_look_alike_made_without_a_form(lookalike):
    make_user("bob")
    with pytest.raises(IntegrityError):
        make_user(lookalike)


def test_the_admin_refuses_a_look_alike_with_a_form_error(admin_client):
    make_user("bob")
    response = admin_client.post("/admin/auth/user/add/", {"username": "ｂｏｂ", "password1": PASSWORD,
                                                          "password2": PASSWORD, "usable_password": "true"})
    assert response.status_code == 200
    assert usernames.LOOKALIKE in response.text
    assert not get_user_model().objects.filter(username="ｂｏｂ").exists()


def test_the_admin_cannot_rename_an_account_to_a_look_alike(admin_client):
    make_user("bob")
    alice = make_user("alice")
    response = admin_client.post(f"/admin/auth/user/{alice.pk}/change/", {
        "username": "BOB", "is_active": "on", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"})
    assert response.status_code == 200
    assert usernames.LOOKALIKE in response.text
    alice.refresh_from_db()
    assert alice.username == "alice"


def test_the_migration_normalises_old_names_unless_another_account_has_the_normal_form():
    """Accounts made before the rule: ``Kim`` becomes ``kim``; ``Bob`` stays when ``bob`` exists, and still logs in
    by its exact spelling."""
    User = get_user_model()
    with connection.cursor() as cursor:  # as stored before the rule (no pre_save)
        for name in ("Kim", "Bob", "bob"):
            cursor.execute(f"INSERT INTO {User._meta.db_table} (username, password, is_superuser, is_staff, "
                           "is_active, first_name, last_name, email, date_joined) VALUES "
                           "(%s, %s, %s, %s, %s, '', '', '', %s)",
                           [name, make_password(PASSWORD), False, False, True, "2026-01-01 00:00:00"])
    migration = importlib.import_module("classroom.migrations.0003_attempts_usernames_invites")
    migration.normalise_usernames(apps, None)
    assert sorted(User.objects.values_list("username", flat=True)) == ["Bob", "bob", "kim"]
    client_a, client_b = Client(), Client()
    client_a.post("/accounts/login/", {"username": "Bob", "password": PASSWORD})
    assert int(client_a.session["_auth_user_id"]) == User.objects.get(username="Bob").pk
    client_b.post("/accounts/login/", {"username": "BOB", "password": PASSWORD})
    assert int(client_b.session["_auth_user_id"]) == User.objects.get(username="bob").pk


def test_make_instructor_finds_the_account_by_any_spelling():
    make_user("bob")
    call_command("make_instructor", "ＢＯＢ")
    assert is_instructor(get_user_model().objects.get(username="bob"))
