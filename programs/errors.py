"""The refusals of enrolment, each with a message written for the person who asked."""

from core.errors import DomainError, TransitionRefused

__all__ = ["AgreementOutdated", "ApplicationRefused", "CohortFull", "ConsentRefused", "InvitationUnusable"]
__all__ += ["TransitionRefused"]  # the lifecycle's refusal, which enrolment's other refusals share


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
