from django.db import models


class Note(models.Model):
    """What the product keeps: the data a lock must never touch."""

    text = models.CharField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
