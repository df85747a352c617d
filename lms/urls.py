from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms.views import FaviconView

urlpatterns = [
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("lms.urls_auth")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("lms.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("qualification/", include("certificates.qualification.urls")),
    path("", include("courses.urls")),
    path("", include("quizzes.urls")),
    path("", include("certificates.urls")),
    path("hands-on/", include("quizzes.practical.urls")),
    path("exams/", include("exams.urls")),
    path("inspection/", include("inspection.urls")),
    path("notifications/", include("notifications.urls")),
]

# Single sign-on, when its app is installed (lms/settings/sso.py: only with SSO variables set).
if "sso" in settings.INSTALLED_APPS:
    urlpatterns.append(path("sso/", include("sso.urls")))

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every other path from the page tree; keep it last.
urlpatterns += [path("", include(wagtail_urls))]
