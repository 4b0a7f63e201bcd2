"""The one domain exception type, and its mapping to HTTP for the API.

Services raise ``DomainError`` subclasses; the API turns them into DRF-shaped JSON errors and pages
turn them into form errors, so a rule is stated once and refused the same way everywhere.
"""

from rest_framework.response import Response
from rest_framework.views import exception_handler


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, **extra):
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra

    def as_payload(self) -> dict:
        if self.field:
            return {self.field: [self.message], **self.extra}
        return {"detail": self.message, **self.extra}


class InvalidInput(DomainError):
    status_code = 400


class NotAllowed(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    """A stale version or a wrong phase: the payload carries the current state."""

    status_code = 409


class TooLarge(DomainError):
    status_code = 413


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(exc.as_payload(), status=exc.status_code)
    return exception_handler(exc, context)
