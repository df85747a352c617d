"""StreamField blocks shared by lessons and other pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import RichText

from .sanitize import clean_rich_text


class SafeRichTextBlock(blocks.RichTextBlock):
    """Rich text that drops scripts, event handlers and unknown markup however it was stored."""

    def to_python(self, value):
        return RichText(clean_rich_text(value or ""))

    def get_prep_value(self, value):
        return clean_rich_text(super().get_prep_value(value) or "")


class CaptionedImageBlock(blocks.StructBlock):
    """An image with the alt text a screen reader needs (required, as on a government site) and a caption."""

    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(label=_("alt text"), max_length=200, help_text=_("Describe what the image shows, for screen readers."))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image with caption")
        template = "lms/blocks/captioned_image.html"
        description = _("An image with required alt text and an optional caption")


class CalloutBlock(blocks.StructBlock):
    """A highlighted tip, note or warning."""

    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[("tip", _("Tip")), ("note", _("Note")), ("warning", _("Warning"))],
        default="tip",
    )
    title = blocks.CharBlock(label=_("title"), required=False, max_length=100)
    text = SafeRichTextBlock(label=_("text"), features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "lms/blocks/callout.html"
        description = _("A tip, note or warning set apart from the text")
        preview_value = {"kind": "tip", "title": "小贴士", "text": "<p>保存草稿不会让页面上线，记得点击“发布”。</p>"}


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("step"), max_length=200)
    text = SafeRichTextBlock(label=_("details"), required=False, features=["bold", "italic", "link", "ol", "ul", "code"])
    screenshot = ImageChooserBlock(label=_("screenshot"), required=False)
    screenshot_alt = blocks.CharBlock(label=_("screenshot alt text"), required=False, max_length=200)


class StepsBlock(blocks.StructBlock):
    """Numbered steps, each with an optional screenshot: how back-office procedures are taught."""

    title = blocks.CharBlock(label=_("title"), required=False, max_length=200)
    steps = blocks.ListBlock(StepBlock(), label=_("steps"), min_num=1)

    class Meta:
        icon = "list-ol"
        label = _("Numbered steps")
        template = "lms/blocks/steps.html"
        description = _("A procedure as numbered steps with optional screenshots")


class DocumentDownloadBlock(blocks.StructBlock):
    """A file to download: a rules document, a template, an original image to process."""

    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("link text"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        template = "lms/blocks/document.html"


class VideoBlock(blocks.StructBlock):
    """A video or other embedded media, with a caption."""

    embed = EmbedBlock(label=_("video or embed URL"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)

    class Meta:
        icon = "media"
        label = _("Video / embed")
        template = "lms/blocks/video.html"


RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "image", "code", "blockquote", "hr"]
