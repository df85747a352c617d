"""Admin viewsets whose every view sees only the rows a person may see (a trainer: their teams' people).

Wagtail's model permissions say *whether* someone may view or edit a kind of object, not *which* ones;
its generic views load an object by the id in the address. `ScopedSnippetViewSet` puts one rule,
`scope(user, queryset)`, in front of all of them: the listing, search and export, every view that loads
one object (edit, delete, inspect, history, usage, copy, revisions), and the chooser (list, chosen).
An object outside the scope answers 404, as elsewhere in the product.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import Http404
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

Scope = Callable[..., QuerySet]


class _ScopedViews:
    """Mixed into each view class of a scoped viewset; `scope` is set on the subclass."""

    scope: Scope

    def _scoped(self, queryset):
        return type(self).scope(self.request.user, queryset)

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if obj is not None and not self._scoped(type(obj)._default_manager.filter(pk=obj.pk)).exists():
            raise Http404
        return obj

    def get_object_list(self):  # chooser listing and search
        return self._scoped(super().get_object_list())

    def get_objects(self, pks):  # chooser: several chosen at once
        return self._scoped(super().get_objects(pks))


def _with_scope(view_class, scope: Scope):
    return type(f"Scoped{view_class.__name__}", (_ScopedViews, view_class), {"scope": staticmethod(scope)})


class ScopedPermissionPolicy(ModelPermissionPolicy):
    """The model's permissions, limited to the instances in scope (bulk actions and previews ask per instance)."""

    def __init__(self, model, scope: Scope, **kwargs):
        super().__init__(model, **kwargs)
        self.scope = scope

    def _in_scope(self, user, instance) -> bool:
        return self.scope(user, self.model._default_manager.filter(pk=instance.pk)).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        return super().user_has_permission_for_instance(user, action, instance) and self._in_scope(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return super().user_has_any_permission_for_instance(user, actions, instance) and self._in_scope(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        return self.scope(user, super().instances_user_has_any_permission_for(user, actions))


class ScopedSnippetViewSet(SnippetViewSet):
    """A snippet viewset whose views and chooser all go through `scope(user, queryset)`; register
    `ScopedPermissionPolicy(model, scope)` for the model too (bulk actions ask the policy, not the views)."""

    @staticmethod
    def scope(user, queryset: QuerySet) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self, request):
        return self.scope(request.user, self.model._default_manager.all())

    def construct_view(self, view_class, **kwargs):
        return super().construct_view(_with_scope(view_class, self.scope), **kwargs)

    @property
    def chooser_viewset(self):
        scope = self.scope

        class ScopedChooserViewSet(SnippetChooserViewSet):
            def construct_view(self, view_class, **kwargs):
                return super().construct_view(_with_scope(view_class, scope), **kwargs)

        return ScopedChooserViewSet(
            self.get_chooser_admin_url_namespace(),
            model=self.model,
            url_prefix=self.get_chooser_admin_base_path(),
            icon=self.icon,
            per_page=self.chooser_per_page,
        )
