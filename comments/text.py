"""What readers type, made safe to compare and to put in one line of a page or a mail."""

import functools
import re
import unicodedata

from anyascii import anyascii
from confusable_homoglyphs import confusables

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


@functools.lru_cache(maxsize=4096)
def _ascii(char: str) -> str:
    """Return the Latin letter a character looks like (Unicode confusables), else its transliteration."""
    found = confusables.is_confusable(char, greedy=True)
    for glyph in found[0]["homoglyphs"] if found else ():
        if glyph["c"].isascii() and glyph["c"].isalpha():
            return glyph["c"]
    return anyascii(char)


def _fold_char(char: str) -> str:
    if char.isascii():
        return char.casefold()
    out = []
    for part in unicodedata.normalize("NFKC", char):  # compatibility forms: fullwidth, ligatures
        if part.isascii():
            out.append(part)
        elif unicodedata.category(part) not in ("Cf", "Mn", "Me"):  # zero-width, joiners, combining marks
            out.append(_ascii(part))
    return "".join(out).casefold()


def fold(text: str) -> str:
    """Return the text as the matchers see it: ASCII, lower case, no accents or invisible characters.

    Letters of other scripts that look Latin become the Latin letter (Unicode's confusables), other
    letters their transliteration (anyascii). The crisis list, the blocklist and the hold list and
    the dosing patterns all match on this form.
    """
    return "".join(_fold_char(char) for char in text)


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Return fold(text) and, for each of its characters, the index in `text` of the character it came from.

    With them a match in the folded text marks the words as the reader wrote them.
    """
    folded, offsets = [], []
    for index, char in enumerate(text):
        part = _fold_char(char)
        folded.append(part)
        offsets.extend([index] * len(part))
    return "".join(folded), offsets
