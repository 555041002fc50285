"""WSGI entry point for gunicorn (`gunicorn seva.wsgi`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seva.settings")

application = get_wsgi_application()
