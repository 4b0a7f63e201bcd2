"""The one error path for pages, as ``errors.api_exception_handler`` is for the API.

A page view lets a service's or selector's ``DomainError`` propagate; the middleware renders it as
the page for its status (400, 403, 404, 409, 413) with the service's message. Views that can show
the refusal on a form instead catch it there (``forms.add_domain_error``) and keep what was typed.
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.views import defaults

from .errors import DomainError

TITLES = {
    400: "This cannot be done as asked",
    403: "Not allowed",
    404: "Not found",
    409: "Not now",
    413: "Too large",
    429: "Too many requests",
}


def error_page(request, exc: DomainError):
    status = exc.status_code
    context = {"title": TITLES.get(status, "This cannot be done"), "message": exc.message, "status": status}
    response = render(request, "error.html", context, status=status)
    if getattr(exc, "retry_after", None):
        response["Retry-After"] = str(exc.retry_after)
    return response


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


def api_not_found(request, *args, **kwargs):
    """Any address under /api/ that names no endpoint: a JSON 404, as clients of the API expect."""
    message = f"There is no API endpoint at {request.path}; see /api/docs/."
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match and match.func is not api_not_found:
            message = f"There is no API endpoint at {request.path}; did you mean {request.path}/ ?"
    return JsonResponse({"detail": message}, status=404)


def server_error(request):
    """The last resort: JSON under /api/, the plain error page elsewhere (no template context)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Something went wrong on our side; it has been logged."}, status=500)
    return defaults.server_error(request)
