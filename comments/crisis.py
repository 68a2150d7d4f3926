"""Crisis language in comments: the phrase list is data (crisis_phrases.txt beside this file)."""

import functools
import re
from pathlib import Path

PHRASES_FILE = Path(__file__).with_name("crisis_phrases.txt")


def load_phrases(path: Path = PHRASES_FILE) -> list[str]:
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


@functools.cache
def _pattern() -> re.Pattern:
    alternatives = sorted(
        (r"[\s-]+".join(re.escape(word) for word in re.split(r"[\s-]+", phrase.casefold()))
         for phrase in load_phrases()),
        key=len, reverse=True,
    )
    # Whole words only: "suicide" matches, "suicidesquad" does not.
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def _normalize(text: str) -> str:
    return text.casefold().replace("\u2019", "'").replace("\u2018", "'")


def find(text: str) -> str | None:
    """Return the first crisis phrase in the text, or None."""
    match = _pattern().search(_normalize(text))
    return match.group(0) if match else None


def is_crisis(text: str) -> bool:
    """Return True if the text uses crisis language."""
    return find(text) is not None
