"""Pages of the reports app (under /reports/ and /imports/)."""

urlpatterns: list = []
