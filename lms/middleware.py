from django.conf import settings
from django.http import Http404
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class BureauLanguageMiddleware(LocaleMiddleware):
    """The bureau's language (Simplified Chinese) unless the person chose another in the header.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many office PCs run an
    English browser; the product should still speak Chinese to them until they switch.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        translation.activate(chosen if chosen in supported else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()


class IdTooLargeIsNotFound:
    """An id in the URL too large for the database (SQLite: 64-bit) cannot name anything: answer 404, not 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError):
            from django.views.defaults import page_not_found

            return page_not_found(request, Http404())
        return None
