"""SMS through a provider interface; one adapter: Aliyun SMS (dysmsapi `SendSms`, RPC signature v1).

Disabled unless `SMS_PROVIDER=aliyun` and its keys are set. Messages use the template ids the provider
approved (set per event in the admin, 事件策略), with the event's parameters as `TemplateParam`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.parse
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings

from .base import FAILED, RETRY, SENT, HttpError, Outcome, http_failure, http_request


class SmsProvider:
    """What an SMS adapter provides."""

    name = ""

    def send(self, *, phone: str, template_code: str, params: dict, out_id: str) -> Outcome:
        raise NotImplementedError


def percent_encode(value: str) -> str:
    """Aliyun's POP encoding: RFC 3986 unreserved characters kept, everything else %XX (space → %20)."""
    return urllib.parse.quote(str(value), safe="~")


def aliyun_signature(params: dict, secret: str, method: str = "GET") -> str:
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    string_to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


# Code → temporary? Flow control and system errors are retried; the rest (bad number, template, signature,
# keys, balance) will not get better by trying again.
ALIYUN_RETRY = {
    "isv.BUSINESS_LIMIT_CONTROL",
    "Throttling",
    "Throttling.User",
    "Throttling.Api",
    "isp.SYSTEM_ERROR",
    "ServiceUnavailable",
    "InternalError",
}
ALIYUN_AUTH = {"SignatureDoesNotMatch", "InvalidAccessKeyId.NotFound", "InvalidAccessKeyId.Inactive", "isp.RAM_PERMISSION_DENY"}


@dataclass
class AliyunSms(SmsProvider):
    access_key_id: str
    access_key_secret: str
    sign_name: str
    endpoint: str = "https://dysmsapi.aliyuncs.com/"
    region: str = "cn-hangzhou"
    timeout: float = 8.0
    name = "aliyun"

    def request_url(
        self, *, phone: str, template_code: str, params: dict, out_id: str, now: datetime | None = None, nonce: str | None = None
    ) -> str:
        now = now or datetime.now(UTC)
        query = {
            "AccessKeyId": self.access_key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "RegionId": self.region,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": nonce or uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "Timestamp": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
            "PhoneNumbers": phone,
            "SignName": self.sign_name,
            "TemplateCode": template_code,
            "TemplateParam": json.dumps(params, ensure_ascii=False, separators=(",", ":")),
            "OutId": out_id,
        }
        signature = aliyun_signature(query, self.access_key_secret)
        canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(query.items()))
        return f"{self.endpoint}?Signature={percent_encode(signature)}&{canonical}"

    def send(self, *, phone: str, template_code: str, params: dict, out_id: str) -> Outcome:
        url = self.request_url(phone=phone, template_code=template_code, params=params, out_id=out_id)
        try:
            answer = http_request(url, method="GET", timeout=self.timeout)
        except HttpError as exc:
            return Outcome(RETRY, code="unreachable", message=str(exc)[:300])
        if answer.body is not None and "Code" in answer.body:
            code, message = str(answer.body.get("Code")), str(answer.body.get("Message", ""))[:300]
            if code == "OK":
                return Outcome(SENT)
            if code in ALIYUN_RETRY:
                return Outcome(RETRY, code=code, message=message)
            return Outcome(FAILED, code=code, message=message, auth_failure=code in ALIYUN_AUTH)
        return http_failure(answer) or Outcome(FAILED, code="bad_answer", message=answer.text[:200])


def sms_provider() -> SmsProvider | None:
    """The configured provider, or None: SMS is off unless every setting it needs is present."""
    if getattr(settings, "SMS_PROVIDER", "") != "aliyun":
        return None
    key_id, secret, sign = (
        getattr(settings, name, "") for name in ("SMS_ACCESS_KEY_ID", "SMS_ACCESS_KEY_SECRET", "SMS_SIGN_NAME")
    )
    if not (key_id and secret and sign):
        return None
    return AliyunSms(
        access_key_id=key_id,
        access_key_secret=secret,
        sign_name=sign,
        endpoint=getattr(settings, "SMS_ENDPOINT", "") or "https://dysmsapi.aliyuncs.com/",
        timeout=float(getattr(settings, "NOTIFY_HTTP_TIMEOUT", 8)),
    )
