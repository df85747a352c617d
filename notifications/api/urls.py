"""`/api/v1/notifications/`: the signed-in person's inbox, unread count, mark read, preferences."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.InboxList.as_view(), name="api-notifications"),
    path("unread-count/", views.UnreadCount.as_view(), name="api-notifications-unread"),
    path("<int:pk>/read/", views.MarkRead.as_view(), name="api-notifications-read"),
    path("read-all/", views.MarkAllRead.as_view(), name="api-notifications-read-all"),
    path("preferences/", views.Preferences.as_view(), name="api-notifications-preferences"),
]
