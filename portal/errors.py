"""The one base class for refusals that a person should read.

Services raise a DomainError (or a subclass) when a request breaks a rule; views show `message`
to the user and write nothing. Anything else that goes wrong is a bug and is left to crash loudly.
"""


class DomainError(Exception):
    """A rule said no. `message` is written for the person who asked, not for a developer."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
