"""Practice pages get lower-case pinyin slugs, as the lesson 栏目设置 teaches (访问地址使用小写拼音、数字和连字符):
the trainee never has to type one, in the admin or anywhere else."""

import pytest

from quizzes.models import NewsPage, PracticeSectionPage, TopicPage
from quizzes.practical.practice import ensure_practice_area

from .pages import section

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(site, trainee):
    return ensure_practice_area(user=trainee)


@pytest.mark.parametrize(
    "text, slug",
    [
        ("招商引资动态", "zhao-shang-yin-zi-dong-tai"),
        ("第二届常德汽博会：开幕", "di-er-jie-chang-de-qi-bo-hui-kai-mu"),
        ("2026年中博会（长沙）", "2026-nian-zhong-bo-hui-chang-sha"),
        ("Expo 专题 News", "expo-zhuan-ti-news"),
        ("！？……", ""),
    ],
)
def test_pinyin_slug_of_a_title(text, slug):
    from quizzes.practical.slugs import pinyin_slug

    assert pinyin_slug(text) == slug


BODY = '{"blocks":[{"key":"a","text":"正文","type":"unstyled","depth":0,"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}'


def _add_news(client, parent, title, slug=""):
    return client.post(
        f"/admin/pages/add/quizzes/newspage/{parent.pk}/",
        {"title": title, "slug": slug, "body": BODY, "tags": "", "action-publish": "publish"},
    )


@pytest.mark.parametrize("typed", ["", "招商引资动态"])  # left empty, or what Wagtail's own slug field fills in
def test_a_page_created_in_the_admin_gets_a_pinyin_slug(client, area, trainee, typed):
    client.force_login(trainee)
    response = _add_news(client, section(area, "招商引资"), "招商引资动态", typed)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = NewsPage.objects.get(title="招商引资动态")
    assert page.slug == "zhao-shang-yin-zi-dong-tai" and page.live
    assert page.url.endswith("/zhao-shang-yin-zi-dong-tai/")


def test_pinyin_slugs_are_unique_among_siblings(client, area, trainee):
    client.force_login(trainee)
    news = section(area, "工作动态")
    for _ in range(3):
        assert _add_news(client, news, "招商引资动态").status_code == 302
    assert sorted(NewsPage.objects.child_of(news).values_list("slug", flat=True)) == [
        "zhao-shang-yin-zi-dong-tai", "zhao-shang-yin-zi-dong-tai-2", "zhao-shang-yin-zi-dong-tai-3",
    ]
    # The same title under another section is another address: no suffix needed there.
    assert _add_news(client, section(area, "通知公告"), "招商引资动态").status_code == 302
    assert NewsPage.objects.child_of(section(area, "通知公告")).get().slug == "zhao-shang-yin-zi-dong-tai"


def test_a_slug_the_trainee_typed_in_pinyin_is_kept(client, area, trainee):
    client.force_login(trainee)
    assert _add_news(client, section(area, "通知公告"), "招商引资动态", "zsyz").status_code == 302
    assert NewsPage.objects.get(title="招商引资动态").slug == "zsyz"


def test_pages_saved_in_code_get_pinyin_slugs_too(area):
    topic = area.add_child(instance=TopicPage(title="第二届常德汽博会", lead="导语"))
    column = area.add_child(instance=PracticeSectionPage(title="供求信息", slug="供求信息"))
    assert topic.slug == "di-er-jie-chang-de-qi-bo-hui" and column.slug == "gong-qiu-xin-xi"


def test_the_admin_editor_fills_the_slug_as_the_title_is_typed(client, area, trainee):
    client.force_login(trainee)
    parent = section(area, "招商引资")
    editor = client.get(f"/admin/pages/add/quizzes/newspage/{parent.pk}/").content.decode()
    assert "data-pinyin-slug-url" in editor and "quizzes/pinyin-slug.js" in editor
    answer = client.get("/admin/practice/pinyin-slug/", {"title": "招商引资动态", "parent": parent.pk}).json()
    assert answer == {"slug": "zhao-shang-yin-zi-dong-tai"}
    _add_news(client, parent, "招商引资动态")
    # The next page with that title would collide: the editor already proposes the free address.
    answer = client.get("/admin/practice/pinyin-slug/", {"title": "招商引资动态", "parent": parent.pk}).json()
    assert answer == {"slug": "zhao-shang-yin-zi-dong-tai-2"}


def test_the_slug_endpoint_is_for_signed_in_editors_only(client, area, trainee, other_trainee):
    parent = section(area, "招商引资")
    assert client.get("/admin/practice/pinyin-slug/", {"title": "招商", "parent": parent.pk}).status_code == 302
    client.force_login(trainee)
    assert client.get("/admin/practice/pinyin-slug/", {"title": "招商", "parent": "x"}).status_code == 400
    # Another trainee's section: nothing about it is told (its slugs are not theirs to probe).
    theirs = section(ensure_practice_area(user=other_trainee), "招商引资")
    assert client.get("/admin/practice/pinyin-slug/", {"title": "招商", "parent": theirs.pk}).status_code == 404
