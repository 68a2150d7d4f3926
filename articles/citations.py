"""Citations of articles, as pure functions of plain data (no database, no request)."""

import datetime
import re
import unicodedata
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


# CSL-JSON: the one description of a citation that every format is made from (the CSL styles,
# BibTeX, RIS, the CSL-JSON download and the page's metadata).

def _split_particle(family: str) -> tuple[str, str]:
    """Split a lower-case particle off a family name: 'van der Berg' -> ('van der', 'Berg').

    CSL 1.0.2 (appendix IV, "name particles") keeps 'van Gogh' as a non-dropping particle and a
    family name, so styles that demote particles (Chicago) can write 'Gogh, Vincent van'.
    """
    words = family.split()
    leading = 0
    while leading < len(words) - 1 and words[leading][:1].islower():
        leading += 1
    return " ".join(words[:leading]), " ".join(words[leading:])


def csl_name(name: Name) -> dict:
    """Return one author as a CSL-JSON name: family, given, particle and suffix, or a literal."""
    if name.literal:
        return {"literal": name.literal}
    particle, family = _split_particle(name.family)
    out = {"family": family}
    if name.given:
        out["given"] = name.given
    if particle:
        out["non-dropping-particle"] = particle
    if name.suffix:
        out["suffix"] = name.suffix
    return out


def csl_date(day: datetime.date) -> dict:
    """Return a CSL-JSON date: {'date-parts': [[2012, 10, 24]]}."""
    return {"date-parts": [[day.year, day.month, day.day]]}


_STOP_WORDS = {"a", "an", "the", "on", "in", "of", "and", "for", "to", "with"}


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def citation_key(*, names: list[Name], published: datetime.date | None, title: str) -> str:
    """Return a key for reference managers, as BibTeX users write them: 'rosenthal2012baclofen'."""
    first = names[0] if names else Name()
    who = _ascii_word(first.family or (first.literal.split() or [""])[0]) or "anonymous"
    words = [_ascii_word(w) for w in title.split()]
    word = next((w for w in words if w and w not in _STOP_WORDS), "")
    return f"{who}{published.year if published else 'nd'}{word}"


def csl_item(*, key: str, names: list[Name], title: str, container_title: str, publisher: str, url: str,
             published: datetime.date | None, accessed: datetime.date) -> dict:
    """Return an article as one CSL-JSON item of type post-weblog (no 'issued' when undated)."""
    item = {
        "id": key,
        "type": "post-weblog",
        "title": title,
        "author": [csl_name(n) for n in names],
        "container-title": container_title,
        "publisher": publisher,
    }
    if published is not None:
        item["issued"] = csl_date(published)
    item["accessed"] = csl_date(accessed)
    item["URL"] = url
    return item


def date_from_csl(value: dict | None) -> datetime.date | None:
    """Return the day of a CSL-JSON date, or None."""
    if not value:
        return None
    year, month, day = (list(value["date-parts"][0]) + [1, 1])[:3]
    return datetime.date(int(year), int(month), int(day))
