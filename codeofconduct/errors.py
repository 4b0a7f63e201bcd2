"""The one domain exception type, and its mapping to HTTP for the API.

Services raise ``DomainError`` subclasses; the API turns them into DRF-shaped JSON errors and pages
turn them into form errors, so a rule is stated once and refused the same way everywhere.
"""

from django.utils.translation import gettext as _
from rest_framework.response import Response


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

    def as_payload(self) -> dict:
        """Always a ``detail`` (API.md: every 409 says why), and the field at fault beside it, if any."""
        fields = {self.field: [self.message]} if self.field else {}
        return {"detail": self.message, **fields, **self.extra}


class TooLarge(DomainError):
    status_code = 413


def api_exception_handler(exc, context):
    # Imported here: DRF's views module reads the parser setting, whose parser raises these errors.
    from django.conf import settings
    from django.core.exceptions import RequestDataTooBig
    from rest_framework.views import exception_handler

    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = context.get("request")
        length = request.META.get("CONTENT_LENGTH") if request is not None else None
        if str(length or "").isdigit():
            detail = _("The request body is %(size)s bytes, larger than %(limit)s.") % {
                "size": f"{int(length):,}",
                "limit": size_text(limit),
            }
        else:
            detail = _("The request body is larger than %(limit)s.") % {"limit": size_text(limit)}
        return Response({"detail": detail}, status=413)
    if isinstance(exc, DomainError):
        response = Response(exc.as_payload(), status=exc.status_code)
        if getattr(exc, "retry_after", None):
            response["Retry-After"] = str(exc.retry_after)
        return response
    return exception_handler(exc, context)


def size_text(size: int) -> str:
    """A limit in the units people read: ``10 MiB``, ``48 KiB``."""
    if size >= 1024 * 1024 and size % (1024 * 1024) == 0:
        return _("%(size)d MiB") % {"size": size // (1024 * 1024)}
    return _("%(size)d KiB") % {"size": size // 1024}
