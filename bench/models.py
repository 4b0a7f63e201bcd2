from django.db import models


class BaselineRow(models.Model):
    """What the baseline write inserts: one row, no history, no rules."""

    label = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.label} {self.pk}"
