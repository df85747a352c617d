"""WeCom group robots and DingTalk custom robots: message bodies, DingTalk's signature, their error codes.

WeCom: POST `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…` with `{"msgtype": "markdown",
"markdown": {"content": …}}` (≤ 4096 bytes); answers `{"errcode": 0, "errmsg": "ok"}`; 20 messages a minute.
DingTalk: POST `https://oapi.dingtalk.com/robot/send?access_token=…[&timestamp=…&sign=…]` with
`{"msgtype": "markdown", "markdown": {"title": …, "text": …}}`; sign = urlencode(base64(HMAC-SHA256(secret,
"timestamp\\nsecret"))), the timestamp in milliseconds; 20 messages a minute.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import urllib.parse

from .base import FAILED, RETRY, SENT, HttpError, Outcome, http_failure, post_json

# errcode → meaning. Rate limits and "busy" are retried; a refused key/token/signature is permanent and
# counts towards switching the robot off.
WECOM_RETRY = {-1: "system busy", 45009: "api freq out of limit", 45033: "api concurrent out of limit"}
WECOM_AUTH = {93000: "invalid webhook url", 40001: "invalid credential", 93004: "robot disabled"}
DINGTALK_RETRY = {-1: "system busy", 130101: "send too fast", 410100: "send too fast (rate limited)", 43004: "busy"}
DINGTALK_AUTH = {
    310000: "keywords not in content, sign not match, or ip not in whitelist",
    300001: "token is not exist",
    300005: "token is not exist",
    400013: "group dissolved",
    400101: "access_token is not exist",
    400102: "robot stopped",
}
MAX_WECOM_BYTES = 4096
MAX_DINGTALK_BYTES = 5000


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """The documented DingTalk signature: base64(HMAC-SHA256 keyed by the secret over "timestamp\\nsecret")."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signed_dingtalk_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    if not secret:
        return url
    timestamp_ms = timestamp_ms or int(time.time() * 1000)
    extra = urllib.parse.urlencode({"timestamp": timestamp_ms, "sign": dingtalk_sign(secret, timestamp_ms)})
    return f"{url}{'&' if '?' in url else '?'}{extra}"


def _cut(text: str, limit: int) -> str:
    raw = text.encode()
    if len(raw) <= limit:
        return text
    return raw[: limit - 3].decode("utf-8", "ignore") + "…"


def markdown_message(title: str, body: str, url: str, *, link_label: str) -> str:
    # title and body come from rendering with fmt="markdown" (values neutralised); the URL is ours.
    safe_url = url.replace(")", "%29").replace(" ", "%20")
    return f"**{title}**\n\n{body}\n\n[{link_label}]({safe_url})"


def wecom_payload(title: str, body: str, url: str, *, link_label: str) -> dict:
    return {
        "msgtype": "markdown",
        "markdown": {"content": _cut(markdown_message(title, body, url, link_label=link_label), MAX_WECOM_BYTES)},
    }


def dingtalk_payload(title: str, body: str, url: str, *, link_label: str) -> dict:
    text = _cut(markdown_message(title, body, url, link_label=link_label), MAX_DINGTALK_BYTES)
    return {"msgtype": "markdown", "markdown": {"title": _cut(title, 200), "text": text}}


def _judge(answer, retryable: dict, auth: dict) -> Outcome:
    failure = http_failure(answer)
    if failure is not None:
        return failure
    try:
        code = int(answer.body.get("errcode", -1))
    except (TypeError, ValueError):
        code = -1
    message = str(answer.body.get("errmsg", ""))[:300]
    if code == 0:
        return Outcome(SENT)
    if code in retryable:
        return Outcome(RETRY, code=str(code), message=message or retryable[code])
    if code in auth:
        return Outcome(FAILED, code=str(code), message=message or auth[code], auth_failure=True)
    return Outcome(FAILED, code=str(code), message=message)


def send_wecom(url: str, title: str, body: str, link: str, *, link_label: str, timeout: float = 8.0) -> Outcome:
    try:
        answer = post_json(url, wecom_payload(title, body, link, link_label=link_label), timeout=timeout)
    except HttpError as exc:
        return Outcome(RETRY, code="unreachable", message=str(exc)[:300])
    return _judge(answer, WECOM_RETRY, WECOM_AUTH)


def send_dingtalk(url: str, secret: str, title: str, body: str, link: str, *, link_label: str, timeout: float = 8.0) -> Outcome:
    try:
        answer = post_json(
            signed_dingtalk_url(url, secret), dingtalk_payload(title, body, link, link_label=link_label), timeout=timeout
        )
    except HttpError as exc:
        return Outcome(RETRY, code="unreachable", message=str(exc)[:300])
    return _judge(answer, DINGTALK_RETRY, DINGTALK_AUTH)
