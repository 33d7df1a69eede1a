from django.apps import AppConfig


class KeyturnConfig(AppConfig):
    """Makes ``{% load keyturn %}`` available; the middleware does the rest."""

    name = "keyturn.django"
    label = "keyturn"
    verbose_name = "Keyturn licensing"
