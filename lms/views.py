from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.views.generic import RedirectView

from .forms import LoginForm

# A sign-in method (e.g. single sign-on) may leave here the address where signing out continues, such as
# the identity provider's end-session page. Only server code writes it, so it is trusted.
LOGOUT_CONTINUE_SESSION_KEY = "logout_continue_url"


class LoginView(auth_views.LoginView):
    template_name = "lms/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        follow = request.session.get(LOGOUT_CONTINUE_SESSION_KEY)
        response = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(follow) if follow else response
class FaviconView(RedirectView):
    """/favicon.ico, which browsers and feed readers ask for whatever the page says, points at the static icon.
    The URL is resolved per request: with hashed static file names it exists only after collectstatic."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        return static("lms/favicon.ico")
