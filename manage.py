#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthsite.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    # Load the settings now, so that their own error (a missing DJANGO_SECRET_KEY, say) is what a
    # command reports, not the "Models aren't loaded yet" Django would print after swallowing it.
    settings.INSTALLED_APPS  # noqa: B018

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
