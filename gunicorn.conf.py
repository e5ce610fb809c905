"""gunicorn's settings for factcheck (README, "Production"). gunicorn reads this file from the folder it starts in,
so `gunicorn` alone serves the site; `make serve` runs it on the demo."""

import os


def _whole_number(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdecimal()) or int(value) < 1:
        raise SystemExit(f"{name}={value!r} is not a whole number of at least 1.")
    return int(value)


def _cores():
    # The cores this process may run on (a container's or taskset's share), not every core of the machine.
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


wsgi_app = "factcheck.wsgi:application"
proc_name = "factcheck"
bind = [os.environ.get("DJANGO_BIND", "127.0.0.1:8000")]

# Sync workers, one request at a time each: a page is a few database queries and a template, with nothing to
# wait on for long, so processes, not threads, are the simplest way to use every core. gunicorn's rule of thumb is
# 2 × cores + 1; capped, as each worker holds its own memory and database connection (DJANGO_CONN_MAX_AGE).
worker_class = "sync"
workers = _whole_number("WEB_CONCURRENCY", min(2 * _cores() + 1, 9))
# A worker silent this long is killed and replaced (a request stuck on a lock, say); pages take milliseconds.
timeout = 30
graceful_timeout = 30

# The access log, one line per request, on stdout; gunicorn's own log and Django's (settings.LOGGING) on stderr.
# The size is the response's Content-Length: gunicorn counts no bytes for a file it hands to sendfile (WhiteNoise's).
# Behind a proxy the address is the proxy's; the client's is the proxy's entry in X-Forwarded-For.
accesslog = "-"
errorlog = "-"
access_log_format = (
    '%(h)s %(t)s "%(r)s" %(s)s %({content-length}o)s %(M)sms "%(f)s" "%(a)s" forwarded-for="%({x-forwarded-for}i)s"'
)

# gunicorn 25's control socket lives at one path per user ($HOME/.gunicorn/gunicorn.ctl): a second server on the
# machine (a test's, another checkout's) would take it over. Signals do the same work: HUP reloads, TTIN and TTOU
# add and remove a worker.
control_socket_disable = True
