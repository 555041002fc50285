"""Reports: spreadsheets in and out for every record, streaming exports, and the report centre
(files built by Celery). Nothing imports this app (docs/architecture.md)."""
