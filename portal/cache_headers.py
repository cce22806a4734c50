"""Personal pages stay out of shared caches: every answer to a signed-in person is `Cache-Control: private`, and
pages with money, personal data or account secrets are not stored at all (`no-store`), not even by the browser."""

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

# Account pages, the person's own pages (statements, exports, deletion), the admin; staff pages of people and money.
NO_STORE_PREFIXES = ("/accounts/", "/me/", "/admin/")
NO_STORE_PARTS = ("/staff/", "/compensation/")


def is_sensitive(path: str) -> bool:
    return path.startswith(NO_STORE_PREFIXES) or any(part in path for part in NO_STORE_PARTS)


class PrivateCacheMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_sensitive(request.path):
            patch_cache_control(response, private=True, no_store=True)
        elif request.user.is_authenticated:
            patch_cache_control(response, private=True)
        return response
