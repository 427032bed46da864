"""WSGI entry point, as gunicorn loads it: `gunicorn tutorial.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutorial.settings")

application = get_wsgi_application()
