"""Signing in: API tokens per device (django-rest-knox), sign-in throttles, lock-outs."""
