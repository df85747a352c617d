from django.urls import path

from . import views

app_name = "sso"
urlpatterns = [
    path("oidc/login/", views.oidc_login, name="oidc_login"),
    path("oidc/callback/", views.oidc_callback, name="oidc_callback"),
    path("cas/login/", views.cas_login, name="cas_login"),
    path("cas/callback/", views.cas_callback, name="cas_callback"),
]
