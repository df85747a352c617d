"""The hands-on task block a trainer puts in a lesson: the task, and where the trainee stands on it."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from lms.chooser_blocks import RememberingSnippetChooserBlock


class PracticalTaskBlock(blocks.StructBlock):
    """Embeds a hands-on task in a lesson, linking to its page where the work is handed in."""

    task = RememberingSnippetChooserBlock("quizzes.PracticalTask", label=_("hands-on task"))
    note = blocks.CharBlock(label=_("note"), required=False, max_length=200, help_text=_("Optional: a word on when to do it."))

    class Meta:
        icon = "tasks"
        label = _("Hands-on task")
        template = "quizzes/practical/blocks/task.html"
        description = _("A hands-on task with an automatic check or a trainer's review")

    def get_context(self, value, parent_context=None):
        from .selectors import task_states

        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        task = value.get("task")
        if request is not None and task is not None:
            # A lesson page passes the latest submissions its course outline read (task_submissions).
            known = (parent_context or {}).get("task_submissions") or {}
            if task.pk in known:
                context["submission"] = known[task.pk]
            else:
                context["submission"] = task_states(user=request.user, task_ids=[task.pk]).get(task.pk)
        return context
