from django.conf import settings
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
