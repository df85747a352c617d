from django.urls import path

from . import views

app_name = "sso"
urlpatterns = [
    path("oidc/login/", views.oidc_login, name="oidc_login"),
    path("oidc/callback/", views.oidc_callback, name="oidc_callback"),
]
