"""The one error path for pages, as ``errors.api_exception_handler`` is for the API.

A page view lets a service's or selector's ``DomainError`` propagate; the middleware renders it as
the page for its status (400, 403, 404, 409, 413) with the service's message. Views that can show
the refusal on a form instead catch it there (``forms.add_domain_error``) and keep what was typed.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt

from .errors import DomainError

TITLES = {
    400: gettext_lazy("This cannot be done as asked"),
    403: gettext_lazy("Not allowed"),
    404: gettext_lazy("Not found"),
    409: gettext_lazy("Not now"),
    413: gettext_lazy("Too large"),
    429: gettext_lazy("Too many requests"),
}


def error_page(request, exc: DomainError):
    status = exc.status_code
    context = {"title": TITLES.get(status) or _("This cannot be done"), "message": exc.message, "status": status}
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


@csrf_exempt  # nothing here changes anything: a POST to no endpoint is a 404, not a CSRF page
def api_not_found(request, *args, **kwargs):
    """Any address under /api/ that names no endpoint: a JSON 404, as clients of the API expect."""
    message = _("There is no API endpoint at %(path)s; see /api/docs/.") % {"path": request.path}
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match and match.func is not api_not_found:
            message = _("There is no API endpoint at %(path)s; did you mean %(path)s/ ?") % {"path": request.path}
    return JsonResponse({"detail": message}, status=404)


def unavailable(request):
    message = _("The database is not answering; try again in a few seconds. Nothing was saved.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        # A bare page (templates/bare.html): the site's layout asks the database for the header's counts.
        response = HttpResponse(loader.get_template("503.html").render({"message": message}), status=503)
    response["Retry-After"] = "5"
    return response


def bad_request(request, exception):
    """What Django refuses before any view (a body it cannot parse, such as multipart without a
    boundary): JSON under /api/, the plain error page elsewhere. The reason is not echoed: it can
    quote the request's own headers."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("The request could not be read: check its Content-Type and body.")}, status=400
        )
    return defaults.bad_request(request, exception)


def server_error(request):
    """The last resort: JSON under /api/, the plain error page elsewhere (no template context).

    A database that cannot be reached (restarting, failing over) is a 503 with Retry-After, not a
    500: nothing is wrong with the request, and the next one reconnects (CONN_HEALTH_CHECKS).
    """
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return unavailable(request)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Something went wrong on our side; it has been logged.")}, status=500)
    return defaults.server_error(request)
