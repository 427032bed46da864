"""Fixtures shared by the whole suite. pytest-django provides `client`, `rf`, `settings` and `django_db`."""

import pytest


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Tests create many users; the real hasher's deliberate slowness (~0.5 s a user) buys them nothing."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
