"""What the page views share. Refusals a view does not show on a form reach
``codeofconduct.pages.DomainErrorPageMiddleware``, the one error path for pages."""


def back(request, fallback: str) -> str:
    """Where a plain (non-htmx) form post returns to: the page it came from, on this site."""
    target = request.POST.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else fallback
