"""The PDF read back: Chinese name as text, the CJK font embedded and subset, escaping, no network."""

import http.server
import subprocess
import threading
from datetime import date

import pytest

from certificates import checks, pdf

pytestmark = pytest.mark.django_db


def _text(path) -> str:
    """The PDF's text without whitespace (the title and name are letter-spaced)."""
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())


def _fonts(path) -> list[list[str]]:
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    return [line.split() for line in lines]


def _data(**overrides) -> pdf.CertificateData:
    values = dict(
        holder_name="欧阳晓雯",
        team_name="汉寿县",
        programme_name="常德市商务网站管理员资格",
        title="资格证书",
        statement="完成全部课程，经考核合格。",
        issuer="常德市商务局",
        issued_on=date(2026, 11, 25),
        expires_on=date(2028, 11, 25),
        serial="CD-2026-000123",
        verification_url="http://testserver/verify/ABCDEFGHJKMNPQRSTUVW/",
    )
    values.update(overrides)
    return pdf.CertificateData(**values)


def test_stored_pdf_has_the_name_the_facts_and_an_embedded_subset_cjk_font(certificate, poppler, media_root):
    path = media_root / certificate.pdf.name
    content = path.read_bytes()
    assert content.startswith(b"%PDF-")
    assert pdf.sha256_of(content) == certificate.sha256
    assert len(content) <= 50 * 1024, f"{len(content)} bytes: over the 50 KB target"
    text = _text(path)
    for expected in (
        "李明",
        "汉寿县",
        "常德市商务网站管理员资格",
        "常德市商务局",
        certificate.serial,
        certificate.verification_url,
        "二〇",
    ):
        assert expected in text, expected
    fonts = _fonts(path)
    assert fonts, "no font in the PDF"
    for row in fonts:
        name, emb, sub = row[0], row[-5], row[-4]
        assert "WenKai" in name and emb == "yes" and sub == "yes", row
    assert any("Bold" in row[0] for row in fonts), "the name and title use a real bold face"


def test_the_qr_code_encodes_the_verification_url():
    svg = pdf.qr_svg("http://testserver/verify/ABC/")
    assert svg.startswith("<svg") and "<script" not in svg


def test_user_text_is_escaped_not_interpreted(poppler, tmp_path):
    hostile = '<img src="http://127.0.0.1:9/x.png">张三'
    html = pdf.certificate_html(_data(holder_name=hostile, team_name="<b>澧县</b>"))
    assert "<img src=" not in html and "&lt;img" in html
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf.renderer().render_html(html))
    text = _text(path)
    assert '<imgsrc="http://127.0.0.1:9/x.png">张三' in text
    assert "<b>澧县</b>" in text


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_the_renderer_fetches_nothing_from_the_network_or_other_files(tmp_path, settings):
    server = http.server.HTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        secret = tmp_path / "secret.css"
        secret.write_text("body { background: red }")
        html = (
            f'<html lang="zh-CN"><head><link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">'
            f'<link rel="stylesheet" href="{secret.as_uri()}"></head>'
            f'<body><img src="http://127.0.0.1:{port}/x.png"><img src="file:///etc/passwd">'
            f'<p style="background: url(http://127.0.0.1:{port}/bg.png)">测试</p></body></html>'
        )
        content = pdf.CertificateRenderer().render_html(html)
    finally:
        server.shutdown()
    assert content.startswith(b"%PDF-")
    assert _CountingHandler.hits == []


def test_fetcher_allows_only_our_static_folder():
    fetcher = pdf.LockedURLFetcher([pdf.STATIC_DIR])
    response = fetcher.fetch(pdf.STYLESHEET.as_uri())
    assert b"@page" in response.read()
    response.close()
    for url in (
        "file:///etc/passwd",
        "http://example.com/a.css",
        (pdf.STATIC_DIR / ".." / ".." / "models.py").as_uri(),
        "data:text/css,body{}",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_plain_design_renders_too(poppler, tmp_path):
    path = tmp_path / "plain.pdf"
    path.write_bytes(pdf.renderer().render(_data(template="plain", holder_name="王芳")))
    assert "王芳" in _text(path)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 11, 25), "二〇二六年十一月二十五日"),
        (date(2030, 1, 10), "二〇三〇年一月十日"),
        (date(2028, 2, 9), "二〇二八年二月九日"),
    ],
)
def test_chinese_dates(value, expected):
    assert pdf.chinese_date(value) == expected


def test_system_check_passes_with_lxgw_wenkai_installed():
    if not checks.chinese_font_families():
        pytest.skip("no CJK font installed on this machine (the check would rightly fail)")
    assert [m for m in checks.check_certificate_fonts() if m.level >= 40] == []


def test_system_check_fails_without_a_chinese_font(monkeypatch):
    monkeypatch.setattr(checks, "chinese_font_families", lambda: set())
    messages = checks.check_certificate_fonts()
    assert [m.id for m in messages] == ["certificates.E001"]
    assert "fonts-lxgw-wenkai" in messages[0].hint
