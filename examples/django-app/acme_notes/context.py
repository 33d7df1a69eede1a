from django.http import HttpRequest

from . import licensing


def demo(request: HttpRequest) -> dict:
    """Pages link the demo controls only in demo mode."""
    return {"demo": licensing.demo() is not None}
