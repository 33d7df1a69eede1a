#!/usr/bin/python3
"""Acme Notes (Django): ``/usr/bin/python3 manage.py serve --demo`` runs the demo."""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Inside the Keyturn repository the SDK is used from its sources: nothing to build or install.
SDK = HERE.parent.parent / "sdk" / "python" / "src"
if SDK.is_dir():
    sys.path.insert(0, str(SDK))
sys.path.insert(0, str(HERE))

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acme_notes.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
