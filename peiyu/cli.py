"""The `peiyu` console command: Django's management commands plus the project's own."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peiyu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["peiyu", *(sys.argv[1:] if argv is None else argv)])
