"""Settings for VIK, read from environment variables with safe defaults.

Every deployment-specific value comes from the environment (or from a file named by
``<NAME>_FILE``, for secrets mounted by an orchestrator). The defaults are safe: without
configuration the app runs with DEBUG off, two-factor authentication on and secure cookies.
``make run`` sets ``DEBUG=true`` explicitly for the local demo.

See docs/deployment.md for the full table of variables.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

# FileAwareEnv reads ``SECRET_KEY_FILE`` (etc.) when ``SECRET_KEY`` itself is not set.
env = environ.FileAwareEnv()

DEBUG = env.bool("DEBUG", default=False)

# Data that the app writes at run time (SQLite demo database, private uploads).
VAR_DIR = Path(env.str("VIK_VAR_DIR", default=str(BASE_DIR / "var")))

if DEBUG:
    # A throwaway key is fine for a local demo; production must configure its own.
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-local-demo-key-do-not-use-in-production")
else:
    SECRET_KEY = env.str("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "django_filters",
    "guardian",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # VIK: the shared core first, then the department's processes.
    "vik",
    "monitoring",
    "cases",
    "screening",
    "complaints",
    "prevention",
    "vik.transparency",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise: static files keep their lifetimes; everything else is never stored.
    "vik.middleware.NoStoreMiddleware",
    "vik.middleware.RequestContextMiddleware",
    # Right after the request id is known: times and counts every answer from here on,
    # also the ones refused below (static files, served above, are not counted).
    "vik.metrics.RequestMetricsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "vik.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "vik.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "vik.middleware.HtmxVaryMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must be last: it turns a lockout signal into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vik.urls"
FORM_RENDERER = "vik.forms_rendering.VikFormRenderer"
WSGI_APPLICATION = "vik.wsgi.application"
ASGI_APPLICATION = "vik.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vik.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# Without DATABASE_URL the app uses an embedded SQLite file: the one-command demo. Tests
# and production use PostgreSQL (the monitoring event store needs its partitioning).
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'vik-demo.sqlite3'}"),
}
SILENCED_SYSTEM_CHECKS: list[str] = []
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # The demo's SQLite ignores an index's INCLUDE columns (a PostgreSQL covering index of
    # the nightly run): harmless there, and no warning a newcomer should read on every start.
    SILENCED_SYSTEM_CHECKS.append("models.W040")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Behind a pooler in transaction mode (pgbouncer ``pool_mode = transaction``) a named cursor
# cannot outlive its transaction: ``.iterator()`` must then fetch client-side
# (docs/deployment.md#postgresql-at-national-scale).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
    "DATABASE_DISABLE_SERVER_SIDE_CURSORS", default=False
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery --------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "vik",
            # A Redis that is unreachable (not just refusing) must not hold pages up: the
            # session store falls back to the database after these (docs/operations.md).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
# Without a broker the demo runs every task in-process, at once.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A task whose worker died unacknowledged (SIGKILL, power loss) goes back to the queue after
# the visibility timeout (Redis transport; kombu's default is an hour). Tasks are idempotent,
# so one that runs longer than this is merely delivered twice (docs/operations.md).
# The sweep for such messages runs every ``unacked_restore_interval`` seconds (and when a
# worker starts); kombu's own default throttles it to about every 100 s.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=1800),
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=30),
    "unacked_restore_throttle": 1,
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Queues per kind of work, so that separate worker machines can take imports, detection
# chunks and report renders (``celery -A vik worker -Q detection``; docs/deployment.md).
# Unset, everything goes to the one default queue ``celery`` and any worker takes anything.
CELERY_TASK_DEFAULT_QUEUE = "celery"
TASKS_BY_QUEUE_SETTING: dict[str, tuple[str, ...]] = {
    "CELERY_QUEUE_DETECTION": (
        "monitoring.tasks.detect_chunk",
        "monitoring.tasks.detect_period",
        "monitoring.tasks.detect_yesterday",
    ),
    "CELERY_QUEUE_IMPORTS": (
        "monitoring.tasks.import_reference_task",
        "monitoring.tasks.import_access_log_task",
        "api.tasks.import_delivery",
        "vik.tasks.import_organisation_task",
    ),
    "CELERY_QUEUE_REPORTS": (
        "cases.tasks.render_case_report",
        "vik.transparency.tasks.render_logging_report",
    ),
}
CELERY_TASK_ROUTES: dict[str, dict[str, str]] = {
    task: {"queue": queue}
    for setting, tasks in TASKS_BY_QUEUE_SETTING.items()
    if (queue := env.str(setting, default=""))
    for task in tasks
}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Amsterdam"
# Workers log through Django's LOGGING (so JSON logs stay JSON and carry the same fields).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Periodic tasks are declared here (django-celery-beat does not support Django 6.1).
# Each app adds its entries in vik/schedule.py so the whole timetable reads in one place.

# --- Authentication -------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # Axes first: a locked-out user is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    # Passwords, unless local sign-in is switched off (then only for break-glass accounts).
    "vik.backends.LocalPasswordBackend",
    # Single sign-on: answers only the OpenID Connect callback, and only when it is enabled.
    "vik.oidc.OIDCBackend",
    "vik.backends.RoleAdminPermissionBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "vik:login"
LOGIN_REDIRECT_URL = "vik:home"
LOGOUT_REDIRECT_URL = "vik:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Idle timeout: the session expires after this many minutes without a request.
SESSION_COOKIE_AGE = env.int("VIK_SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Redis in front of the database; a Redis outage signs nobody out (vik/sessions.py).
SESSION_ENGINE = "vik.sessions" if REDIS_URL else "django.contrib.sessions.backends.db"

# Login throttling (django-axes): lock a username+address pair after repeated failures, and an
# address after many failures over any user names (password spraying; vik/throttling.py).
AXES_HANDLER = "vik.throttling.AddressAwareAxesHandler"
AXES_FAILURE_LIMIT = env.int("VIK_LOGIN_FAILURE_LIMIT", default=5)
VIK_LOGIN_ADDRESS_FAILURE_LIMIT = env.int("VIK_LOGIN_ADDRESS_FAILURE_LIMIT", default=50)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("VIK_LOGIN_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "vik.middleware.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The single sign-on callback holds no password to guess: a failure there (an unknown person,
# a leaver) must not lock out everyone behind the same address with "no user name".
AXES_WHITELIST_CALLABLE = "vik.backends.not_a_password_attempt"

# Two-factor authentication (TOTP). Required by default; only a DEBUG demo may switch it off.
VIK_REQUIRE_2FA = env.bool("VIK_REQUIRE_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = env.str("VIK_OTP_ISSUER", default="VIK")

# Local sign-in (user name, password and TOTP). Switched off, only the accounts named in
# VIK_BREAK_GLASS_USERS may still use it: the demo and the administrators' way in when the
# identity provider is down. Everyone else signs in through OpenID Connect.
VIK_LOCAL_LOGIN = env.bool("VIK_LOCAL_LOGIN", default=True)
VIK_BREAK_GLASS_USERS = frozenset(env.list("VIK_BREAK_GLASS_USERS", default=[]))

# --- Single sign-on (OpenID Connect, mozilla-django-oidc) -----------------------------
# Off unless configured. The provider's endpoints come from its discovery document
# (<issuer>/.well-known/openid-configuration), fetched when first needed and cached.
VIK_OIDC_ENABLED = env.bool("VIK_OIDC_ENABLED", default=False)
VIK_OIDC_ISSUER = env.str("VIK_OIDC_ISSUER", default="").rstrip("/")
OIDC_RP_CLIENT_ID = env.str("VIK_OIDC_CLIENT_ID", default="")
# The secret is best mounted as a file: VIK_OIDC_CLIENT_SECRET_FILE=/run/secrets/vik_oidc.
OIDC_RP_CLIENT_SECRET = env.str("VIK_OIDC_CLIENT_SECRET", default="")
OIDC_RP_SCOPES = env.str("VIK_OIDC_SCOPES", default="openid profile email")
OIDC_RP_SIGN_ALGO = env.str("VIK_OIDC_SIGN_ALGO", default="RS256")
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # the hint for RP-initiated logout at the provider
OIDC_TIMEOUT = env.int("VIK_OIDC_TIMEOUT_SECONDS", default=10)
OIDC_AUTHENTICATION_CALLBACK_URL = "vik:oidc_callback"
# Which claim carries the personnel number that links the person to their Employee record.
VIK_OIDC_PERSONNEL_NUMBER_CLAIM = env.str(
    "VIK_OIDC_PERSONNEL_NUMBER_CLAIM", default="employee_number"
)
# acr / amr values that mean the provider already asked for a second factor (then VIK does
# not ask for its own TOTP code). Empty: VIK always asks (when VIK_REQUIRE_2FA is on).
VIK_OIDC_SECOND_FACTOR_ACR = frozenset(env.list("VIK_OIDC_SECOND_FACTOR_ACR", default=[]))
VIK_OIDC_SECOND_FACTOR_AMR = frozenset(env.list("VIK_OIDC_SECOND_FACTOR_AMR", default=[]))
# Optional: groups a person must be in to keep a role ("role=group", "*" for every role but
# employee). Missing from the groups claim at sign-in, the role is revoked; never granted.
VIK_OIDC_GROUPS_CLAIM = env.str("VIK_OIDC_GROUPS_CLAIM", default="groups")
VIK_OIDC_ROLE_GROUPS = env.dict("VIK_OIDC_ROLE_GROUPS", default={})

# How many reverse proxies in front of the app may set X-Forwarded-For (0 = trust none).
VIK_TRUSTED_PROXY_COUNT = env.int("VIK_TRUSTED_PROXY_COUNT", default=0)

# --- Security headers -----------------------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if env.bool("VIK_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (Django's built-in middleware). Every asset is vendored, so
# nothing but our own origin is allowed; htmx is configured not to inject inline styles.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- REST API (Django REST framework, drf-spectacular) --------------------------------
# Only service-account tokens authenticate API calls (never a browser session, so no CSRF).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ServiceTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenScopeAndCapability"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "VIK API",
    "DESCRIPTION": (
        "The interface of VIK for the systems around it: log collectors deliver audit "
        "exports and reference data, intake forms register reports and complaints, the HR "
        "system delivers the organisation. Clients are service accounts with scoped tokens "
        "(`Authorization: Bearer vik_…`). Errors are RFC 9457 problem details. See docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"tryItOutEnabled": False, "persistAuthorization": False},
}
VIK_API_ENABLED = env.bool("VIK_API_ENABLED", default=True)
# Requests per minute per token unless the token says otherwise.
VIK_API_RATE_PER_MINUTE = env.int("VIK_API_RATE_PER_MINUTE", default=120)
VIK_API_TOKEN_LIFETIME_DAYS = env.int("VIK_API_TOKEN_LIFETIME_DAYS", default=365)
VIK_API_MAX_UPLOAD_BYTES = env.int("VIK_API_MAX_UPLOAD_BYTES", default=4 * 1024**3)
# Uploads are written here, for the workers to import; must be shared with them.
VIK_API_DELIVERY_DIR = Path(
    env.str("VIK_API_DELIVERY_DIR", default=str(VAR_DIR / "private" / "api-deliveries"))
)

# --- Operations: metrics and probes ---------------------------------------------------
# /metrics answers a bearer token or an address in the allow-list (CIDR); nothing else.
VIK_METRICS_TOKEN = env.str("VIK_METRICS_TOKEN", default="")
VIK_METRICS_ALLOWED_NETWORKS = env.list(
    "VIK_METRICS_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"]
)
# How long the readiness probe waits for a Celery worker to answer a ping.
VIK_READINESS_WORKER_TIMEOUT = env.float("VIK_READINESS_WORKER_TIMEOUT", default=1.0)

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["vik.formats"]  # short date formats per language (vik/formats/)
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------
STATIC_URL = "static/"
# collectstatic's target; the production-mode suite collects into a temporary directory.
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded evidence is private: it lives outside STATIC_ROOT and is only ever served
# through a view that checks visibility and writes the access log.
PRIVATE_MEDIA_ROOT = Path(env.str("VIK_PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env.bool("VIK_PLAIN_STATIC", default=False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

# --- E-mail ---------------------------------------------------------------------------
# EMAIL_URL, e.g. smtp+tls://user:password@mail.example:587 ; console output in a demo.
# Django 6.1's MAILERS replaces the EMAIL_* settings; django-environ still parses the URL.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER") or None,
    "password": _email.get("EMAIL_HOST_PASSWORD") or None,
    "use_tls": bool(_email.get("EMAIL_USE_TLS")),
    "use_ssl": bool(_email.get("EMAIL_USE_SSL")),
    "timeout": 20,
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": _smtp_options if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="VIK <vik-noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Logging --------------------------------------------------------------------------
# VIK_LOG_FORMAT=json writes one JSON object per line (for the log collector); the default
# is one readable line per event. Both carry the request id. Security events (sign-in,
# failures, sign-out, tokens, leavers) come from the logger "vik.security".
VIK_LOG_FORMAT = env.str("VIK_LOG_FORMAT", default="plain")
if VIK_LOG_FORMAT not in {"plain", "json"}:
    raise ValueError("VIK_LOG_FORMAT must be 'plain' or 'json'")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "vik.request_context.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {"()": "vik.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": VIK_LOG_FORMAT,
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint and fontTools narrate every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- guardian, simple-history ---------------------------------------------------------
# No anonymous user row: anonymous requests never reach a protected view.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True


# --- VIK domain settings --------------------------------------------------------------
# Keyed hashes (HMAC-SHA256) for Protective Monitoring: names and addresses are stored only as
# hashes under VIK_MATCHING_KEY, and pseudonyms are derived under VIK_PSEUDONYM_KEY. Without
# explicit keys both are derived from SECRET_KEY (a separate key per purpose); rotating the
# key means re-importing reference data. See docs/monitoring.md.
def _derived_key(purpose: str) -> str:
    import hashlib
    import hmac

    return hmac.new(SECRET_KEY.encode(), purpose.encode(), hashlib.sha256).hexdigest()


VIK_MATCHING_KEY = env.str("VIK_MATCHING_KEY", default="") or _derived_key("vik-matching")
VIK_PSEUDONYM_KEY = env.str("VIK_PSEUDONYM_KEY", default="") or _derived_key("vik-pseudonym")

# The address users reach VIK at, for links in e-mails.
VIK_BASE_URL = env.str("VIK_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Demo logins get a known password only when DEBUG is on (see seed_demo).
VIK_DEMO_PASSWORD = "vik-demo-2026"

# Limits and plausibility windows of the Protective Monitoring importers
# (monitoring/imports/limits.py, docs/monitoring.md "Limits and plausibility"). A row outside
# them is rejected with its line and the reason; nothing else of the file is lost.
MONITORING_IMPORT_LIMITS = {
    # A line (or a quoted record spanning lines) of an access log, and one value of it.
    "max_line_chars": env.int("VIK_IMPORT_MAX_LINE_CHARS", default=8192),
    "max_field_chars": env.int("VIK_IMPORT_MAX_FIELD_CHARS", default=512),
    # Events: not before the retention horizon of monitoring.access_events minus this many
    # days, not more than this many hours after the moment of import.
    "event_days_before_retention": env.int("VIK_IMPORT_EVENT_DAYS_BEFORE_RETENTION", default=7),
    "event_hours_ahead": env.int("VIK_IMPORT_EVENT_HOURS_AHEAD", default=24),
    # Rosters, assignments, incidents: dates within these years before and days after today,
    # and one roster entry or assignment no longer than this.
    "reference_years_back": env.int("VIK_IMPORT_REFERENCE_YEARS_BACK", default=10),
    "reference_days_ahead": env.int("VIK_IMPORT_REFERENCE_DAYS_AHEAD", default=400),
    "roster_max_days": env.int("VIK_IMPORT_ROSTER_MAX_DAYS", default=366),
    "assignment_max_days": env.int("VIK_IMPORT_ASSIGNMENT_MAX_DAYS", default=3653),
}

# Subjects a detection process loads whole, once per run, when the table has no more than
# this many (monitoring/detection/context.py): about 450 bytes each, so the default of a
# million is some 430 MiB. A larger table is read chunk by chunk, about twenty times dearer.
# Raise it on worker machines with the memory for a national subject table.
VIK_DETECTION_SUBJECT_CACHE = env.int("VIK_DETECTION_SUBJECT_CACHE", default=1_000_000)
