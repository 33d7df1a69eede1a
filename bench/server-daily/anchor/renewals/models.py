"""Keyturn's own tables, read as they are (unmanaged): the anchor never writes them."""
from django.db import models


class Subscription(models.Model):
    id = models.CharField(primary_key=True, max_length=64)
    display_name = models.CharField(max_length=200)
    admin_emails = models.TextField()
    billing_emails = models.TextField()

    class Meta:
        managed = False
        db_table = "subscriptions"


class License(models.Model):
    id = models.CharField(primary_key=True, max_length=64)
    subscription = models.ForeignKey(Subscription, on_delete=models.DO_NOTHING)
    grace_days = models.IntegerField()
    grace_mode = models.CharField(max_length=32)
    expires_at = models.DateTimeField()
    locks_at = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "licenses"
