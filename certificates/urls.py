from django.urls import path

from . import verify_views, views

app_name = "certificates"
urlpatterns = [
    path("verify/", verify_views.verify_index, name="verify_index"),
    path("verify/<str:code>/", verify_views.verify_certificate, name="verify"),
    path("my/certificates/", views.my_certificates, name="mine"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf, name="pdf"),
    path("certificates/<int:pk>/openbadge.json", views.certificate_badge, name="badge"),
    path("manage/certificates/", views.manage_list, name="manage_list"),
    path("manage/certificates/issue/", views.manage_issue, name="manage_issue"),
    path("manage/certificates/bulk/", views.manage_bulk, name="manage_bulk"),
    path("manage/certificates/jobs/<int:pk>/", views.manage_job, name="manage_job"),
    path("manage/certificates/teams/<slug:code>/zip/", views.team_zip, name="team_zip"),
    path("manage/certificates/<int:pk>/", views.manage_detail, name="manage_detail"),
    path("manage/certificates/<int:pk>/revoke/", views.manage_revoke, name="manage_revoke"),
    path("manage/certificates/<int:pk>/render/", views.manage_rerender, name="manage_rerender"),
]
