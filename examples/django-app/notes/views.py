"""Acme Notes itself knows nothing of licensing but ``allows()`` for a feature: the middleware
gates every request before it gets here."""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

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


def health(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok", "mode": get_manager().mode().value})
