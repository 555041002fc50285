"""Seva Portal: the project package (settings, root URLs, Celery app, WSGI)."""

from .celery import app as celery_app

__all__ = ("celery_app",)
