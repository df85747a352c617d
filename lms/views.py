from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.views.generic import RedirectView

from .forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "lms/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class FaviconView(RedirectView):
    """/favicon.ico, which browsers and feed readers ask for whatever the page says, points at the static icon.
    The URL is resolved per request: with hashed static file names it exists only after collectstatic."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        return static("lms/favicon.ico")
