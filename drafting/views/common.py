"""What the page views share. Refusals a view does not show on a form reach
``codeofconduct.pages.DomainErrorPageMiddleware``, the one error path for pages."""

from codeofconduct.inputs import local_address


def back(request, fallback: str) -> str:
    """Where a plain (non-htmx) form post returns to: the page it came from, on this site."""
    return local_address(request.POST.get("next", ""), fallback)
