"""``{% load keyturn %}`` then ``{% keyturn_banner %}`` once per page (it includes banner.js, which
loads its own CSS and renders the banner), and optionally ``{% keyturn_pill %}`` in the header,
where a dismissed D-7 banner shows its countdown."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from ..middleware import get_web

register = template.Library()


@register.simple_tag(takes_context=True)
def keyturn_banner(context: template.Context) -> str:
    request = context.get("request")
    script_name = (request.META.get("SCRIPT_NAME") or "").rstrip("/") if request else ""
    base = script_name + get_web().settings.base_path
    return format_html('<script src="{}/banner.js" defer></script>', base)


@register.simple_tag
def keyturn_pill() -> str:
    return format_html("<span data-keyturn-pill></span>")
