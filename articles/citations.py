"""Citations of articles, as pure functions of plain data (no database, no request)."""

import datetime
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Name:
    """A cited author: a person (family and given names) or an organization (literal)."""

    family: str = ""
    given: str = ""
    literal: str = ""
    suffix: str = ""


_INITIAL_PART = re.compile(r"[\s]+")


def _initials(given: str) -> str:
    """Return APA initials: 'John Adam' -> 'J. A.', 'Jean-Paul' -> 'J.-P.' (APA 7, section 9.8)."""
    words = [w for w in _INITIAL_PART.split(given.strip()) if w]
    out = []
    for word in words:
        parts = [p for p in word.split("-") if p]
        out.append("-".join(p.strip(".")[0] + "." for p in parts if p.strip(".")))
    return " ".join(out)


def apa_name(name: Name) -> str:
    """Return one author as APA 7 writes it: 'Rosenthal, M.', 'van Gogh, V.', 'Smith, J., Jr.'."""
    if name.literal:
        return name.literal
    text = name.family
    initials = _initials(name.given)
    if initials:
        text = f"{text}, {initials}"
    if name.suffix:
        text = f"{text}, {name.suffix}"
    return text


def apa_authors(names: list[Name]) -> str:
    """Join authors as APA 7 does: '&' before the last of up to 20; past 20, 19 then '. . .' and the last."""
    formatted = [apa_name(n) for n in names]
    if not formatted:
        return ""
    if len(formatted) == 1:
        return formatted[0]
    if len(formatted) == 2:
        return f"{formatted[0]}, & {formatted[1]}"
    if len(formatted) <= 20:
        return ", ".join(formatted[:-1]) + ", & " + formatted[-1]
    return ", ".join(formatted[:19]) + ", . . . " + formatted[-1]


def _with_period(text: str) -> str:
    return text if text.endswith(".") else text + "."


def apa_date(published: datetime.date | None) -> str:
    """Return the APA date element: '(2012, October 24)', or '(n.d.)' when undated."""
    if published is None:
        return "(n.d.)"
    return f"({published.year}, {published:%B} {published.day})"


def house_apa(*, names: list[Name], published: datetime.date | None, title: str, site_name: str,
              url: str, retrieved: datetime.date) -> str:
    """Return the house APA Reference shown under every article.

    'Rosenthal, M. (2012, October 24). Baclofen in PTSD Treatment, HealthyPlace.
    Retrieved on 2026, November 23 from https://...'
    """
    authors = apa_authors(names)
    lead = f"{_with_period(authors)} {apa_date(published)}" if authors else apa_date(published)
    return (
        f"{lead}. {title}, {site_name}. "
        f"Retrieved on {retrieved.year}, {retrieved:%B} {retrieved.day} from {url}"
    )
