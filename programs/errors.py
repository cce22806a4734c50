"""The refusals of enrolment, each with a message written for the person who asked."""

from core.errors import DomainError


class TransitionRefused(DomainError):
    """The object is not in a state from which this change is allowed."""


class ApplicationRefused(DomainError):
    pass


class CohortFull(DomainError):
    pass


class AgreementOutdated(DomainError):
    """The form named a version that is no longer the current one."""


class ConsentRefused(DomainError):
    pass


class InvitationUnusable(DomainError):
    """The invitation cannot be used by this person now. `status_code` is what its page answers."""

    def __init__(self, message: str, *, status_code: int):
        super().__init__(message)
        self.status_code = status_code


def check_transition(allowed: dict[str, set[str]], current: str, target: str, *, what: str) -> None:
    """Refuse a change that the explicit map `allowed` does not list."""
    if target not in allowed.get(current, set()):
        current_label = current or "new"
        raise TransitionRefused(f"This {what} is {current_label}; it cannot become {target}.")
