"""The lesson body: what a trainer can put in a lesson."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from lms.blocks import (
    RICH_TEXT_FEATURES,
    CalloutBlock,
    CaptionedImageBlock,
    DocumentDownloadBlock,
    SafeRichTextBlock,
    StepsBlock,
    VideoBlock,
)
from quizzes.blocks import QuizBlock
from quizzes.practical.blocks import PracticalTaskBlock


class LessonBodyBlock(blocks.StreamBlock):
    """Blocks of a lesson, in the order the trainer sets."""

    text = SafeRichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES, icon="pilcrow")
    image = CaptionedImageBlock()
    callout = CalloutBlock()
    steps = StepsBlock()
    document = DocumentDownloadBlock()
    video = VideoBlock()
    quiz = QuizBlock()
    practical_task = PracticalTaskBlock()

    class Meta:
        block_counts = {}
