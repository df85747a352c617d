"""The whole programme in a real browser: a county webmaster earns the certificate (a), a trainer reviews
supervised work (c), the bureau revokes the certificate and the public verify page says so (e).

The journeys run in this order (pytest keeps file order); (e) revokes the certificate (a) earned.
Screenshots: a11–a26, c01–c05, e01–e04 (a00–a05 belong to the short trainee journey)."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from .conftest import ARTIFACTS, axe_violations, django_shell, login, shot

pytestmark = pytest.mark.e2e

TRAINEE = "lixian9"  # a fresh trainee in 澧县 (supervised by trainer2)
IMAGE_TASK = "新闻配图处理：裁剪、压缩、去除定位信息"
TOPIC_TASK = "制作“第二届常德汽博会”专题页"
WAIT = 60_000  # two busy cores: checks and PDF rendering run in the task worker


def _assert_accessible(page) -> None:
    assert axe_violations(page) == [], page.url


def _answer_quiz(page, key: dict) -> None:
    """Fill the attempt form from the answer key, whatever order the questions were shuffled into."""
    for fieldset in page.locator("fieldset.quiz-question").all():
        qid = fieldset.get_attribute("data-qid")
        item = key[qid]
        if item["qtype"] == "short":
            fieldset.locator(f"input[name=q{qid}]").fill(item["text"])
        elif item["qtype"] == "ordering":
            for position, choice_id in enumerate(item["order"], start=1):
                fieldset.locator(f"select[name=q{qid}_pos_{choice_id}]").select_option(str(position))
        elif item["qtype"] == "multiple":
            for choice_id in item["right"]:
                fieldset.locator(f"input[name=q{qid}][value='{choice_id}']").check()
        else:
            fieldset.locator(f"input[name=q{qid}][value='{item['best']}']").check()


def _processed_picture(original: bytes, spec: dict) -> bytes:
    """Do what the task asks, as a webmaster would in an image editor: crop the main stand, resize,
    watermark the bottom-right corner, save as an RGB JPEG without EXIF."""
    with Image.open(io.BytesIO(original)) as source:
        picture = source.convert("RGB").crop(tuple(spec["crop"]["box"])).resize((spec["width"], spec["height"]))
    draw = ImageDraw.Draw(picture)
    w, h = picture.size
    draw.rectangle((w - 160, h - 80, w - 10, h - 10), fill="white")
    draw.text((w - 148, h - 55), "Changde Commerce", fill=(180, 0, 0))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=82)  # Pillow writes no EXIF unless given some
    return out.getvalue()


def _wait_for_check(page, outcome: str) -> None:
    """The task page polls while “检查中…”; wait until it shows the outcome (a CSS selector)."""
    page.locator(outcome).wait_for(timeout=WAIT)


def _choose_image(page, opener, title: str) -> None:
    opener.click()
    page.locator(".modal-content [data-chooser-modal-choice]", has_text=title).first.click()
    page.locator(".modal-content").wait_for(state="hidden")


def _build_topic_page(page, area_id: int, folder: Path) -> None:
    """Upload the pictures and build the topic page in the real Wagtail admin, then publish it."""
    files = []
    for name, size, colour in [
        ("汽博会横幅", (1200, 300), (190, 30, 30)),
        ("展馆全景", (800, 600), (40, 120, 200)),
        ("新车发布", (800, 600), (40, 160, 90)),
        ("参展路线", (800, 600), (200, 160, 40)),
    ]:
        path = folder / f"{name}.jpg"
        Image.new("RGB", size, colour).save(path, "JPEG", quality=85)
        files.append(path)
    page.goto(f"{page.base_url}/admin/images/multiple/add/")
    page.locator("#fileupload").set_input_files([str(f) for f in files])
    # Each upload turns into an edit form once stored.
    page.locator("#upload-list form").nth(len(files) - 1).wait_for(timeout=WAIT)
    shot(page, "a20-images-uploaded")

    page.goto(f"{page.base_url}/admin/pages/add/quizzes/topicpage/{area_id}/")
    page.fill("#id_title", "第二届常德汽博会专题")
    page.fill("#id_lead", "第二届常德汽车博览会专题：展会动态、精彩图片和参展指南，一页看全。")
    _choose_image(
        page,
        page.locator(
            "#id_banner_image-chooser button[data-chooser-action-choose], "
            "[data-field-wrapper]:has(#id_banner_image) button[data-chooser-action-choose]"
        ).first,
        "汽博会横幅",
    )
    for n, (heading, picture) in enumerate([("展会动态", "展馆全景"), ("精彩图片", "新车发布"), ("参展指南", "参展路线")]):
        # The outer stream has one block type (栏目): its “+” adds a column at once; column order does not matter.
        page.locator("#columns-root button.c-sf-add-button:not([aria-expanded])").last.click()
        page.fill(f"#columns-{n}-value-heading", heading)
        heading_input = page.locator(f"#columns-{n}-value-heading")
        column = heading_input.locator("xpath=ancestor::*[.//button[@aria-expanded and contains(@class,'c-sf-add-button')]][1]")
        column.locator("button.c-sf-add-button[aria-expanded]").first.click()
        page.get_by_role("option", name="图片").click()
        _choose_image(
            page, page.locator(f"#columns-{n}-value-items-0-value-image-chooser button[data-chooser-action-choose]"), picture
        )
        page.fill(f"#columns-{n}-value-items-0-value-alt_text", f"{heading}：{picture}")
    # The address fills itself in pinyin from the Chinese title (di-er-jie-chang-de-qi-bo-hui-zhuan-ti); this
    # trainee types their own on the 推荐 (promote) tab instead, which an ASCII slug keeps.
    page.get_by_role("tab", name="推荐").click()
    page.fill("#id_slug", "auto-expo")
    page.get_by_role("tab", name="内容").click()
    shot(page, "a21-topic-page-in-admin")
    page.locator("[data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name="发布").click()
    page.wait_for_load_state()
    assert "/admin/pages/" in page.url and "/add/" not in page.url, page.url
    shot(page, "a22-topic-page-published")


def test_a_county_webmaster_earns_the_certificate(page, server_env, tmp_path):
    # To keep the journey on what matters, the trainee has already done every other requirement of the
    # programme's four courses (lessons, quizzes, the back-office and reviewed tasks), set up through the
    # shell; the browser does one lesson, the image course's quiz, the image task and the topic page.
    left = django_shell(
        server_env,
        "trainee_with_all_but",
        username=TRAINEE,
        full_name="覃晓岚",
        team_code="lixian",
        lesson_slug="size-and-compression",
        quiz_course="images",
        task_titles=[IMAGE_TASK, TOPIC_TASK],
    )
    key = left["key"]

    login(page, TRAINEE)
    shot(page, "a11-my-courses")

    # A lesson, read and marked done.
    page.goto(page.base_url + left["lesson"]["url"])
    shot(page, "a12-lesson")
    page.get_by_role("button", name=re.compile("标记为已完成")).click()
    page.wait_for_load_state()
    page.goto(page.base_url + left["lesson"]["url"])
    page.get_by_text("您已完成本课").wait_for()
    shot(page, "a13-lesson-done")

    # The course quiz, passed.
    page.goto(f"{page.base_url}/quizzes/{left['quiz']}/")
    shot(page, "a14-quiz")
    page.get_by_role("button", name="开始答题").click()
    page.locator("#quiz-form").wait_for()
    _assert_accessible(page)
    _answer_quiz(page, key)
    shot(page, "a15-quiz-answered")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#quiz-submit").click()
    page.locator(".quiz-score--pass").wait_for(timeout=WAIT)
    _assert_accessible(page)
    shot(page, "a16-quiz-passed")

    # The image task: download the original, process it, upload; the page updates itself after “检查中…”.
    page.goto(f"{page.base_url}/hands-on/tasks/{left['tasks']['image']}/")
    _assert_accessible(page)
    shot(page, "a17-image-task")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载原图").click()
    original = Path(download.value.path()).read_bytes()
    spec = left["image_spec"]
    upload = tmp_path / "expo-stand.jpg"
    upload.write_bytes(_processed_picture(original, spec))
    page.locator("input[type=file]").set_input_files(str(upload))
    page.locator("form.task-form button[type=submit]").click()
    page.wait_for_load_state()
    shot(page, "a18-image-checking")
    _wait_for_check(page, ".task-latest > p.badge--done")
    _assert_accessible(page)
    shot(page, "a19-image-passed")

    # The topic page, built in the real Wagtail admin, then checked.
    page.goto(f"{page.base_url}/hands-on/tasks/{left['tasks']['topic_page']}/")
    href = page.get_by_role("link", name="在后台打开我的练习站点").get_attribute("href")
    area_id = int(re.search(r"/admin/pages/(\d+)/", href).group(1))
    _build_topic_page(page, area_id, tmp_path)
    page.goto(f"{page.base_url}/hands-on/tasks/{left['tasks']['topic_page']}/")
    page.get_by_role("button", name="检查我的练习站点").click()
    page.wait_for_load_state()
    _wait_for_check(page, ".task-latest > p.badge--done")
    shot(page, "a23-topic-page-passed")

    # The certificate: issued by the worker once the last course completes.
    page.goto(f"{page.base_url}/my/certificates/")
    for _ in range(60):
        if page.get_by_role("link", name="下载 PDF").count():
            break
        page.wait_for_timeout(1000)  # the worker renders the PDF; reload until it is listed
        page.reload()
    _assert_accessible(page)
    shot(page, "a24-my-certificates")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 PDF").first.click()
    pdf = ARTIFACTS / "a25-certificate.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    url = re.search(r"https?://\S+/verify/\S+", text).group(0)
    assert url.startswith(page.base_url), url

    page.goto(url)
    assert "有效" in page.locator("main").inner_text()
    _assert_accessible(page)
    shot(page, "a26-verify-valid")


def test_c_trainer_reviews_supervised_work_and_the_trainee_sees_it(page, server_env):
    # trainer1 supervises 武陵区; wuling2's self-inspection report waits for review in the demo data.
    waiting = django_shell(server_env, "submission_for_review", username="wuling2")
    assert waiting, "the demo data has wuling2's report waiting for review"
    login(page, "trainer1")
    page.goto(f"{page.base_url}/hands-on/review/")
    shot(page, "c01-review-queue")
    page.locator(f"a[href$='/hands-on/review/{waiting['id']}/']").click()
    page.wait_for_load_state()
    shot(page, "c02-submission")
    levels = page.locator("select[name^=level_]")
    assert levels.count() >= 1
    for select in levels.all():
        select.select_option(index=1)  # the top level of each criterion
    feedback = "报告完整，整改措施具体：请在月底前补充屏保密码整改的完成情况。"
    page.fill("textarea[name=feedback]", feedback)
    shot(page, "c03-rubric-filled")
    page.locator("button[name=decision][value=accept]").click()
    page.wait_for_load_state()
    shot(page, "c04-accepted")

    page.context.clear_cookies()
    login(page, "wuling2")
    page.goto(f"{page.base_url}/hands-on/tasks/{waiting['task_id']}/")
    page.locator(".task-latest > p.badge--done").wait_for()
    assert feedback in page.locator(".task-latest").inner_text()
    _assert_accessible(page)
    shot(page, "c05-trainee-sees-decision")


def test_e_bureau_revokes_the_certificate_and_verify_says_so(page, browser, server_env):
    certificate = django_shell(server_env, "certificate_of", username=TRAINEE)
    assert certificate and not certificate["revoked"], "journey (a) earned a valid certificate"
    login(page, "bureau")
    page.goto(f"{page.base_url}/manage/certificates/")
    page.fill("input[name=q]", certificate["serial"])
    page.locator("input[name=q]").press("Enter")
    page.wait_for_load_state()
    shot(page, "e01-certificates-found")
    page.get_by_role("link", name=certificate["serial"]).click()
    page.wait_for_load_state()
    shot(page, "e02-certificate-detail")
    page.fill("textarea[name=reason]", "复核发现该学员的结业测验由他人代答。")
    page.get_by_role("button", name="撤销这张证书").click()
    page.wait_for_load_state()
    shot(page, "e03-revoked")
    assert django_shell(server_env, "certificate_of", username=TRAINEE)["revoked"]

    # Anyone, not logged in, in a fresh browser context.
    public = browser.new_context(locale="zh-CN")
    try:
        visitor = public.new_page()
        visitor.steps = 0
        visitor.goto(f"{page.base_url}/verify/{certificate['code']}/")
        verdict = visitor.locator(".verify-card__verdict").inner_text()
        assert "被撤销" in verdict and "不再有效" in verdict, verdict
        assert axe_violations(visitor) == []
        shot(visitor, "e04-verify-revoked")
    finally:
        public.close()
