from .models import Notification


def unread_count(request) -> dict:
    """The unread count in every page's header (one query when signed in)."""
    if not request.user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()}
