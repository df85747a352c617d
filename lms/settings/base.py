"""Settings shared by every environment. Everything that differs per deployment comes from the
environment (12-factor); the defaults here need no variables at all: SQLite, local media."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Overridden by production, which refuses this value.
DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "lms",
    "courses",
    "quizzes",
    "certificates",
    "exams",
    "inspection",
    "notifications",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "lms.apps.UsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # First: what one request has read, for the rest of the same request (lms/request_cache.py).
    "lms.request_cache.RequestCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lms.middleware.BureauLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before the CSRF check reads the body (its process_view runs after every middleware's request step).
    "lms.middleware.UnreadableUploadMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "lms.middleware.IdTooLargeIsNotFound",
    "lms.middleware.AdminExplorerScope",
    # Pages are served without a query for the site or its home page (lms/routing.py).
    "lms.routing.PageRouteMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "lms.context_processors.navigation",
                "notifications.context_processors.inbox",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the task worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "lms.User"
LOGIN_URL = "lms:login"
LOGIN_REDIRECT_URL = "courses:my_courses"
LOGOUT_REDIRECT_URL = "lms:login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend loading the signed-in user with their roles in one query.
    "lms.auth_backends.RolesModelBackend",
]
# Login throttling: five wrong passwords for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "lms/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0"))

# Argon2id first (lms/hashers.py); PBKDF2 kept second so hashes made before still verify and are
# re-hashed with Argon2id at the owner's next login.
PASSWORD_HASHERS = [
    "lms.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Catalogues of packages that are not apps (each app's own locale/ is found without this); the first wins.
# lms/wagtail_zh completes Wagtail's own Chinese (its zh_Hans leaves ~390 admin messages in English); it must sit
# on this path, not in an app, because Wagtail serves its admin JavaScript catalogue for wagtail.admin only and
# Django adds LOCALE_PATHS to every catalogue.
LOCALE_PATHS = [
    BASE_DIR / "certificates" / "qualification" / "locale",
    BASE_DIR / "lms" / "wagtail_zh" / "locale",
]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
FILE_UPLOAD_PERMISSIONS = 0o644
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Hands-on task uploads: the largest file and the most pixels a submitted picture may have.
PRACTICAL_UPLOAD_MAX_BYTES = int(os.environ.get("PRACTICAL_UPLOAD_MAX_BYTES", 15 * 1024 * 1024))
PRACTICAL_IMAGE_MAX_PIXELS = int(os.environ.get("PRACTICAL_IMAGE_MAX_PIXELS", 50_000_000))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Content Security Policy: nothing is loaded from other hosts (the product works offline), no plugins,
# no framing. Inline scripts and styles stay allowed because the Wagtail admin relies on them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", *env_list("CSP_FRAME_HOSTS", "https://player.bilibili.com,https://player.youku.com,https://v.qq.com")],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}

CACHES = {
    "default": {
        "BACKEND": os.environ.get("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": os.environ.get("CACHE_LOCATION", "webmaster-academy"),
    }
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "站长学堂 <noreply@localhost>")

# Notifications (notifications/): SMS is off unless SMS_PROVIDER=aliyun and its keys are set.
SMS_PROVIDER = os.environ.get("SMS_PROVIDER", "")
SMS_ACCESS_KEY_ID = os.environ.get("SMS_ACCESS_KEY_ID", "")
SMS_ACCESS_KEY_SECRET = os.environ.get("SMS_ACCESS_KEY_SECRET", "")
SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME", "")
SMS_ENDPOINT = os.environ.get("SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
NOTIFY_QUIET_HOURS = tuple(int(h) for h in os.environ.get("NOTIFY_QUIET_HOURS", "22,7").split(","))
NOTIFY_TEAM_DAILY_CAP = int(os.environ.get("NOTIFY_TEAM_DAILY_CAP", "100"))
NOTIFY_LEASE_SECONDS = int(os.environ.get("NOTIFY_LEASE_SECONDS", "120"))

# Background work: the database-backed queue by default (run `manage.py db_worker`);
# TASK_BACKEND=django_tasks.backends.immediate.ImmediateBackend runs tasks inline.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# The address the public sees (used in QR codes and e-mails).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ACADEMY_ISSUER_NAME = os.environ.get("ACADEMY_ISSUER_NAME", "常德市商务局")
# Public certificate lookups per client address and minute (counted in the cache).
CERTIFICATE_VERIFY_RATE = int(os.environ.get("CERTIFICATE_VERIFY_RATE", "30"))

WAGTAIL_SITE_NAME = "站长学堂"
# No avatars from gravatar.com: the product runs on closed government networks.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "zip", "csv"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_I18N_ENABLED = False
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "lms.auth_backends.RolesTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "lms.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    # Swagger UI from the installed sidecar package: no CDN, so it works on a closed network.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "status"; give each its own enum name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "AttemptStatusEnum": "quizzes.models.attempts.AttemptStatus",
        "SubmissionStatusEnum": "quizzes.models.tasks.SubmissionStatus",
        "CertificateStatusEnum": "certificates.models.CertificateStatus",
        "CertificateDisplayStatusEnum": "certificates.models.DisplayStatus",
    },
    "TITLE": "站长学堂 Webmaster Academy API",
    "DESCRIPTION": "Courses, enrolment and progress for county commerce-bureau webmasters.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["lms.api.schema.exclude_wagtail_admin_api"],
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "lms.api.schema.add_error_responses"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # One line per login attempt is too much for the console; lockouts still show as warnings.
    "loggers": {
        "axes": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
        # WeasyPrint logs each rendering step (and its own stylesheets at import) at INFO.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# Single sign-on (统一身份认证): OIDC and LDAP, each on only when its variables are set
# (lms/settings/sso.py, README "统一身份认证 / Single sign-on"). Without any, `sso` is not installed.
from .sso import *  # noqa: E402,F401,F403
from .sso import SSO_APPS, SSO_BACKENDS  # noqa: E402

if SSO_APPS:
    # First, so that sso's admin login template (the same sign-in methods on /admin/) wins over Wagtail's.
    INSTALLED_APPS = SSO_APPS + INSTALLED_APPS
    AUTHENTICATION_BACKENDS = AUTHENTICATION_BACKENDS + SSO_BACKENDS
    TEMPLATES[0]["OPTIONS"]["context_processors"].append("sso.context_processors.sign_in_methods")
