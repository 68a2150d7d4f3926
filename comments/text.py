"""What readers type, made safe to compare and to put in one line of a page or a mail."""

import re
import unicodedata

# Line breaks of every kind (CR, LF, VT, FF, NEL, U+2028, U+2029), other control characters, and the
# bidirectional overrides and isolates that show text reversed: none belongs in a name or a subject.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SPACES = re.compile(r"\s+")


def _breaks_a_line(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in _BIDI_CONTROLS


def single_line(text: str) -> str:
    """Return the text on one line: control characters and line breaks as spaces, runs of spaces as one."""
    return _SPACES.sub(" ", "".join(" " if _breaks_a_line(c) else c for c in text)).strip()


def quoted(text: str) -> str:
    """Return the text as a mail quotes it, every line after "> ", so none can pass for a header."""
    return "\n".join(f"> {line}".rstrip() for line in text.splitlines())


def fingerprint(text: str) -> str:
    """Return what two comments share when they say the same: no case, invisible characters or spacing."""
    visible = "".join(c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c) != "Cf")
    return _SPACES.sub(" ", visible.casefold()).strip()
