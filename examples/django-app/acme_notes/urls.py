from django.conf import settings
from django.urls import path, re_path
from django.views.static import serve

from notes import views as notes
from . import demo

urlpatterns = [
    path("", notes.index, name="index"),
    path("notes", notes.add, name="add"),
    path("notes/<int:note_id>/delete", notes.delete, name="delete"),
    path("api/notes", notes.api_notes),
    path("health", notes.health),
    path("demo", demo.panel),
    path("demo/", demo.panel),
    path("demo/clock", demo.clock),
    path("demo/license", demo.license_file),
    # An example serves its own CSS; a product leaves /static/ to its web server. Either way the
    # license gate never touches it (STATIC_URL is never gated), so a locked page keeps its style.
    re_path(
        r"^static/(?P<path>.*)$", serve, {"document_root": settings.BASE_DIR / "notes" / "static"}
    ),
]
