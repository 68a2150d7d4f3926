"""Database ids in addresses and forms: digits that fit a 64-bit integer, so no query overflows.

The one rule for an id from untrusted text, used by the `<pk:...>` path converter and by every
form or query value that names a row.
"""

import re

PATTERN = r"[0-9]{1,18}"
_WHOLE = re.compile(rf"{PATTERN}\Z")


def parse(value) -> int | None:
    """Return an id from untrusted text, or None if it cannot be one."""
    value = str(value if value is not None else "").strip()
    return int(value) if value.isascii() and _WHOLE.match(value) else None


class Converter:
    """The `<pk:...>` path converter: an id as `parse` accepts it."""

    regex = PATTERN
    to_python = int

    def to_url(self, value):
        return str(value)
