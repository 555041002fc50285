"""Messages: the outbox (one `Notification` row per message, unique dedup key), its delivery by
Celery over e-mail and SMS, the reminder rules, broadcasts and SMS reports coming in.
Nothing imports this app (docs/architecture.md); docs/notify.md tells how it works."""
