"""Every page in the signed-in reader's language and time zone.

Django's LocaleMiddleware picks the language of a visitor (the switcher's cookie, else the browser's languages);
this one then applies a signed-in person's saved choices: their language (the switcher saves it for them too, so
the two agree) and their time zone, which `|when` and every localtime() read for the rest of the request.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from core.time_zones import is_time_zone


class UserLocaleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        if user.language and translation.check_for_language(user.language):
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        zone = user.time_zone if is_time_zone(user.time_zone) else "UTC"
        with timezone.override(zone):  # deactivated after the response: threads serve other people next
            return self.get_response(request)
