"""The ``section307`` command: Django's management entry point plus the project's commands.

``section307 migrate``, ``section307 runserver``, ``section307 refdata load ...``,
``section307 orders export ...``, ``section307 demo`` and ``section307 screen ...``
all go through here.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "section307.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["section307", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
