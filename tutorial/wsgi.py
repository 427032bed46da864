"""WSGI entry point, as gunicorn loads it: `gunicorn tutorial.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

from tutorial.request_charset import refuse_other_charsets

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutorial.settings")

application = refuse_other_charsets(get_wsgi_application())
