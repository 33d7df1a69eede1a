"""The module's own pages: the lock screen, the license page (the same paste box, to install a
renewal before anything locks), the read-only refusal and a plain message page. Server-rendered
so they work without JavaScript; banner.js enhances them. The same markup as the Java module."""

from __future__ import annotations

import datetime as _dt
from html import escape as _html_escape
from typing import Optional

from .._time import iso
from ..client.standing import ClientStanding
from ..lifecycle import Mode
from . import forms, views
from .settings import WebSettings

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def escape(s: str) -> str:
    return _html_escape(s, quote=True).replace("&#x27;", "&#39;")


def _svg(body: str) -> str:
    return (
        '<svg class="kt-icon" viewBox="0 0 24 24" width="24" height="24" fill="none"'
        ' stroke="currentColor" stroke-width="1.8" stroke-linecap="round"'
        ' stroke-linejoin="round" aria-hidden="true" focusable="false">' + body + "</svg>"
    )


LOCK = _svg(
    '<rect x="4" y="10.5" width="16" height="10.5" rx="2.5"/>'
    '<path d="M8 10.5V7.5a4 4 0 0 1 8 0v3"/><path d="M12 15v2.5"/>'
)
PAUSE = _svg('<circle cx="12" cy="12" r="9"/><path d="M10 9v6"/><path d="M14 9v6"/>')
KEY = _svg(
    '<circle cx="8" cy="15" r="4"/><path d="M10.8 12.2 20 3"/>'
    '<path d="m16 7 3 3"/><path d="m14 9 2 2"/>'
)
SHIELD_CHECK = _svg(
    '<path d="M12 3 4.5 6v5.5c0 4.6 3.2 8.4 7.5 9.5 4.3-1.1 7.5-4.9 7.5-9.5V6z"/>'
    '<path d="m9 12 2 2 4-4"/>'
)


class Outcome:
    """A rendered install answer: installed or not, the code and the message."""

    def __init__(self, installed: bool, code: str, message: str) -> None:
        self.installed = installed
        self.code = code
        self.message = message


class Pages:
    def __init__(self, settings: WebSettings) -> None:
        self.settings = settings

    def lock(
        self,
        s: ClientStanding,
        context_path: str,
        return_to: str,
        outcome: Optional[Outcome] = None,
    ) -> str:
        product = escape(self.settings.product_name)
        main: list[str] = []
        _head(main, "lock", LOCK, product, f"{product} is locked")
        main.append(f'<p class="kt-lead" data-kt-banner-text>{escape(s.banner.text)}</p>\n')
        _safe(
            main,
            "Your data is safe. Once a valid license is installed you are back where you left off,"
            " with no restart.",
        )
        _facts(main, s)
        _result(main, outcome)
        self._form(main, context_path, return_to, "Unlock", "reload", s)
        self._footer(main, context_path, True)
        return self._page("lock", f"{self.settings.product_name} is locked", context_path, main)

    def license(
        self, s: ClientStanding, context_path: str, outcome: Optional[Outcome] = None
    ) -> str:
        product = escape(self.settings.product_name)
        main: list[str] = []
        _head(main, "license", KEY, product, "License")
        summary = s.summary[:1].upper() + s.summary[1:]
        main.append(
            f'<p class="kt-status kt-status--{s.mode.value.lower()}"><span class="kt-status__dot"'
            f' aria-hidden="true"></span>{escape(summary)}</p>\n'
        )
        if s.banner.text:
            main.append(f'<p class="kt-lead" data-kt-banner-text>{escape(s.banner.text)}</p>\n')
        _facts(main, s)
        _result(main, outcome)
        submit = "Unlock" if s.mode is Mode.LOCKED else "Install license"
        self._form(main, context_path, "", submit, "stay", s)
        self._footer(main, context_path, False)
        return self._page("license", f"License · {self.settings.product_name}", context_path, main)

    def read_only(self, s: ClientStanding, context_path: str, back_href: str) -> str:
        product = escape(self.settings.product_name)
        main: list[str] = []
        _head(main, "read-only", PAUSE, product, f"{product} is read-only")
        main.append('<p class="kt-refused">Your change was not saved.</p>\n')
        main.append(
            f'<p class="kt-lead kt-lead--after" data-kt-banner-text>{escape(s.banner.text)}</p>\n'
        )
        _safe(
            main,
            "Your data is safe and can still be read. Saving works again as soon as a renewed"
            " license is installed.",
        )
        _facts(main, s)
        main.append('<div class="kt-actions">\n')
        main.append(
            f'<a class="kt-button kt-button--primary" href="{escape(back_href)}">Go back</a>\n'
        )
        main.append(
            '<a class="kt-button kt-button--secondary" href="'
            f'{escape(context_path + self.settings.base_path + "/")}">Install a license</a>\n'
        )
        self._renew(main, s, context_path)
        main.append("</div>\n")
        self._footer(main, context_path, False)
        return self._page(
            "read-only", f"{self.settings.product_name} is read-only", context_path, main
        )

    def message(self, title: str, detail: str, context_path: str) -> str:
        main: list[str] = []
        _head(main, "message", SHIELD_CHECK, escape(self.settings.product_name), escape(title))
        main.append(f'<p class="kt-lead">{escape(detail)}</p>\n')
        main.append(
            '<div class="kt-actions"><a class="kt-button kt-button--secondary" href="'
            f'{escape(context_path + "/")}">Back to {escape(self.settings.product_name)}</a></div>\n'
        )
        return self._page("message", title, context_path, main)

    def _page(self, kind: str, title: str, context_path: str, main: list[str]) -> str:
        base = escape(context_path + self.settings.base_path)
        return (
            f'<!doctype html>\n<html lang="en" data-keyturn-page="{kind}">\n<head>\n'
            '<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="robots" content="noindex">\n<title>{escape(title)}</title>\n'
            f'<link rel="stylesheet" href="{base}/banner.css">\n</head>\n'
            f'<body class="kt-screen kt-screen--{kind}">\n'
            '<main class="kt-card" aria-labelledby="kt-title">\n'
            + "".join(main)
            + f'</main>\n<script src="{base}/banner.js" defer></script>\n</body>\n</html>\n'
        )

    def _form(
        self,
        main: list[str],
        context_path: str,
        return_to: str,
        submit: str,
        after: str,
        s: ClientStanding,
    ) -> None:
        action = escape(context_path + self.settings.base_path + "/install")
        main.append(
            f'<form id="kt-install-form" class="kt-form" method="post" action="{action}"'
            f' enctype="multipart/form-data" data-kt-after="{after}">\n'
        )
        if return_to:
            main.append(
                f'<input type="hidden" name="{forms.RETURN_FIELD}" value="{escape(return_to)}">\n'
            )
        placeholder = escape("# Keyturn license for …\nformat = 1\n\n[license]\n…")
        main.append(
            '<label class="kt-label" for="kt-license">Paste your license</label>\n'
            f'<textarea id="kt-license" name="{forms.FIELD}" rows="6" spellcheck="false"'
            ' autocomplete="off" aria-describedby="kt-license-hint"'
            f' placeholder="{placeholder}"></textarea>\n'
            '<p id="kt-license-hint" class="kt-hint">The whole <code>.license.toml</code> file your'
            " vendor sent, comments included.</p>\n"
            '<div class="kt-divider"><span>or</span></div>\n'
            '<label class="kt-label" for="kt-file">Upload the license file</label>\n'
            f'<input id="kt-file" class="kt-file" type="file" name="{forms.FILE_FIELD}"'
            ' accept=".toml,.license,text/plain">\n'
            '<div class="kt-actions">\n'
            f'<button type="submit" class="kt-button kt-button--primary">{escape(submit)}</button>\n'
        )
        self._renew(main, s, context_path)
        main.append("</div>\n</form>\n")

    def _renew(self, main: list[str], s: ClientStanding, context_path: str) -> None:
        r = views.renewal(s, self.settings, context_path)
        if r is None:
            return
        if r["kind"] == "server":
            main.append(
                '<button type="button" class="kt-button kt-button--secondary" data-kt-renew>'
                "Request a renewal</button>\n"
            )
        else:
            target = ' target="_blank" rel="noopener"' if r["kind"] == "portal" else ""
            main.append(
                '<a class="kt-button kt-button--secondary" data-kt-renew-link href="'
                f'{escape(r["href"])}"{target}>Request a renewal</a>\n'
            )

    def _footer(self, main: list[str], context_path: str, link_to_license_page: bool) -> None:
        main.append(
            '<p class="kt-footnote">Questions about your license? Contact '
            f"{escape(self.settings.vendor_name)}."
        )
        if link_to_license_page:
            href = escape(context_path + self.settings.base_path + "/")
            main.append(f' <a href="{href}">License details</a>')
        main.append("</p>\n")


def _head(main: list[str], kind: str, icon: str, eyebrow_html: str, title_html: str) -> None:
    main.append(
        f'<div class="kt-card__head">\n<span class="kt-emblem kt-emblem--{kind}">{icon}</span>\n'
        f'<div>\n<p class="kt-eyebrow">{eyebrow_html}</p>\n<h1 id="kt-title">{title_html}</h1>\n'
        "</div>\n</div>\n"
    )


def _safe(main: list[str], text: str) -> None:
    main.append(f'<p class="kt-safe">{SHIELD_CHECK}<span>{escape(text)}</span></p>\n')


def _facts(main: list[str], s: ClientStanding) -> None:
    lic = s.license
    if lic is None:
        return
    main.append('<dl class="kt-facts">\n')
    _fact(main, "Customer", escape(lic.customer))
    _fact(main, "Reference", f"<code>{escape(lic.subscription_id)}</code>")
    _fact(main, "Tier", escape(lic.tier))
    _fact(main, "Expires" if lic.expires_at > s.evaluated_at else "Expired", _time(lic.expires_at))
    main.append("</dl>\n")


def _fact(main: list[str], term: str, value_html: str) -> None:
    main.append(f"<div><dt>{term}</dt><dd>{value_html}</dd></div>\n")


def _time(at: _dt.datetime) -> str:
    """UTC on the server; banner.js rewrites it in the viewer's zone."""
    u = at.astimezone(_dt.timezone.utc)
    text = f"{u.day} {_MONTHS[u.month - 1]} {u.year:04d}, {u.hour:02d}:{u.minute:02d} UTC"
    return f'<time datetime="{iso(at)}" data-kt-local>{escape(text)}</time>'


def _result(main: list[str], outcome: Optional[Outcome]) -> None:
    main.append('<div id="kt-install-result" class="kt-result-slot" aria-live="polite">')
    if outcome is not None:
        kind = "ok" if outcome.installed else "error"
        role = "status" if outcome.installed else "alert"
        main.append(
            f'<div class="kt-result kt-result--{kind}" role="{role}"><span class="kt-result__code">'
            f'{escape(outcome.code)}</span><p class="kt-result__message">{escape(outcome.message)}'
            "</p></div>"
        )
    main.append("</div>\n")
