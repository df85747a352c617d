"""The `/api/v1/` router: each app adds its routes here."""

from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("", include("courses.api.urls")),
    path("", include("certificates.qualification.api_urls")),
    path("", include("quizzes.api.urls")),
    path("", include("certificates.api.urls")),
    path("practical/", include("quizzes.practical.api")),
    path("notifications/", include("notifications.api.urls")),
    path("", include("exams.api.urls")),
]
