"""Settings for factcheck, all driven by environment variables (documented in README.md)."""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_bool(name, default=False):
    """An on/off switch. Anything but the words below is refused: read as off, DJANGO_HTTPS=ture would silently
    drop HTTPS, HSTS and secure cookies."""
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is neither on (1, true, yes, on) nor off (0, false, no, off, or empty)."
    )


def env_int(name, default, *, minimum=0):
    """A whole number, at least `minimum`; unset or empty means `default`."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    # isdecimal and isascii rather than int() alone, which would also take "1_000" and non-ASCII digits.
    if not (value.isascii() and value.isdecimal()) or int(value) < minimum:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number of at least {minimum}.")
    return int(value)


def env_proxy_count(name):
    """How many proxies stand in front of the site. It used to be an on/off switch (on: one proxy), and
    those words still work."""
    word = os.environ.get(name, "").strip().lower()
    if word in TRUE_WORDS:
        return 1
    if word in FALSE_WORDS:
        return 0
    try:
        return env_int(name, 0)
    except ImproperlyConfigured:
        raise ImproperlyConfigured(
            f"{name}={os.environ[name]!r} is not a number of trusted proxies (0, 1, 2, ...; or on/off)."
        ) from None


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for a development key).")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "axes",
    "django_tasks_db",
    "ninja",
    "factcheck",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # WhiteNoise comes here with DJANGO_SERVE_STATIC (below).
    # Compresses pages and fragments on their way out, so it sits above every middleware that reads or changes the
    # body. Django adds a random number of bytes to each compressed response against BREACH (guessing the CSRF
    # token from compressed sizes).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as its documentation asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one editor writes; IMMEDIATE takes the write
    # lock at BEGIN so two writers queue (busy timeout) instead of failing mid-way.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory, for the test database: the concurrency tests write to it
    # from many threads at once, as a real server's workers would.
    # One file per test run, so that runs side by side do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"factcheck-test-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Login throttling (django-axes) covers every login form, the admin's included: after
# AXES_FAILURE_LIMIT failures for one username from one address, that pair is locked
# out for the cool-off time, then may try again. Other addresses, the account owner's
# among them, can still log in as that user.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The address is the client's, not the proxy's: behind a proxy every user would share the
# proxy's address, and anyone could keep anyone locked out (see client_address.py).
AXES_CLIENT_IP_CALLABLE = "factcheck.client_address.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
# In production (DJANGO_SERVE_STATIC=1) the site serves its own static files: collectstatic writes each one
# under a name holding a hash of its content, with a gzipped copy, pages link those names, and WhiteNoise serves
# them with a one-year immutable Cache-Control (new content gets a new name). That storage cannot render a page
# before collectstatic has written its manifest, so it is switched on rather than read from DEBUG: the test run
# (DEBUG off too) and runserver (DEBUG on, static files served from static/) use the plain names.
SERVE_STATIC = env_bool("DJANGO_SERVE_STATIC")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if SERVE_STATIC
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if SERVE_STATIC:
    # Straight after the HTTPS redirect and before everything else: a static file needs no session or login, and
    # WhiteNoise sends its own precompressed copy, which GZipMiddleware then leaves alone.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

# Security headers. Every page gets a strict Content Security Policy: scripts and
# styles only from our own static files (htmx is configured to inject no inline
# styles), no framing, forms only to ourselves.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# The CSRF token reaches htmx through the page (hx-headers), never from the cookie.
CSRF_COOKIE_HTTPONLY = True

# Production behind HTTPS: DJANGO_HTTPS=1 (see README, "Production").
HTTPS = env_bool("DJANGO_HTTPS")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# The number of proxies in front of the site (DJANGO_BEHIND_PROXY), each appending to
# X-Forwarded-For. Only what they set is trusted; with none, the forwarding headers are
# ignored, as any client can send them.
FACTCHECK_TRUSTED_PROXIES = env_proxy_count("DJANGO_BEHIND_PROXY")
if FACTCHECK_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Everything to stderr, one line per record with its time, process and logger, as gunicorn writes its own log:
# a server error's traceback (django.request), 404s and refused requests as warnings. The requests themselves are
# gunicorn's access log, on stdout (gunicorn.conf.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "format": "[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s",
            "datefmt": "%Y-%m-%d %H:%M:%S %z",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    # django-axes logs every login at INFO; lockouts still show as warnings.
    "loggers": {"axes": {"level": "WARNING"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# How often live regions poll for colleagues' changes, in seconds.
FACTCHECK_POLL_SECONDS = env_int("DJANGO_POLL_SECONDS", 5, minimum=1)

# How long a rendered part of a page is kept while nothing changes (factcheck.live.cached_region); 0: never.
# A change anywhere makes every kept part stale at once; the limit only bounds how old a "5 minutes ago" gets.
FACTCHECK_REGION_CACHE_SECONDS = env_int("DJANGO_REGION_CACHE_SECONDS", 60)
# Each process keeps its own rendered parts, in memory: nothing to run beside the site.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": env_int("DJANGO_CACHE_ENTRIES", 2000, minimum=1)},
    }
}

# The largest article read, in bytes: a file for `manage.py import_articles`, an upload or a fetched page.
FACTCHECK_MAX_ARTICLE_BYTES = env_int("DJANGO_MAX_ARTICLE_BYTES", 5_000_000, minimum=1)

# Who publishes the reviews: the author of every ClaimReview, named on the public review pages.
FACTCHECK_ORGANISATION_NAME = os.environ.get("DJANGO_ORGANISATION_NAME", "factcheck")
FACTCHECK_ORGANISATION_URL = os.environ.get("DJANGO_ORGANISATION_URL", "")

# Notifications by e-mail (factcheck.models.workflow), through Django's mailers. Development prints each message
# to the console; production names an SMTP server with DJANGO_EMAIL_BACKEND=smtp and the settings below.
_email_backend = os.environ.get("DJANGO_EMAIL_BACKEND", "console").strip().lower()
if _email_backend not in ("console", "smtp", "off"):
    raise ImproperlyConfigured(f"DJANGO_EMAIL_BACKEND={_email_backend!r} is not console, smtp or off.")
MAILERS = {
    "default": {
        "BACKEND": {
            "console": "django.core.mail.backends.console.EmailBackend",
            "smtp": "django.core.mail.backends.smtp.EmailBackend",
            "off": "django.core.mail.backends.dummy.EmailBackend",
        }[_email_backend],
        "OPTIONS": {
            "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
            "port": env_int("DJANGO_EMAIL_PORT", 25, minimum=1),
            "username": os.environ.get("DJANGO_EMAIL_USER", ""),
            "password": os.environ.get("DJANGO_EMAIL_PASSWORD", ""),
            "use_tls": env_bool("DJANGO_EMAIL_TLS"),
            "timeout": 10,
        }
        if _email_backend == "smtp"
        else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_EMAIL_FROM", "factcheck@localhost")
# `check --deploy` refuses a development mailer in production (mail.E001); "off" says so on purpose.
SILENCED_SYSTEM_CHECKS = ["mail.E001"] if _email_backend == "off" else []
# The site's address as readers reach it, for the links in e-mails ("https://factcheck.example.org"); empty: none.
FACTCHECK_SITE_URL = os.environ.get("DJANGO_SITE_URL", "")

# Background work (fetching a page by URL) is queued in the database and run by `manage.py db_worker`
# (django-tasks-db), which `make run` starts beside the site. DJANGO_TASKS_IMMEDIATE=1 runs it in the request.
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if env_bool("DJANGO_TASKS_IMMEDIATE")
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}
# Fetching an article by URL: how long to wait for the page, and whether addresses on the server's own
# private networks (localhost, 10.x, 192.168.x ...) may be fetched; off, so no one can read internal services.
FACTCHECK_FETCH_TIMEOUT_SECONDS = env_int("DJANGO_FETCH_TIMEOUT_SECONDS", 15, minimum=1)
FACTCHECK_FETCH_PRIVATE_ADDRESSES = env_bool("DJANGO_FETCH_PRIVATE_ADDRESSES")
