"""The practice site: each trainee's own subtree of Wagtail pages, built in the real admin.

The hands-on checkers (topic page, back-office) read these pages, which is why they live in quizzes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page

from lms.blocks import SafeRichTextBlock
from lms.fields import SafeRichTextField
from quizzes.practical.slugs import PinyinSlugMixin, PinyinSlugPageForm

PRACTICE_RICH_TEXT = ["h3", "bold", "italic", "link", "ol", "ul", "image"]


class PracticeIndexPage(Page):
    """练习园地: the parent of every trainee's practice area."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["lms.HomePage"]
    subpage_types = ["quizzes.PracticeAreaPage"]
    max_count = 1
    template = "quizzes/practical/practice_index_page.html"

    class Meta:
        verbose_name = _("practice site")


class PracticeAreaPage(Page):
    """One trainee's practice area: only they (and trainers) may edit the pages under it."""

    owner_user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="practice_area", verbose_name=_("trainee")
    )
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["quizzes.PracticeIndexPage"]
    subpage_types = ["quizzes.TopicPage", "quizzes.PracticeSectionPage"]
    template = "quizzes/practical/practice_area_page.html"

    class Meta:
        verbose_name = _("practice area")


class PracticeSectionPage(PinyinSlugMixin, Page):
    """A column of the practice site (栏目), e.g. 通知公告, holding news pages."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["quizzes.PracticeAreaPage"]
    subpage_types = ["quizzes.NewsPage"]
    template = "quizzes/practical/practice_section_page.html"
    base_form_class = PinyinSlugPageForm

    class Meta:
        verbose_name = _("practice section")


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey("quizzes.NewsPage", on_delete=models.CASCADE, related_name="tagged_items")


class NewsPage(PinyinSlugMixin, Page):
    """A news item (新闻/通知) in a practice section, as a county site publishes every day."""

    date = models.DateField(_("date"), null=True, blank=True)
    featured_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("featured image"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = SafeRichTextField(_("body"), blank=True, features=PRACTICE_RICH_TEXT)
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("tags"))

    content_panels = Page.content_panels + [FieldPanel("date"), FieldPanel("featured_image"), FieldPanel("body"), FieldPanel("tags")]
    parent_page_types = ["quizzes.PracticeSectionPage"]
    subpage_types = []
    template = "quizzes/practical/news_page.html"
    base_form_class = PinyinSlugPageForm

    class Meta:
        verbose_name = _("news item")


class TopicImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(label=_("alt text"), required=False, max_length=200, help_text=_("Describe the picture for readers who cannot see it."))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Picture")


class TopicColumnBlock(blocks.StructBlock):
    """One column (栏目) of a topic page: a heading and its items."""

    heading = blocks.CharBlock(label=_("column heading"), max_length=60)
    items = blocks.StreamBlock(
        [
            ("text", SafeRichTextBlock(label=_("Text"), features=["bold", "italic", "link", "ol", "ul"])),
            ("picture", TopicImageBlock()),
            ("page_link", blocks.PageChooserBlock(label=_("Link to a page"))),
        ],
        label=_("items"),
        required=False,
    )

    class Meta:
        icon = "list-ul"
        label = _("Column")


class TopicPage(PinyinSlugMixin, Page):
    """A topic page (专题页): a banner, a lead paragraph and columns, e.g. for 中博会."""

    lead = models.TextField(_("lead paragraph"), blank=True, max_length=500)
    banner_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("banner image"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    columns = StreamField([("column", TopicColumnBlock())], verbose_name=_("columns"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("lead"), FieldPanel("banner_image"), FieldPanel("columns")]
    parent_page_types = ["quizzes.PracticeAreaPage"]
    subpage_types = []
    template = "quizzes/practical/topic_page.html"
    base_form_class = PinyinSlugPageForm

    class Meta:
        verbose_name = _("topic page")
