"""The one error path for pages, as ``errors.api_exception_handler`` is for the API.

A page view lets a service's or selector's ``DomainError`` propagate; the middleware renders it as
the page for its status (400, 403, 404, 409, 413) with the service's message. Views that can show
the refusal on a form instead catch it there (``forms.add_domain_error``) and keep what was typed.
"""

from django.shortcuts import render

from .errors import DomainError

TITLES = {
    400: "This cannot be done as asked",
    403: "Not allowed",
    404: "Not found",
    409: "Not now",
    413: "Too large",
}


def error_page(request, exc: DomainError):
    status = exc.status_code
    context = {"title": TITLES.get(status, "This cannot be done"), "message": exc.message, "status": status}
    return render(request, "error.html", context, status=status)


class DomainErrorPageMiddleware:
    """Render a ``DomainError`` a page view did not handle; API views never reach here (DRF maps them)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exc):
        if isinstance(exc, DomainError):
            return error_page(request, exc)
        return None
