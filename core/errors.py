"""The one base class for refusals that a person should read.

Services raise a DomainError (or a subclass) when a request breaks a rule; views show `message`
to the user and write nothing. Anything else that goes wrong is a bug and is left to crash loudly.
"""

from django.core.exceptions import PermissionDenied


class DomainError(Exception):
    """A rule said no. `message` is written for the person who asked, not for a developer."""

    def __init__(self, message: str, *, next_url: str = "", next_label: str = ""):
        super().__init__(message)
        self.message = message
        # What unblocks it, when the service knows (accept the new agreement, ask staff): views link to it.
        self.next_url = next_url
        self.next_label = next_label

    def __str__(self) -> str:
        return self.message


class Refusal(PermissionDenied):
    """A 403 that explains itself: `reason` says why, `next_url`/`next_label` lead to what unblocks it
    (accept the agreement, ask staff, wait until a date). The site's 403 page shows both."""

    def __init__(self, reason: str, *, next_url: str = "", next_label: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.next_url = next_url
        self.next_label = next_label

    @property
    def message(self) -> str:
        """The reason, under the name a DomainError gives it, so a view shows either the same way."""
        return self.reason


class TransitionRefused(DomainError):
    """A record is not in a state from which the asked move is allowed (raised by core.lifecycle only).

    Services that want their own family of errors to catch it too subclass it with theirs, e.g.
    `class VideoMoveRefused(TransitionRefused, VideoError)`, and pass that class to `core.lifecycle.move`."""
