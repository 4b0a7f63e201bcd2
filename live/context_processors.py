from django.conf import settings


def live_updates(request) -> dict:
    """Whether a page of a draft opens its live stream (``settings.LIVE_UPDATES``)."""
    return {"live_updates": settings.LIVE_UPDATES}
