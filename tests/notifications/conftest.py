import pytest

from drafting import services
from notifications.models import Notification


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Run what each commit hands to Celery (fan-out, emails) in-process, as the worker would."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


@pytest.fixture
def round_(draft, people, deliver):
    round_ = services.round_create(draft=draft, by=people["moderator"], title="First reading")
    return deliver(lambda: services.round_open(round_id=round_.id, by=people["moderator"]))


def messages_of(user):
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("kind", "message"))
