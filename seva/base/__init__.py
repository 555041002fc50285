"""The base layer: what every app shares, and nothing that belongs to one app.

Like NetBox's ``utilities``, this package sits below every app. It imports no app (a test,
``tests/test_architecture.py``, walks its imports), and any app may import it:

- ``scoping``  — ``visible_to(user)``, the one scope decision, and ``user_scope``;
- ``rest``     — base viewsets and permission classes of the API (scope applied once);
- ``web``      — base mixins of the pages (sign-in, permission, scope, htmx partials);
- ``filters``  — filter sets whose place choices follow the user's scope;
- ``fields``   — scoped related fields for serializers;
- ``errors``   — a service's ``ValidationError`` on a form, and the API's exception handler;
- ``services`` — small helpers for writing services (collecting errors, locked fetch in scope,
  ``model_update``);
- ``imports``  — widgets of the spreadsheet imports (django-import-export);
- ``net``      — the client's address, ``X-Forwarded-For`` trusted only as far as our proxies;
- ``throttles`` — rate limits in the cache, for the API and for plain views, per address or per
  posted value (a user name, an e-mail address);
- ``middleware`` — ``Cache-Control: private, no-store`` on every answer to a signed-in user.
"""
