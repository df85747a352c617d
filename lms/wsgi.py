import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.production")
application = get_wsgi_application()
# The URLconf is loaded now rather than by the first request, so that what it builds is frozen with the rest.
get_resolver().url_patterns  # noqa: B018 (the access loads it)

# Everything loaded so far lives as long as the process. Frozen out of the garbage collector's reach, the
# ~200 MB of Django, Wagtail and our modules are no longer walked by every full collection: a freshly started
# worker paid ~1.4 ms of collection per request for its first few hundred requests (an exam-day start storm
# is exactly those), ~0.15 ms frozen (benchmarks/bench_start_path.py, `gc.callbacks` timing).
gc.collect()
gc.freeze()
