from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


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


class UnreadableUploadMiddleware:
    """An upload Django cannot parse gets a clear message, not a bare “Bad Request (400)”.

    Django refuses a multipart body it cannot read (a part's headers too long — a file name of thousands of
    characters —, a broken boundary) with an English error, and the CSRF check is what first reads the body
    on a page. Reading it here, before that, lets a page send the person back with the reason and the API
    answer in its usual {"detail": …} form. Must come after the session, auth and message middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type == "multipart/form-data":
            try:
                request.POST  # noqa: B018 — parse now, while a refusal can still be explained
            except MultiPartParserError:
                return self._refuse(request)
        return self.get_response(request)

    def _refuse(self, request):
        message = _("The upload could not be read: the file name is too long or the form arrived damaged. "
                    "Give the file a shorter name and upload it again.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        back = request.headers.get("referer", "")
        if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
            messages.error(request, message)
            return redirect(back)
        return render(request, "lms/upload_refused.html", {"message": message}, status=400)


class AdminExplorerScope:
    """The Wagtail page explorer opens only pages the person may explore.

    Wagtail lists a page's children by page permissions but shows any page below the person's explorable root
    (its title, its header) when asked for it by id: a trainer could open another county's practice site that way.
    """

    EXPLORER_VIEWS = {"wagtailadmin_explore", "wagtailadmin_explore_results"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        page_id = view_kwargs.get("parent_page_id")
        if match is None or match.url_name not in self.EXPLORER_VIEWS or page_id is None:
            return None
        user = request.user
        if not user.is_authenticated or user.is_superuser:
            return None
        from wagtail.permission_policies.pages import PagePermissionPolicy

        if not PagePermissionPolicy().explorable_instances(user).filter(pk=page_id).exists():
            raise Http404
        return None
