"""Acme Notes itself knows nothing of licensing but ``allows()`` for a feature: the middleware
gates every request before it gets here."""

import json

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keyturn.django import get_manager

from .models import Note


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    licenses = get_manager()
    context = {
        "notes": Note.objects.all(),
        "can_write": licenses.allows("notes"),
        "users_limit": licenses.limit("users"),
    }
    return render(request, "notes/index.html", context)


@require_POST
def add(request: HttpRequest) -> HttpResponse:
    text = request.POST.get("text", "").strip()
    if not text:
        return HttpResponseBadRequest("write something first")
    Note.objects.create(text=text[:2000])
    return redirect("index")


@require_POST
def delete(request: HttpRequest, note_id: int) -> HttpResponse:
    get_object_or_404(Note, id=note_id).delete()
    return redirect("index")


@csrf_exempt  # an API for scripts: a real product authenticates it with a token, not a cookie
@require_http_methods(["GET", "HEAD", "POST"])
def api_notes(request: HttpRequest) -> HttpResponse:
    """``GET /api/notes`` lists the notes as JSON; ``POST`` (form or JSON ``{"text": ...}``) adds one."""
    if request.method == "POST":
        if request.content_type == "application/json":
            try:
                text = str(json.loads(request.body or b"{}").get("text", ""))
            except (ValueError, AttributeError):
                return JsonResponse({"error": "the body is not a JSON object"}, status=400)
        else:
            text = request.POST.get("text", "")
        if not text.strip():
            return JsonResponse({"error": "write something first"}, status=400)
        note = Note.objects.create(text=text.strip()[:2000])
        return JsonResponse({"id": note.id, "text": note.text}, status=201)
    return JsonResponse({"notes": [{"id": n.id, "text": n.text} for n in Note.objects.all()]})


def health(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok", "mode": get_manager().mode().value})
