"""A web process does not import WeasyPrint: only rendering a certificate PDF does (half a second and
~20 MiB per process otherwise)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # every app's URLs, views, API and admin hooks imported
from django.core.wsgi import get_wsgi_application
get_wsgi_application()  # the middleware too
print("weasyprint" in sys.modules)
from certificates import pdf
pdf.renderer()
print("weasyprint" in sys.modules)
"""


def test_weasyprint_is_imported_only_when_a_pdf_is_rendered():
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "lms.settings.test", "PATH": "/usr/bin:/bin", "HOME": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]
