"""The declared access expectations for every URL of the project.

Each entry maps a URL name to the kwargs it needs (built from the `world` of the matrix test) and the
status code each role gets on GET, in the order of ROLES. A new URL without an entry fails the matrix test.
"""

from collections.abc import Callable
from dataclasses import dataclass

ROLES = ("anonymous", "artist", "other_artist", "reviewer", "staff")
LOGIN = 302  # anonymous users are sent to the login page


@dataclass(frozen=True)
class Expect:
    codes: tuple[int, int, int, int, int]
    kwargs: Callable[[object], dict] = lambda world: {}


def everyone(code: int = 200) -> tuple[int, int, int, int, int]:
    return (code, code, code, code, code)


def signed_in(code: int = 200) -> tuple[int, int, int, int, int]:
    return (LOGIN, code, code, code, code)


EXPECTATIONS: dict[str, Expect] = {
    # portal
    "home": Expect(everyone()),
    "dashboard": Expect(signed_in()),
    "healthz": Expect(everyone()),
    "robots_txt": Expect(everyone()),
    "sitemap": Expect(everyone()),
    # programs
    "programs:list": Expect(everyone()),
    "programs:detail": Expect(everyone(), lambda w: {"slug": w.program.slug}),
}

# Third-party URL families, declared as a rule each rather than URL by URL.
# The admin: anonymous users are sent to allauth's login; signed-in people who are not staff get 403
# (405 where the admin view only takes POST, such as logout).
ADMIN_REFUSED = {403, 405}
