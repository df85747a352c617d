"""Production: every secret comes from the environment, and a missing one stops the start."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import CONTENT_SECURITY_POLICY, DEV_SECRET_KEY, SECRET_KEY, STORAGES, env_bool, env_list

DEBUG = False
if not os.environ.get("SECRET_KEY") or SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set SECRET_KEY (at least 50 random characters) for production.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS for production.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-ancestors"] = ["'none'"]
STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"
# Behind a load balancer several app servers share one cache: Redis (Django's own RedisCache, no extra
# package but the `redis` client) from CACHE_URL or REDIS_URL, e.g. redis://127.0.0.1:6379/0. Sessions,
# login throttling (axes) and the verification rate limit then count across servers, and Wagtail's
# per-request site lookups are cache hits instead of database queries. Without it: local memory per
# process (CACHE_BACKEND/CACHE_LOCATION still choose another backend).
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or ""
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("CACHE_URL / REDIS_URL must be a Redis URL (redis://host:6379/0, rediss://…, unix://…).")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "academy"),
            # A stalled Redis must not hang every request: fail fast (Django then reports the error).
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    # Lockouts kept in the shared cache: one lookup per login attempt instead of database rows.
    AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
else:
    CACHES = {
        "default": {
            "BACKEND": os.environ.get("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
            "LOCATION": os.environ.get("CACHE_LOCATION", "academy_cache"),
        }
    }
# Sessions read from the cache, written through to the database: a cache restart signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Shared media on S3-compatible object storage (MinIO, OSS, COS…) when several hosts serve the site.
# Needs `pip install django-storages[s3]`; without AWS_STORAGE_BUCKET_NAME media stay on the local disk.
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL"),
            "region_name": os.environ.get("AWS_S3_REGION_NAME"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
