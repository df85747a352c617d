"""What a robot's webhook address and secret must look like. Only the platforms' own hosts are accepted (the
academy must not be made to POST to arbitrary addresses); tests add 127.0.0.1 through the settings."""

from __future__ import annotations

import re
import urllib.parse

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_HOSTS = {"wecom": ["qyapi.weixin.qq.com"], "dingtalk": ["oapi.dingtalk.com"]}
WECOM_KEY = re.compile(r"^[0-9A-Za-z-]{20,64}$")
DINGTALK_TOKEN = re.compile(r"^[0-9A-Za-z]{32,128}$")
DINGTALK_SECRET = re.compile(r"^SEC[0-9A-Za-z]{32,128}$")


def validate_robot(*, kind: str, url: str, secret: str) -> None:
    errors: dict[str, list[str]] = {}
    parts = urllib.parse.urlsplit(url or "")
    hosts = getattr(settings, "NOTIFY_ROBOT_HOSTS", DEFAULT_HOSTS).get(kind, [])
    schemes = {"https", "http"} if getattr(settings, "NOTIFY_ROBOT_ALLOW_HTTP", False) else {"https"}
    query = urllib.parse.parse_qs(parts.query)
    host = parts.hostname or ""
    if parts.port and host:
        host = f"{host}:{parts.port}"
    if parts.scheme not in schemes or host not in hosts or parts.username or parts.fragment:
        errors["url"] = [
            _("This is not a %(platform)s robot address: it must start with %(example)s.")
            % {
                "platform": _("WeCom") if kind == "wecom" else _("DingTalk"),
                "example": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key="
                if kind == "wecom"
                else "https://oapi.dingtalk.com/robot/send?access_token=",
            }
        ]
    elif kind == "wecom":
        if parts.path != "/cgi-bin/webhook/send" or not WECOM_KEY.match((query.get("key") or [""])[0]):
            errors["url"] = [
                _(
                    "The WeCom robot address must be …/cgi-bin/webhook/send?key= followed by the robot's key, as copied from the group's robot settings."
                )
            ]
        if secret:
            errors["secret"] = [_("WeCom robots have no signing secret: leave this empty.")]
    elif kind == "dingtalk":
        if parts.path != "/robot/send" or not DINGTALK_TOKEN.match((query.get("access_token") or [""])[0]):
            errors["url"] = [_("The DingTalk robot address must be …/robot/send?access_token= followed by the robot's token.")]
        if "sign" in query or "timestamp" in query:
            errors["url"] = [_("Copy the address without timestamp and sign: the academy signs each message itself.")]
        if secret and not DINGTALK_SECRET.match(secret):
            errors["secret"] = [
                _("A DingTalk signing secret starts with SEC followed by letters and digits, as shown under 加签.")
            ]
    if errors:
        raise ValidationError(errors)
