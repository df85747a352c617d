from django.utils.functional import SimpleLazyObject


def inbox(request):
    """The bell's unread count, computed only when a template shows it (and then mostly from the cache)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        from .selectors import unread_count

        return unread_count(user)

    return {"inbox_unread": SimpleLazyObject(count), "inbox_enabled": True}
