"""What a channel answers, and one small HTTP client for the robots and the SMS API (standard library only)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

SENT, RETRY, FAILED = "sent", "retry", "failed"


@dataclass(frozen=True)
class Outcome:
    status: str  # sent / retry (temporary) / failed (permanent)
    code: str = ""
    message: str = ""
    auth_failure: bool = False  # the far end refused our credentials: counts towards switching a robot off


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: dict | None
    text: str


class HttpError(Exception):
    """The request did not get an answer (timeout, refused connection, DNS)."""


def http_request(
    url: str, *, data: bytes | None = None, method: str = "POST", timeout: float = 8.0, headers: dict | None = None
) -> HttpAnswer:
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (https/http URLs validated on save)
            status, raw = response.status, response.read(65536)
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read(65536) if exc.fp else b""
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        raise HttpError(str(getattr(exc, "reason", exc)) or exc.__class__.__name__) from exc
    text = raw.decode("utf-8", "replace")
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    return HttpAnswer(status=status, body=body if isinstance(body, dict) else None, text=text[:500])


def post_json(url: str, payload: dict, *, timeout: float = 8.0) -> HttpAnswer:
    return http_request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        timeout=timeout,
        headers={"Content-Type": "application/json; charset=utf-8"},
    )


def http_failure(answer: HttpAnswer) -> Outcome | None:
    """Server errors and 429 are temporary; other non-2xx without a JSON answer are permanent."""
    if answer.status == 429 or answer.status >= 500:
        return Outcome(RETRY, code=f"http_{answer.status}", message=answer.text[:200])
    if answer.status >= 400 and answer.body is None:
        return Outcome(FAILED, code=f"http_{answer.status}", message=answer.text[:200])
    if answer.body is None:
        return Outcome(RETRY, code="bad_answer", message=answer.text[:200])
    return None
