"""API views: parse, call one service or selector, answer. Only one's own notifications are reachable
(someone else's id answers 404)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services
from ..models import PERSONAL_CHANNELS, Notification
from ..rendering import render


class NotificationSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "event", "title", "body", "url", "urgent", "created_at", "read_at"]

    def _text(self, obj):
        if not hasattr(obj, "_text"):
            request = self.context.get("request")
            obj._text = render(
                obj.event, obj.context, fmt="text", link=obj.link, language=getattr(request, "LANGUAGE_CODE", None)
            )
        return obj._text

    def get_title(self, obj) -> str:
        return self._text(obj).title

    def get_body(self, obj) -> str:
        return self._text(obj).body

    def get_url(self, obj) -> str:
        return self._text(obj).url


class InboxList(generics.ListAPIView):
    serializer_class = NotificationSerializer

    def get_queryset(self):
        return selectors.inbox(self.request.user)


class UnreadCount(APIView):
    @extend_schema(responses=inline_serializer("UnreadCount", {"unread": serializers.IntegerField()}))
    def get(self, request):
        return Response({"unread": selectors.unread_count(request.user)})


class MarkRead(APIView):
    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request, pk: int):
        notification = services.mark_read(user=request.user, notification_id=pk)
        if notification is None:
            raise Http404
        return Response(NotificationSerializer(notification, context={"request": request}).data)


class MarkAllRead(APIView):
    @extend_schema(request=None, responses=inline_serializer("MarkedRead", {"marked": serializers.IntegerField()}))
    def post(self, request):
        return Response({"marked": services.mark_all_read(user=request.user)})


class PreferenceItem(serializers.Serializer):
    event = serializers.CharField(max_length=64)
    channel = serializers.ChoiceField(choices=[c.value for c in PERSONAL_CHANNELS])
    enabled = serializers.BooleanField()
    mandatory = serializers.BooleanField(read_only=True)


class Preferences(APIView):
    def _listing(self, request):
        events = selectors.events_for(request.user)
        current, mandatory = selectors.current_preferences(request.user, events), selectors.mandatory_events()
        return [{"event": e, "channel": c, "enabled": on, "mandatory": e in mandatory} for (e, c), on in current.items()]

    @extend_schema(responses=PreferenceItem(many=True))
    def get(self, request):
        return Response(self._listing(request))

    @extend_schema(request=PreferenceItem(many=True), responses=PreferenceItem(many=True))
    def put(self, request):
        items = PreferenceItem(data=request.data, many=True)
        items.is_valid(raise_exception=True)
        allowed = {e.code for e in selectors.events_for(request.user)}
        unknown = sorted({i["event"] for i in items.validated_data} - allowed)
        if unknown:
            raise serializers.ValidationError({"event": [_("Unknown event: %(code)s") % {"code": code} for code in unknown[:5]]})
        services.set_preferences(
            user=request.user, choices={(i["event"], i["channel"]): i["enabled"] for i in items.validated_data}
        )
        return Response(self._listing(request))
