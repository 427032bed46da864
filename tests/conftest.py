"""Fixtures shared by the whole suite. pytest-django provides `client`, `rf`, `settings` and `django_db`."""
