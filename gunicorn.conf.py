"""Gunicorn settings for `gunicorn -c gunicorn.conf.py wsgi:app` (scripts/run, bench/load).

Everything comes from the environment, with the defaults scripts/run has always used
(2 sync workers on 127.0.0.1:8000):

    WEB_WORKERS        worker processes (default: WORKERS, else 2)
    WEB_THREADS        threads per worker (default 1; more than 1 makes a sync worker gthread)
    WEB_WORKER_CLASS   sync (default) or gthread
    BIND               address to listen on (default 127.0.0.1:8000)
    WEB_TIMEOUT        seconds a worker may spend on one request before it is killed (default 30)
    WEB_MAX_REQUESTS   requests before a worker is replaced (default 0: never), with a
                       random jitter of up to a tenth of it so workers do not restart together
    WEB_ACCESSLOG      a file, or "-" for stderr (default: no access log); each line ends with
                       the time spent on the request in microseconds
"""
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("BIND") or "127.0.0.1:8000"
workers = _int("WEB_WORKERS", _int("WORKERS", 2))
threads = _int("WEB_THREADS", 1)
worker_class = os.environ.get("WEB_WORKER_CLASS") or "sync"

timeout = _int("WEB_TIMEOUT", 30)
graceful_timeout = 20   # on SIGTERM, requests in flight get this long to finish
keepalive = 5           # seconds an idle keep-alive connection stays open (gthread; sync closes)

# 0: workers are never recycled. Recycling every 5000 requests restarted each worker about
# every 40 s under a class's load (10 boots in a 5-minute run), and each boot (imports, an
# empty exercise cache) put the slowest requests at ~0.8 s; set it if a leak ever shows.
max_requests = _int("WEB_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10

accesslog = os.environ.get("WEB_ACCESSLOG") or None
# The combined format plus the time the worker spent on the request, in microseconds.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s'

errorlog = "-"
