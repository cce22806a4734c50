from django.http import HttpRequest

from programs.access import role_summary


def navigation(request: HttpRequest) -> dict:
    """The roles that decide which navigation links a person sees."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"nav_roles": role_summary(user)}
