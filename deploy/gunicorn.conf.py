"""gunicorn for Glasshouse: `gunicorn -c deploy/gunicorn.conf.py portal.wsgi:application` (the Procfile's `web`).

Every figure can be set from the environment, so one file serves a laptop and a large machine alike."""

import multiprocessing
import os

# Behind nginx on the same machine (deploy/nginx.conf.template proxies to GUNICORN_BIND); on several machines, the
# load balancer's private address, e.g. 10.0.0.5:8000.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8481")

# Threads, not one request per process: a request waiting on the database, Redis or storage holds a thread, not a
# whole worker (README "Worker model" has the figures). Processes by CPUs, threads by how much of a request waits.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 4))

# nginx has received each request body whole before it reaches us, so no request waits here on a slow client:
# 60 s is for the slowest page's own work (a large upload hashed and checked), after which the worker is
# restarted rather than left hanging. Graceful: time for requests in flight when reloading with HUP or stopping.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
# nginx keeps connections to us open (upstream keepalive); a little longer than nginx's own idle time.
keepalive = 75

# Recycle each worker after about a thousand requests (spread so they do not all restart together) to bound any
# slow growth of memory.
max_requests = 1000
max_requests_jitter = 200

# Access log to standard output with each request's time in ms and nginx's request id (the error log is stderr).
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}i)s'
errorlog = "-"
# Request headers as nginx sends them: it is the only client on this address.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
