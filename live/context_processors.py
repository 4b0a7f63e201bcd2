from django.conf import settings

from .models import Kind


def live_updates(request) -> dict:
    """Whether a page of a draft opens its live stream (``settings.LIVE_UPDATES``), and the kinds of
    change it may hear of (``static/js/live.js``)."""
    return {"live_updates": settings.LIVE_UPDATES, "live_kinds": " ".join(Kind.values)}
