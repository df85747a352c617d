"""The quiz block a lesson embeds: a card with the quiz's rules, the trainee's standing and the way in."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from lms.chooser_blocks import RememberingSnippetChooserBlock


class QuizBlock(blocks.StructBlock):
    """A quiz in a lesson. Passing it counts towards completing the course."""

    quiz = RememberingSnippetChooserBlock("quizzes.Quiz", label=_("quiz"))
    intro = blocks.CharBlock(label=_("introduction"), required=False, max_length=300, help_text=_("One sentence on what the quiz checks."))

    class Meta:
        icon = "form"
        label = _("Quiz")
        template = "quizzes/blocks/quiz.html"
        description = _("A quiz the trainee must pass to complete the course")

    def get_context(self, value, parent_context=None):
        from . import selectors

        context = super().get_context(value, parent_context=parent_context)
        quiz = value.get("quiz")
        request = (parent_context or {}).get("request")
        user = getattr(request, "user", None)
        context["quiz"] = quiz
        context["intro"] = value.get("intro")
        if quiz is not None:
            # A lesson page passes the outcomes its course outline read (quiz_outcomes): no query here then.
            known = (parent_context or {}).get("quiz_outcomes") or {}
            if quiz.pk in known:
                context["outcome"] = known[quiz.pk]
                context["question_count"] = selectors.question_count(known[quiz.pk].quiz)
            else:
                context["question_count"] = selectors.question_count(quiz)
                context["outcome"] = selectors.outcome(user=user, quiz=quiz) if user is not None else selectors.QuizOutcome(quiz=quiz)
        return context

    def render(self, value, context=None):
        if value.get("quiz") is None:
            return ""
        return super().render(value, context)


def quiz_ids_in(stream_raw_data) -> list[int]:
    """Quiz ids of the quiz blocks in a StreamField's raw data, without loading the quizzes."""
    ids = []
    for block in stream_raw_data or []:
        if block.get("type") == "quiz" and isinstance(block.get("value"), dict):
            quiz_id = block["value"].get("quiz")
            if isinstance(quiz_id, int):
                ids.append(quiz_id)
    return ids
