"""Dosing advice in comments: the patterns are data (dosing_patterns.txt beside this file).

A comment that gives medication doses or instructions ("10-20 mg 3 times a day", "split a pill",
"stop taking it", "double the dose") is flagged `dosing` when it is posted or edited. The text is
folded as every matcher folds it (text.fold: case, accents, invisible characters, look-alike
letters), but digits stay digits: the crisis matcher's digit-for-letter swaps would read "10-20 mg"
as letters. Matches are found in the folded text and marked in the text as written.
"""

import functools
import re
from pathlib import Path

from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe

from .text import fold, fold_with_offsets

PATTERNS_FILE = Path(__file__).with_name("dosing_patterns.txt")

_NUMBER_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
_ONE_NUMBER = r"\d+(?:[.,/]\d+)?"  # 10, 2.5, 1/2 (and ½, which folds to 1/2)
_NUMBER = (rf"(?:{_ONE_NUMBER}(?:[^\S\n]*(?:-|to|or)[^\S\n]*{_ONE_NUMBER})?"
           rf"|{'|'.join(_NUMBER_WORDS)})")
# Spacing within a paragraph: a line break may stand between two words, a blank line may not.
_SPACE = r"(?:[^\S\n]|\n(?![^\S\n]*\n))+"
_AFTER_NUMBER = r"[^\S\n]*-?[^\S\n]*"  # "10mg", "10 mg", "10-mg"
_GAP = rf"(?:\S+{_SPACE}){{0,3}}"


def load_patterns(path: Path = PATTERNS_FILE) -> list[str]:
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _token(token: str) -> str:
    if token == "<number>":
        return _NUMBER
    if token == "...":
        return _GAP
    return "(?:" + "|".join(re.escape(fold(word)) for word in token.split("/")) + ")"


def _pattern_of(line: str) -> str:
    """Return one line of the patterns file as a regular expression over folded text."""
    tokens = line.split()
    parts = []
    for index, token in enumerate(tokens):
        if index:
            before = tokens[index - 1]
            parts.append("" if before == "..." else _AFTER_NUMBER if before == "<number>" else _SPACE)
        parts.append(_token(token))
    return "".join(parts)


def _whole_words(pattern: str) -> str:
    return r"(?<![\w.])(?:" + pattern + r")(?!\w)"


@functools.cache
def _pattern() -> re.Pattern:
    return re.compile(_whole_words("|".join(_pattern_of(line) for line in load_patterns())))


@functools.cache
def _each_pattern() -> list[re.Pattern]:
    return [re.compile(_whole_words(_pattern_of(line))) for line in load_patterns()]


def find(text: str) -> list[tuple[int, int]]:
    """Return the spans of dosing advice in the text as written, in order, overlapping ones joined.

    Each pattern is matched on its own, so "20 mg" and "mg twice daily" mark "20 mg twice daily".
    """
    folded, offsets = fold_with_offsets(text)
    found = sorted((offsets[match.start()], offsets[match.end() - 1] + 1)
                   for pattern in _each_pattern() for match in pattern.finditer(folded) if match.end() > match.start())
    spans: list[tuple[int, int]] = []
    for start, end in found:
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def gives_doses(text: str) -> bool:
    """Return True if the text gives medication doses or instructions."""
    return _pattern().search(fold(text)) is not None


def highlighted(text: str) -> SafeString:
    """Return the text as escaped paragraphs with the dosing advice in <mark> (for moderators)."""
    out, last = [], 0
    for start, end in find(text):
        out.append(escape(text[last:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    out.append(escape(text[last:]))
    return mark_safe(linebreaks("".join(out).strip(), autoescape=False))
