from django.db import models


class Heartbeat(models.Model):
    """When a Celery worker last ran the scheduled heartbeat task.

    Beat schedules it and a worker runs it, so a recent beat proves both are alive; the health
    endpoint reads it.
    """

    name = models.CharField(max_length=50, unique=True)
    beat_at = models.DateTimeField()
    hostname = models.CharField(max_length=200, blank=True)

    def __str__(self):
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
