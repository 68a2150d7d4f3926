"""Crisis language in comments: the phrase list is data (crisis_phrases.txt beside this file).

Matching sees through the ways people (and filters' evaders) spell things: compatibility forms
(NFKC: fullwidth, ligatures), invisible characters (zero-width and other format characters,
combining strokes), letters of other scripts that look Latin (Unicode's confusables, through
confusable_homoglyphs; other letters through anyascii's transliteration), letters spaced or dotted
apart ("k i l l", "k.i.l.l"), and the usual digit-for-letter swaps ("kil1", "$u1c1d3").
A phrase still matches only as whole words: "skills myself" is not "kill myself".
"""

import functools
import re
from pathlib import Path

from .text import fold

PHRASES_FILE = Path(__file__).with_name("crisis_phrases.txt")

# The swaps used to dodge word filters: each letter also matches these characters.
_SWAPS = {"a": "4@", "e": "3", "i": "1", "l": "1", "o": "0", "s": "5$", "t": "7"}
# What may stand between the letters of a phrase: spaces, dots, dashes and the like (or nothing).
_GAP = r"""[\s.\-_*~'"`/\\|+]*"""
# Text that holds a phrase without meaning it ("10 kms" is a distance); "#" stands for a number.
_BENIGN_MARK = "!"
_NUMBER = r"\d+(?:[.,]\d+)?"


def _lines(path: Path) -> list[str]:
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def load_phrases(path: Path = PHRASES_FILE) -> list[str]:
    return [line for line in _lines(path) if not line.startswith(_BENIGN_MARK)]


def load_benign(path: Path = PHRASES_FILE) -> list[str]:
    return [line[1:].strip() for line in _lines(path) if line.startswith(_BENIGN_MARK)]


def _letter(char: str) -> str:
    swaps = _SWAPS.get(char, "")
    return f"[{re.escape(char + swaps)}]" if swaps else re.escape(char)


def _phrase_pattern(phrase: str) -> str:
    """Return a phrase as a pattern of its letters, each maybe swapped, with anything spacing them apart."""
    letters = [c for c in fold(phrase) if c.isalnum()]
    return _GAP.join(_letter(c) for c in letters)


@functools.cache
def _pattern() -> re.Pattern:
    alternatives = sorted((_phrase_pattern(p) for p in load_phrases()), key=len, reverse=True)
    # Whole words only: "suicide" matches, "suicidesquad" and "anti-suicide" do not.
    return re.compile(r"(?<!\w)(?<!\w-)(?:" + "|".join(alternatives) + r")(?!-?\w)")


@functools.cache
def _benign_pattern() -> re.Pattern | None:
    alternatives = [
        r"\s*".join(_NUMBER if word == "#" else re.escape(word) for word in fold(phrase).split())
        for phrase in load_benign()
    ]
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)") if alternatives else None


def find(text: str) -> str | None:
    """Return the first crisis phrase in the text (as text.fold spells it), or None."""
    normalized = fold(text)
    benign = _benign_pattern()
    spared = [m.span() for m in benign.finditer(normalized)] if benign else []
    for match in _pattern().finditer(normalized):
        if not any(start <= match.start() and match.end() <= end for start, end in spared):
            return match.group(0)
    return None


def is_crisis(text: str) -> bool:
    """Return True if the text uses crisis language."""
    return find(text) is not None
