"""Templates never raise, and names carrying markup are neutralised for each channel's format."""

import pytest
from django.utils import translation

from notifications.channels.robots import dingtalk_payload, dingtalk_sign, signed_dingtalk_url, wecom_payload
from notifications.channels.sms import aliyun_signature, percent_encode
from notifications.events import EVENTS
from notifications.rendering import fill, render, sms_params

HOSTILE = {
    "name": "<img src=x onerror=alert(1)>",
    "task": "[点我](http://evil.example) **粗体** # 标题",
    "comment": "a\x00b\x1bc",
}


@pytest.mark.parametrize("code", sorted(EVENTS))
@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("fmt", ["text", "html", "markdown"])
def test_every_event_renders_with_nothing_and_with_hostile_values(code, language, fmt):
    for context in ({}, HOSTILE, {"name": None, "days": 7, "unknown": object()}):
        text = render(code, context, fmt=fmt, language=language)
        assert text.title and text.body and text.url.startswith("http")
        assert "{" not in text.title + text.body


def test_missing_values_show_a_dash():
    assert render("work.returned", {"task": "专题"}, language="zh-hans").body.startswith("—退回了—提交的“专题”")


def test_markup_is_neutralised_per_format():
    html = render("work.returned", HOSTILE, fmt="html", language="zh-hans")
    assert "<img" not in html.body and "&lt;img" in html.body
    markdown = render("work.returned", HOSTILE, fmt="markdown", language="zh-hans")
    assert "](" not in markdown.body and "**" not in markdown.body and "<img" not in markdown.body
    assert "［点我］（http://evil.example）" in markdown.body
    text = render("work.returned", HOSTILE, fmt="text", language="zh-hans")
    assert "\x00" not in text.body and "\x1b" not in text.body


def test_broken_templates_and_attribute_access_do_not_raise():
    assert fill("{name.__class__}", {"name": "x"}, "text") == "—"  # a whole name, never an attribute
    assert fill("{unclosed", {}, "text") == ""
    assert fill("{0}{}", {}, "text") in ("", "——")  # mixing numbering is refused by Python: empty, then English
    with translation.override("zh-hans"):
        assert render("no.such.event", {}).title == "no.such.event"


def test_sms_params_are_plain_and_short():
    params = sms_params("certificate.expiring", {"programme": "长" * 50, "date": "<b>2027</b>"})
    assert params == {"programme": "长" * 35, "date": "<b>2027</b>"}


def test_dingtalk_signature_matches_the_documented_example():
    # base64(HMAC-SHA256(secret, "timestamp\nsecret")), url-encoded in the query.
    import base64
    import hashlib
    import hmac

    secret, ts = "SEC" + "1" * 64, 1700000000000
    expected = base64.b64encode(hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()).decode()
    assert dingtalk_sign(secret, ts) == expected
    url = signed_dingtalk_url("https://oapi.dingtalk.com/robot/send?access_token=abc", secret, ts)
    assert "&timestamp=1700000000000&sign=" in url and "+" not in url.split("sign=")[1] and "/" not in url.split("sign=")[1]


def test_aliyun_percent_encoding_follows_the_pop_rules():
    # Space is %20 (not +), "*" is %2A, "~" stays; the signed string is "GET&%2F&" + encoded canonical query.
    # (The signature itself is verified independently by the local SMS server in test_delivery.)
    assert percent_encode("a b*c~/中") == "a%20b%2Ac~%2F%E4%B8%AD"
    import base64
    import hashlib
    import hmac

    expected = base64.b64encode(hmac.new(b"k&", b"GET&%2F&A%3D1%26B%3D%252F", hashlib.sha1).digest()).decode()
    assert aliyun_signature({"B": "/", "A": "1"}, "k") == expected


def test_robot_bodies_fit_the_platform_limits():
    long = "字" * 5000
    assert len(wecom_payload(long, long, "http://x", link_label="查看")["markdown"]["content"].encode()) <= 4096
    body = dingtalk_payload("标题", long, "http://x/a)b", link_label="查看")["markdown"]
    assert len(body["text"].encode()) <= 5000 and body["title"] == "标题"
