"""Local development: `make run`."""

from .base import *  # noqa: F401,F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
# Serve static files straight from the apps (no collectstatic) under any server, runserver or gunicorn.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
