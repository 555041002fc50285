# Production image: gunicorn serves the portal; the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# Build-time only key: collectstatic and compilemessages need settings, not a real secret.
RUN DJANGO_SECRET_KEY=build-only DJANGO_DEBUG=off python manage.py compilemessages --ignore=.venv -v 0 \
 && DJANGO_SECRET_KEY=build-only DJANGO_DEBUG=off python manage.py collectstatic --noinput -v 0
# /app/media: the report centre's files (a volume the web and worker containers share).
RUN useradd --system --uid 1000 seva && mkdir -p /app/media && chown -R seva /app
USER seva
EXPOSE 8000
# The control socket in the container's own /tmp: one per container, never shared (gunicorn
# 27 puts it under ~/.gunicorn by default, the same path for every instance of one user).
# Threads (gthread): a slow request (a state-wide page) holds one thread, not a whole worker,
# so coordinators' reports do not queue behind it (bench/README.md, issue 10). Keep gthread
# (or another threaded class): its main thread tells the arbiter it is alive while a request
# runs, so a streamed export longer than --timeout is not cut. A sync worker is killed after
# --timeout whatever it is writing: measured, a 21-lakh-row /reports/activities.csv ran 136 s
# on gthread with --timeout 60, and was cut at 20 s on sync with --timeout 20 (bench/README.md,
# issue 14). --timeout still bounds a request that hangs without a thread to answer.
# --keep-alive 75: an idle connection stays open longer than a client (a phone between two
# requests, or a load balancer's 60 s pool) keeps it. At gunicorn's 2 s, a client sending on a
# connection the server was closing got "connection reset": 191 of 7,172 requests (2.7%) in the
# 50-user soak; at 75 s, none (bench/README.md, "Issue 15: the soak").
CMD ["gunicorn", "seva.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--worker-class", "gthread", \
     "--threads", "4", "--timeout", "60", "--keep-alive", "75", "--control-socket", "/tmp/gunicorn.ctl"]
