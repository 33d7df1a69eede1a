"""``manage.py serve [--demo] [--preset subscription] [--port 0] [--data DIR]``: migrates the
database and serves Acme Notes, printing the URL (``--port 0`` picks a free port)."""

from __future__ import annotations

import os
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.servers.basehttp import (
    ThreadedWSGIServer,
    WSGIRequestHandler,
    get_internal_wsgi_application,
)


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class Command(BaseCommand):
    help = "Serve Acme Notes (Django) with Keyturn licensing; --demo for the demo mode."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--demo", action="store_true", help="demo mode: own key, settable clock"
        )
        parser.add_argument("--preset", default="appliance", choices=["appliance", "subscription"])
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: object, **options: object) -> None:
        if options["demo"]:
            os.environ["ACME_NOTES_DEMO"] = "1"
            os.environ["ACME_NOTES_PRESET"] = str(options["preset"])
        from django.conf import settings

        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", verbosity=0, interactive=False)
        try:
            httpd = ThreadedWSGIServer((options["host"], options["port"]), QuietHandler)
        except OSError as e:
            raise CommandError(
                f"cannot listen on {options['host']}:{options['port']} ({e.strerror}); "
                "pick another port with --port, or --port 0 for a free one"
            ) from None
        httpd.daemon_threads = True
        httpd.set_app(get_internal_wsgi_application())
        host, port = httpd.server_address[:2]
        mode = f" (demo, {options['preset']} preset)" if options["demo"] else ""
        self.stdout.write(
            f"Acme Notes{mode} at http://{host}:{port}/  (data in {settings.DATA_DIR})"
        )
        sys.stdout.flush()
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            httpd.server_close()
