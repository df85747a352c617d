"""Wagtail admin: certification programmes are authored here; certificates are managed on the site."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView, SnippetViewSet

from lms import permissions

from .models import Programme


class ProgrammeDeleteView(DeleteView):
    """Certificates keep their programme (PROTECT): refuse with a message instead of an error page."""

    def form_valid(self, form):
        if self.object.certificates.exists():
            messages.error(
                self.request,
                gettext("“%(programme)s” has certificates and cannot be deleted; untick “active” to retire it.")
                % {"programme": self.object.name},
            )
            return redirect(self.get_edit_url() if hasattr(self, "get_edit_url") else self.get_success_url())
        return super().form_valid(form)


class ProgrammeViewSet(SnippetViewSet):
    model = Programme
    delete_view_class = ProgrammeDeleteView
    icon = "pick"
    menu_label = _("Certification programmes")
    menu_order = 320
    add_to_admin_menu = True
    list_display = ["name", "slug", "validity_months", "serial_prefix", "is_active"]
    search_fields = ["name", "slug"]


register_snippet(ProgrammeViewSet)


class BureauOnlyMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_manage_certificates(request.user)


@hooks.register("register_admin_menu_item")
def certificates_menu_item():
    return BureauOnlyMenuItem(_("Certificates"), reverse("certificates:manage_list"), icon_name="doc-full", order=330)
