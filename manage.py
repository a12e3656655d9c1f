#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apps.settings")
    from apps.core.embedded import serve_environment

    # `serve` runs with DEBUG off unless asked for --dev; settings are read after this.
    serve_environment(sys.argv, os.environ)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
