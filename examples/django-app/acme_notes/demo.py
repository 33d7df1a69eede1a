"""The demo's control panel (``GET /demo``) and the test-control contract, as the Java appliance
example has it: ``POST /demo/clock`` with ``days=N``, ``to=D-30|…|EXPIRY|LOCK`` or ``back=N``
(answers 303 to /demo), and ``POST /demo/license`` with ``kind=renewal|tampered`` (answers the panel
with the file in ``<textarea id="demo-license">``). Exempt from the license gate, so the clock can
be moved while the product is locked; only in demo mode."""

from __future__ import annotations

import datetime as dt
import functools
import urllib.parse
from typing import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.csrf import csrf_exempt

from keyturn import Policy

from . import licensing


def panel(request: HttpRequest) -> HttpResponse:
    demo = licensing.demo()
    if demo is None:
        return HttpResponseNotFound("demo mode is off")
    return _panel(request, demo, "", "")


def demo_action(
    view: Callable[[HttpRequest, licensing.Demo], HttpResponse]
) -> Callable[[HttpRequest], HttpResponse]:
    """A demo control: POST only, from this server's own pages (an Origin of another host is refused,
    as on the Java demo; that check replaces Django's CSRF token), only in demo mode."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponse:
        demo = licensing.demo()
        if demo is None:
            return HttpResponseNotFound("demo mode is off")
        if request.method != "POST":
            return HttpResponse(status=405, headers={"Allow": "POST"})
        if not _same_origin(request):
            return HttpResponse(
                "demo controls take requests from this server's pages only", status=403
            )
        return view(request, demo)

    return wrapped


@demo_action
def clock(request: HttpRequest, demo: licensing.Demo) -> HttpResponse:
    try:
        if "days" in request.POST:
            days = _number(request.POST["days"])
            if not 1 <= days <= 800:
                raise ValueError(f"move the clock 1 to 800 days at a time, not {days}")
            _advance(demo, dt.timedelta(days=days))
        elif "to" in request.POST:
            _jump_to(demo, request.POST["to"])
        elif "back" in request.POST:
            demo.clock.set_back(dt.timedelta(days=_number(request.POST["back"])))
            licensing.manager().refresh()
        else:
            raise ValueError("say days=N, to=STAGE or back=N")
    except ValueError as e:
        return HttpResponse(
            render_to_string("notes/message.html", {"title": "Not done", "message": str(e)}),
            status=400,
        )
    return HttpResponse(status=303, headers={"Location": "/demo", "Cache-Control": "no-store"})


@demo_action
def license_file(request: HttpRequest, demo: licensing.Demo) -> HttpResponse:
    tampered = request.POST.get("kind") == "tampered"
    text = demo.tampered_renewal() if tampered else demo.renewal()
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"license": text}, headers={"Cache-Control": "no-store"})
    return _panel(request, demo, text, "tampered" if tampered else "renewal")


def _panel(request: HttpRequest, demo: licensing.Demo, text: str, kind: str) -> HttpResponse:
    s = licensing.manager().standing()
    milestones = []
    for stage_id, label, at in _milestones(demo):
        # Rounded up, as every other day count in Keyturn.
        days = -(-int((at - s.evaluated_at).total_seconds()) // 86400)
        milestones.append({"id": stage_id, "label": label, "days": days})
    file_name = "tampered.license.toml" if kind == "tampered" else "renewal.license.toml"
    context = {
        "standing": s,
        "mode": s.mode.value,
        "mode_class": s.mode.value.lower(),
        "clock": s.evaluated_at.strftime("%d %b %Y, %H:%M UTC"),
        "preset": demo.preset,
        "milestones": milestones,
        "license_text": text,
        "kind": kind,
        "file_name": file_name,
        "download": "data:application/toml;charset=utf-8," + urllib.parse.quote(text),
    }
    html = render_to_string("notes/demo.html", context, request=request)
    return HttpResponse(html, headers={"Cache-Control": "no-store"})


def _milestones(demo: licensing.Demo) -> list[tuple[str, str, dt.datetime]]:
    s = licensing.manager().standing()
    if s.license is None:
        return []
    policy = Policy.for_license(s.license.policy)
    labels = {"EXPIRY": "Expiry", "LOCK": "Lock"}
    return [
        (stage.id, labels.get(stage.id, stage.id), stage.starts_at(s.license.expires_at))
        for stage in policy.stages
        if stage.starts_at(s.license.expires_at) > s.evaluated_at
    ]


def _jump_to(demo: licensing.Demo, stage_id: str) -> None:
    """Just past the start of the stage (a minute in, so that it has surely begun)."""
    for sid, _, at in _milestones(demo):
        if sid == stage_id:
            now = licensing.manager().standing().evaluated_at
            _advance(demo, at - now + dt.timedelta(minutes=1))
            return
    raise ValueError(f"stage {stage_id} is not ahead any more")


def _advance(demo: licensing.Demo, d: dt.timedelta) -> None:
    demo.clock.advance(d)
    licensing.manager().refresh()


def _number(s: str) -> int:
    try:
        return int(s.strip())
    except ValueError:
        raise ValueError(f"not a number of days: '{s}'") from None


def _same_origin(request: HttpRequest) -> bool:
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    u = urllib.parse.urlsplit(origin)
    authority = (u.hostname or "") + (f":{u.port}" if u.port else "")
    return authority.lower() == (request.META.get("HTTP_HOST") or "").lower()
