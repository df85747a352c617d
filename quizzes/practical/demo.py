"""Demo hands-on tasks for `manage.py seed_demo`: one task of each kind in the matching course, every
trainee's practice site, and submissions in different states so the queue and the reports are not empty.
Idempotent: tasks are found by title, blocks by task, submissions only made for tasks that have none."""

from __future__ import annotations

import io

from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import ExifTags, Image, ImageDraw
from wagtail.images import get_image_model

from lms.models import Role, User
from quizzes.models import PracticalTask, PracticeAreaPage, RubricCriterion, Submission, TopicPage

from .practice import ensure_practice_area, ensure_practice_index, provision_practice_site
from .services import review_submission, run_check, submit_work

IMAGE_TASK = "新闻配图处理：裁剪、压缩、去除定位信息"
TOPIC_TASK = "制作“第二届常德汽博会”专题页"
BACKOFFICE_TASK = "后台操作：发布中博会通知并下线过期信息"
REVIEWED_TASK = "提交本单位网站安全自查报告"

# course slug → (lesson slug, task title)
PLACEMENT = {
    "images": ("size-and-compression", IMAGE_TASK),
    "topic-pages": ("go-live-and-maintain", TOPIC_TASK),
    "backoffice": ("edit-move-unpublish", BACKOFFICE_TASK),
    "rules-security": (None, REVIEWED_TASK),
}


def _scene(size=(1600, 1200)) -> Image.Image:
    """A generated “photo” of an exhibition hall: sky, hall, stands and a stage (no shipped files)."""
    w, h = size
    picture = Image.new("RGB", size, (120, 170, 220))
    draw = ImageDraw.Draw(picture)
    for y in range(h // 2):
        draw.line([(0, y), (w, y)], fill=(110 + y * 60 // h, 160 + y * 40 // h, 225))
    draw.rectangle((0, h // 2, w, h), fill=(190, 186, 176))
    draw.polygon([(w * 0.1, h * 0.5), (w * 0.5, h * 0.22), (w * 0.9, h * 0.5)], fill=(200, 60, 50))
    for i in range(8):
        x = int(w * (0.06 + i * 0.115))
        draw.rectangle((x, int(h * 0.6), x + w // 14, int(h * 0.8)), fill=(30 + i * 25, 90, 160 - i * 12))
    draw.rectangle((int(w * 0.25), int(h * 0.3), int(w * 0.75), int(h * 0.5)), fill=(180, 30, 30))
    return picture


def _original():
    Image_ = get_image_model()
    existing = Image_.objects.filter(title="原图：汽博会展馆").first()
    if existing:
        return existing
    exif = Image.Exif()
    exif[0x010F] = "HUAWEI"
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (29.0, 2.0, 0.0), 3: "E", 4: (111.0, 41.0, 0.0)}
    buffer = io.BytesIO()
    _scene().save(buffer, "JPEG", quality=95, exif=exif)
    return Image_.objects.create(title="原图：汽博会展馆", file=ImageFile(buffer, name="expo-original.jpg"))


def _task(title: str, **fields) -> PracticalTask:
    task = PracticalTask.objects.filter(title=title).first()
    if task is None:
        task = PracticalTask(title=title, **fields)
        task.full_clean()
        task.save()
    return task


def _tasks() -> dict[str, PracticalTask]:
    image = _task(
        IMAGE_TASK, kind="image", original_image=_original(), max_submissions=5,
        instructions="<p>下载原图，裁剪出主展台（原图中间偏上的红色区域及其两侧），缩放为 <b>800×600 像素</b>，"
                     "在<b>右下角</b>加上“常德商务”水印，保存为 <b>JPEG</b>（质量 70–90，文件不超过 300 KB），"
                     "色彩模式为 RGB，并<b>去除 EXIF 和 GPS 定位信息</b>。</p>",
        spec={"formats": ["JPEG"], "width": 800, "height": 600, "aspect_ratio": "4:3", "max_bytes": 300 * 1024, "mode": "RGB",
              "strip_exif": "all", "no_upscale": True, "quality_min": 70, "quality_max": 90,
              "crop": {"box": [200, 240, 1400, 1140], "min_similarity": 0.9},
              "watermark": {"corner": "bottom-right", "size": 0.2, "min_difference": 0.06}},
    )
    topic = _task(
        TOPIC_TASK, kind="topic_page", max_submissions=10,
        instructions="<p>在你的练习站点中新建专题页，标题包含“汽博会”：写一段导语，至少 3 个栏目（展会动态、精彩图片、参展指南），"
                     "栏目无空白；至少 3 张图片且每张都有替代文字；横幅图片 1200×300 像素；站内链接无死链；发布后 7 天内保持更新。</p>",
        spec={"title_contains": "汽博会", "min_columns": 3, "min_images": 3, "banner_width": 1200, "banner_height": 300, "max_age_days": 7},
    )
    backoffice = _task(
        BACKOFFICE_TASK, kind="backoffice", max_submissions=10,
        instructions="<p>在练习站点的“通知公告”栏目发布一条标题含“中博会”的新闻，加标签“中博会”并设置题图；"
                     "把“工作动态”中标题含“招商推介”的新闻移动到“招商引资”；把标题含“过期通知”的新闻下线。</p>",
        spec={"expect": [
            {"type": "news_published", "title_contains": "中博会", "section": "通知公告", "tag": "中博会", "featured_image": True},
            {"type": "moved", "title_contains": "招商推介", "section": "招商引资", "from": "工作动态",
             "page_title": "我市赴深圳开展招商推介活动"},
            {"type": "unpublished", "title_contains": "过期通知", "section": "通知公告",
             "page_title": "过期通知：关于报名参加2025年秋季外贸企业座谈会的通知"},
        ]},
    )
    reviewed = _task(
        REVIEWED_TASK, kind="reviewed", max_submissions=3, accept_file=True, accept_link=True, accept_text=True,
        instructions="<p>按照网络安全实践要求，检查本单位网站和办公电脑：杀毒软件、涉密计算机物理隔离、软件清单，写成自查报告提交（PDF/Word 或文字）。</p>",
        spec={},
    )
    if not reviewed.rubric_criteria.exists():
        for order, (title, levels) in enumerate([
            ("检查内容完整", "完整 | 10\n基本完整 | 6\n缺项较多 | 0"),
            ("问题与整改措施", "具体可行 | 10\n较笼统 | 5\n没有 | 0"),
            ("格式规范", "规范 | 5\n不规范 | 0"),
        ]):
            RubricCriterion.objects.create(task=reviewed, title=title, levels_text=levels, sort_order=order)
    return {"image": image, "topic_page": topic, "backoffice": backoffice, "reviewed": reviewed}


def _place_blocks(tasks_by_title: dict[str, PracticalTask]) -> None:
    from courses.models import CoursePage, LessonPage  # demo only: the real arrow is courses → quizzes

    for course_slug, (lesson_slug, title) in PLACEMENT.items():
        course = CoursePage.objects.filter(slug=course_slug).first()
        if course is None:
            continue
        lessons = LessonPage.objects.child_of(course).order_by("path")
        lesson = (lessons.filter(slug=lesson_slug).first() if lesson_slug else None) or lessons.last()
        if lesson is None:
            continue
        task = tasks_by_title[title]
        if any(b.block_type == "practical_task" and b.value["task"] and b.value["task"].pk == task.pk for b in lesson.body):
            continue
        lesson.body.append(("practical_task", {"task": task, "note": "学完本课后完成，系统会自动检查。" if task.is_automatic else "讲师会按评分细则评阅。"}))
        lesson.save_revision().publish()


def _upload(picture: Image.Image, name: str, **options) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", **options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _checked(submission: Submission) -> Submission:
    run_check(submission_id=submission.pk)
    submission.refresh_from_db()
    return submission


def _submissions(tasks: dict[str, PracticalTask]) -> None:
    trainer = User.objects.filter(username="trainer1").first()
    people = {u.username: u for u in User.objects.filter(username__in=["wuling1", "wuling2", "dingcheng1", "jinshi1", "jinshi2", "hanshou1", "anxiang1"])}
    image, reviewed, topic = tasks["image"], tasks["reviewed"], tasks["topic_page"]
    scene = _scene()
    good = scene.crop((200, 240, 1400, 1140)).resize((800, 600))
    draw = ImageDraw.Draw(good)
    draw.rectangle((640, 520, 790, 590), fill="white")
    draw.text((652, 545), "Changde Commerce", fill=(180, 0, 0))
    if not Submission.objects.filter(task=image).exists():
        if "wuling1" in people:  # a CMYK picture with the GPS still in it, then a good one
            exif = Image.Exif()
            exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (29.0, 2.0, 0.0)}
            _checked(submit_work(task=image, user=people["wuling1"], upload=_upload(scene.resize((1000, 750)).convert("CMYK"), "expo.jpg", quality=95, exif=exif)))
            _checked(submit_work(task=image, user=people["wuling1"], upload=_upload(good, "expo-final.jpg", quality=82)))
        if "dingcheng1" in people:  # the whole picture instead of the stage, upscaled from a thumbnail
            _checked(submit_work(task=image, user=people["dingcheng1"], upload=_upload(scene.resize((400, 300)).resize((800, 600)), "expo.jpg", quality=60)))
        if "hanshou1" in people:
            _checked(submit_work(task=image, user=people["hanshou1"], upload=_upload(good, "zhanhui.jpg", quality=85)))
    if not Submission.objects.filter(task=reviewed).exists():
        text = "一、杀毒软件：全部 6 台办公电脑已升级到最新病毒库。\n二、涉密计算机：1 台，已物理隔离，未接入互联网。\n三、软件清单：已登记 23 项。\n四、问题：2 台电脑未设置屏保密码，本周内整改。"
        for username in ("wuling2", "jinshi1", "anxiang1"):
            if username in people:
                submit_work(task=reviewed, user=people[username], text=text)
        if trainer and "jinshi2" in people:
            returned = submit_work(task=reviewed, user=people["jinshi2"], text="已检查，无问题。")
            review_submission(submission=returned, reviewer=trainer, accept=False, feedback="报告过于简单：请逐项写明杀毒软件、物理隔离和软件清单的检查情况，以及发现的问题和整改措施。")
    if not Submission.objects.filter(task=topic).exists() and "wuling1" in people:
        _demo_topic_page(people["wuling1"])
        _checked(submit_work(task=topic, user=people["wuling1"]))


def _demo_topic_page(user: User) -> None:
    area = ensure_practice_area(user=user)
    if TopicPage.objects.descendant_of(area).exists():
        return
    Image_ = get_image_model()
    pictures = []
    for n, size in enumerate([(640, 480), (640, 480)]):
        buffer = io.BytesIO()
        _scene(size).save(buffer, "JPEG", quality=80)
        pictures.append(Image_.objects.create(title=f"汽博会现场{n + 1}", file=ImageFile(buffer, name=f"expo-{n + 1}.jpg")))
    page = TopicPage(
        title="第二届常德汽博会", slug="auto-expo", lead="第二届常德汽车博览会专题：展会动态、精彩图片和参展指南。",
        banner_image=pictures[0],
        columns=[
            {"type": "column", "value": {"heading": "展会动态", "items": [{"type": "text", "value": "<p>汽博会于 10 月开幕，120 家企业参展。</p>"}, {"type": "picture", "value": {"image": pictures[0].pk, "alt_text": "展馆全景", "caption": ""}}]}},
            {"type": "column", "value": {"heading": "精彩图片", "items": [{"type": "picture", "value": {"image": pictures[1].pk, "alt_text": "", "caption": "新车发布"}}]}},
            {"type": "column", "value": {"heading": "参展指南", "items": []}},
        ],
    )
    area.add_child(instance=page)
    page.save_revision(user=user).publish()


@transaction.atomic
def seed(stdout=None) -> None:
    ensure_practice_index()
    tasks = _tasks()
    _place_blocks({t.title: t for t in tasks.values()})
    trainees = User.objects.filter(memberships__role=Role.TRAINEE).order_by("pk")
    site_tasks = [tasks["topic_page"], tasks["backoffice"]]
    for trainee in trainees:
        provision_practice_site(user=trainee, tasks=site_tasks)
    _submissions(tasks)
    if stdout:
        stdout.write(f"hands-on tasks: {PracticalTask.objects.count()}, submissions: {Submission.objects.count()}, "
                     f"practice sites: {PracticeAreaPage.objects.count()}")
