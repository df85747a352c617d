from rest_framework.exceptions import NotFound
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """DRF's handler, plus: an id too large for the database names nothing (404 in JSON, not a 500)."""
    if isinstance(exc, OverflowError):
        exc = NotFound()
    return drf_exception_handler(exc, context)
