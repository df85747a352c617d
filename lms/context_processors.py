from lms import permissions


def navigation(request):
    """What the site header needs: which staff links this person gets."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_is_staff": False, "nav_can_author": False, "nav_can_manage_certificates": False, "nav_can_see_teams": False}
    is_staff = permissions.is_staff_member(user)
    return {
        "nav_is_staff": is_staff,
        "nav_can_see_teams": is_staff and permissions.can_see_qualification(user),
        "nav_can_author": permissions.can_author_courses(user),
        "nav_can_manage_certificates": permissions.can_manage_certificates(user),
    }
