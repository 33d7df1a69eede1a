#!/usr/bin/env python3
"""The anchor's Django entry point: python3 manage.py send_renewal_notices --today YYYY-MM-DD."""
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anchor_project.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
