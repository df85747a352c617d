"""A local stand-in for the WeCom robot, DingTalk robot and Aliyun SMS APIs on 127.0.0.1, speaking their
answer formats. It checks what it receives on its own (signatures recomputed here, not with the product's
code): a bad DingTalk signature gets 310000 as DingTalk answers, a bad Aliyun signature SignatureDoesNotMatch.

Behaviour per robot key / access token / phone number is set with `server.mode[...]`:
ok, ratelimit, invalid (token/key), error500, timeout (answers after `slow_seconds`).
Used by tests and by benchmarks/bench_notifications.py.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Platforms(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int = 0):
        super().__init__(("127.0.0.1", port), _Handler)
        self.lock = threading.Lock()
        self.received: list[dict] = []  # every accepted message
        self.refused: list[dict] = []
        self.mode: dict[str, str] = {}
        self.dingtalk_secrets: dict[str, str] = {}
        self.sms_keys: dict[str, str] = {}  # AccessKeyId → secret
        self.slow_seconds = 2.0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> Platforms:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def of(self, platform: str) -> list[dict]:
        with self.lock:
            return [m for m in self.received if m["platform"] == platform]


def _pop_encode(value: str) -> str:
    return urllib.parse.quote(str(value), safe="~")


class _Handler(BaseHTTPRequestHandler):
    server: Platforms

    def log_message(self, *args):
        pass

    def _answer(self, payload: dict, status: int = 200):
        body = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _behave(self, who: str) -> bool:
        """Apply a failure mode; True when the request was answered with it."""
        mode = self.server.mode.get(who, "ok")
        if mode == "timeout":
            time.sleep(self.server.slow_seconds)
        if mode == "error500":
            self.send_response(502)
            self.send_header("Content-Length", "11")
            self.end_headers()
            self.wfile.write(b"Bad Gateway")
            return True
        return False

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        query = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw.decode("utf-8"))
        except ValueError:
            body = None
        if url.path == "/cgi-bin/webhook/send":
            self._wecom(query.get("key", ""), body)
        elif url.path == "/robot/send":
            self._dingtalk(query, body)
        else:
            self._answer({"errcode": 404, "errmsg": "not found"}, 404)

    def _record(self, refused: bool, **message):
        with self.server.lock:
            (self.server.refused if refused else self.server.received).append(message)

    def _wecom(self, key: str, body):
        if self._behave(key):
            return
        mode = self.server.mode.get(key, "ok")
        if mode == "invalid":
            self._record(True, platform="wecom", key=key, body=body)
            return self._answer({"errcode": 93000, "errmsg": "invalid webhook url, hint: [1700000000_1_abcd]"})
        if mode == "ratelimit":
            return self._answer({"errcode": 45009, "errmsg": "api freq out of limit"})
        if not (isinstance(body, dict) and body.get("msgtype") == "markdown" and body["markdown"].get("content")):
            return self._answer({"errcode": 40008, "errmsg": "invalid message type"})
        if len(body["markdown"]["content"].encode()) > 4096:
            return self._answer({"errcode": 40058, "errmsg": "markdown.content exceed max length 4096"})
        self._record(False, platform="wecom", key=key, body=body)
        self._answer({"errcode": 0, "errmsg": "ok"})

    def _dingtalk(self, query: dict, body):
        token = query.get("access_token", "")
        if self._behave(token):
            return
        mode = self.server.mode.get(token, "ok")
        if mode == "invalid":
            self._record(True, platform="dingtalk", token=token, body=body)
            return self._answer({"errcode": 300001, "errmsg": "token is not exist"})
        secret = self.server.dingtalk_secrets.get(token)
        if secret:
            timestamp, sign = query.get("timestamp", ""), query.get("sign", "")
            expected = base64.b64encode(
                hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
            ).decode()
            fresh = timestamp.isdigit() and abs(int(timestamp) - time.time() * 1000) < 3600 * 1000
            if not (fresh and hmac.compare_digest(sign, expected)):
                self._record(True, platform="dingtalk", token=token, body=body)
                return self._answer(
                    {"errcode": 310000, "errmsg": "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"}
                )
        if mode == "ratelimit":
            return self._answer({"errcode": 410100, "errmsg": "send too fast, exceed 20 times per minute"})
        markdown = body.get("markdown") if isinstance(body, dict) else None
        if not (body.get("msgtype") == "markdown" and markdown and markdown.get("title") and markdown.get("text")):
            return self._answer({"errcode": 40035, "errmsg": "缺少参数 json"})
        self._record(False, platform="dingtalk", token=token, body=body, signed=bool(secret))
        self._answer({"errcode": 0, "errmsg": "ok"})

    def do_GET(self):
        """Aliyun SMS (dysmsapi SendSms, RPC style): verify the signature, answer like Aliyun."""
        url = urllib.parse.urlsplit(self.path)
        pairs = urllib.parse.parse_qsl(url.query, keep_blank_values=True)
        params = dict(pairs)
        signature = params.pop("Signature", "")
        secret = self.server.sms_keys.get(params.get("AccessKeyId", ""))
        request_id = "8D6A0A1B-0000-4C4A-9E2B-000000000000"
        if secret is None:
            return self._answer(
                {"Code": "InvalidAccessKeyId.NotFound", "Message": "Specified access key is not found.", "RequestId": request_id},
                404,
            )
        canonical = "&".join(f"{_pop_encode(k)}={_pop_encode(v)}" for k, v in sorted(params.items()))
        to_sign = "GET&%2F&" + _pop_encode(canonical)
        expected = base64.b64encode(hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()).decode()
        if not hmac.compare_digest(signature, expected):
            self._record(True, platform="sms", params=params)
            return self._answer(
                {
                    "Code": "SignatureDoesNotMatch",
                    "Message": "Specified signature is not matched with our calculation.",
                    "RequestId": request_id,
                },
                400,
            )
        phone = params.get("PhoneNumbers", "")
        if self._behave(phone):
            return
        if self.server.mode.get(phone) == "ratelimit":
            return self._answer(
                {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控Permits:1", "RequestId": request_id}
            )
        if self.server.mode.get(phone) == "invalid":
            return self._answer({"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号", "RequestId": request_id})
        try:
            template_params = json.loads(params.get("TemplateParam", "{}"))
        except ValueError:
            return self._answer({"Code": "isv.INVALID_JSON_PARAM", "Message": "JSON参数不合法", "RequestId": request_id})
        self._record(
            False,
            platform="sms",
            phone=phone,
            template=params.get("TemplateCode"),
            sign_name=params.get("SignName"),
            template_params=template_params,
            out_id=params.get("OutId"),
            action=params.get("Action"),
        )
        self._answer({"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": request_id})
