"""Secure headers Django's own middleware does not send (OWASP Secure Headers Project).

SecurityMiddleware already sends nosniff, Referrer-Policy and Cross-Origin-Opener-Policy, and
XFrameOptionsMiddleware sends X-Frame-Options (settings/base.py names each value); this adds the rest.
"""

from django.utils.cache import add_never_cache_headers

# No page here uses any of these browser features; a script injected despite the CSP gets none of
# them either. Only features Chromium knows: an unknown one is a console warning on every page.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",  # no interest-based advertising, nor FLoC before it (interest-cohort)
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class SecureHeadersMiddleware:
    """Send the restrictive headers on every answer, and keep personal answers out of caches.

    Any answer to a signed-in person (a token or a session; a page, an API answer or a file) may
    hold what only they may read (a members-only draft, their notifications, their profile), so no
    browser or proxy cache may keep it: ``Cache-Control: private, no-store`` (with Django's other
    never-cache words). Anonymous reads of public drafts stay cacheable. DRF sets the token's user on
    the Django request, so ``request.user`` is the right person here; a request that carries an
    Authorization header counts as personal even when its token is refused.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # Our pages, files and API answers are for this site alone, never embedded by another.
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if _personal(request):
            add_never_cache_headers(response)
        return response


def _personal(request) -> bool:
    if "Authorization" in request.headers:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)
