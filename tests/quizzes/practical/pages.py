"""Build practice-site pages the way a trainee would in the admin (revisions, publish, move, schedule)."""

from __future__ import annotations

from quizzes.models import NewsPage, PracticeSectionPage, TopicPage

from .factories import wagtail_image
from .images import photo


def text(html):
    return {"type": "text", "value": html}


def picture(image, alt="展会现场"):
    return {"type": "picture", "value": {"image": image.pk, "alt_text": alt, "caption": ""}}


def column(heading, *items):
    return {"type": "column", "value": {"heading": heading, "items": list(items)}}


def good_topic_columns(image_a, image_b, link_target=None):
    links = [{"type": "page_link", "value": link_target.pk}] if link_target else []
    return [
        column("展会动态", text("<p>第二届常德汽博会于本周开幕，共有 120 家企业参展。</p>"), picture(image_a)),
        column("精彩图片", picture(image_b, "新车发布")),
        column("相关链接", text("<p>参展指南请见组委会通知。</p>"), *links),
    ]


def make_topic(area, *, columns, lead="第二届常德汽博会专题：展会动态、精彩图片和参展指南一站看全。", banner=None, publish=True, title="第二届常德汽博会"):
    page = TopicPage(title=title, slug="auto-expo", lead=lead, banner_image=banner, columns=columns, live=publish)
    area.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return TopicPage.objects.get(pk=page.pk)


def images():
    return wagtail_image(photo((640, 480)), title="图一"), wagtail_image(photo((640, 480)), title="图二")


def banner(size=(1200, 300)):
    return wagtail_image(photo(size), title="横幅", name="banner.jpg")


def section(area, title):
    return PracticeSectionPage.objects.child_of(area).get(title=title)


def make_news(parent, title, *, tags=(), image=None, publish=True):
    page = NewsPage(title=title, slug=f"news-{abs(hash(title)) % 10**8}", featured_image=image, body="<p>正文</p>", live=publish)
    parent.add_child(instance=page)
    page = NewsPage.objects.get(pk=page.pk)
    for tag in tags:
        page.tags.add(tag)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return NewsPage.objects.get(pk=page.pk)
