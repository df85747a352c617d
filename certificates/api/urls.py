from django.urls import path

from . import views

urlpatterns = [
    path("certificates/verify/<str:code>/", views.VerifyCertificateView.as_view(), name="certificate-verify"),
    path("me/certificates/", views.MyCertificatesView.as_view(), name="my-certificates"),
]
