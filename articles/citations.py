"""Citations of articles, as pure functions of plain data (no database, no request).

Names follow citeproc-js, the CSL processor Zotero uses, so that the house APA Reference, the
CSL-JSON item and the rendered styles agree: particles are split off as citeproc-js splits them,
given names are initialized as it initializes them, and a name in a script without Latin-like
letters (Chinese, Japanese, Korean) is written family name first, unsplit: 李小龙.
"""

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


# --- Rich text ------------------------------------------------------------------------------
# CSL-JSON strings are read by citeproc-js as rich text: <i>, <b>, <sc>, <sup>, <sub> and a few
# <span> tags are markup there (citeproc-js manual, "HTML-like formatting tags"). Our titles and
# names are plain text, as the admin takes them, so a tag that is part of the text is written in
# CSL-JSON with its "<" (and, for the plain tags, the rest of it) in a nocase span: citeproc-js
# then prints it as it stands, and no case transform touches it. The format has no escape of
# its own.

_MARKUP_TAG = re.compile(r"<(/?(?:i|b|sc|sup|sub)>|/span>|span\b[^<>]*>)")
_NOCASE = '<span class="nocase">'
_NOCASE_LT = f"{_NOCASE}<</span>"
_PROTECTED_TAG = re.compile(re.escape(_NOCASE_LT) + r'(?:<span class="nocase">([^<>"]*>)</span>)?')


def rich_text(text: str) -> str:
    """Return plain text as CSL-JSON rich text: tags that citeproc-js would read stay literal.

    'Reading <i>Moby Dick</i>' -> 'Reading <span class="nocase"><</span><span class="nocase">i></span>Moby Dick…'
    """

    def protect(match: re.Match) -> str:
        rest = match.group(1)
        return _NOCASE_LT + (rest if '"' in rest else f"{_NOCASE}{rest}</span>")

    return _MARKUP_TAG.sub(protect, text)


def plain_text(text: str) -> str:
    """Return the plain text of CSL-JSON rich text made by ``rich_text``."""
    return _PROTECTED_TAG.sub(lambda m: "<" + (m.group(1) or ""), text)


# --- Names as citeproc-js reads them ---------------------------------------------------------
# The character classes below are citeproc-js's own (CSL.ROMANESQUE_REGEXP and its kin in
# citeproc-js 2.4, src/load.js): "romanesque" scripts are Latin, Greek, Cyrillic, Hebrew, Arabic
# and Thai; a family name without any such letter (Han, kana, Hangul) is written whole.

_ROMANESQUE_CHARS = (
    r"a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u05d4\u05d6-\u05ff"
    r"\u1f00-\u1fff\u0600-\u06ff\u200c\u200d\u200e\u0218\u0219\u021a\u021b\u202a-\u202e"
)
ROMANESQUE = re.compile(rf"[-0-9{_ROMANESQUE_CHARS}]")
_STARTS_ROMANESQUE = re.compile(rf"^[&{_ROMANESQUE_CHARS}]")
_NAME_INITIAL = re.compile(
    r"^([A-Z\u0e01-\u0e5b\u00c0-\u017f\u0400-\u042f\u0590-\u05d4\u05d6-\u05ff\u0600-\u06ff\u0370\u0372\u0376"
    r"\u0386\u0388-\u03ab\u03e2\u03e4\u03e6\u03e8\u03ea\u03ec\u03ee\u03f4\u03f7\u03fd-\u03ff])"
    r"([a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0400-\u052f\u0600-\u06ff\u0370-\u03ff\u1f00-\u1fff]*|)(\.)*"
)
_PARTICLE_GIVEN = re.compile(r"^([^ ]+(?:\u02bb |\u2019 | |' ) *)(.+)$")
_PARTICLE_FAMILY = re.compile(r"^([^ ]+(?:-|\u02bb|\u2019| |') *)(.+)$")
# A particle ending in one of these is written against the family name: d'Alembert, al-Ghazali.
_JOINING = ("\u2019", "'", "-", " ")


def romanesque(family: str, given: str = "") -> int:
    """Return 0 for a name in a script written family-first and whole, 1 for mixed, 2 otherwise."""
    if ROMANESQUE.search(family.replace('"', "")):
        return 2
    return 1 if given and _STARTS_ROMANESQUE.match(given) else 0


def _split_particles(value: str, *, trailing: bool) -> tuple[str, list[str]]:
    """Split lower-case particles off the start of a family name (or the end of given names)."""
    original = value
    rex = _PARTICLE_GIVEN if trailing else _PARTICLE_FAMILY
    if trailing:
        value = value[::-1]
    particles = []
    match = rex.match(value)
    while match:
        found = match.group(1)[::-1] if trailing else match.group(1)
        first = re.sub(r"^[-'\u02bb\u2019\s]*(.).*$", r"\1", found)
        if first.upper() == first:
            break
        if trailing:
            particles.append(original[-len(found):])
            original = original[:-len(found)]
        else:
            particles.append(original[:len(found)])
            original = original[len(found):]
        value = match.group(2)
        match = rex.match(value)
    if trailing:
        particles.reverse()
        for i in range(1, len(particles)):
            if particles[i].startswith(" "):
                particles[i - 1] += " "
        particles = [p[1:] if p.startswith(" ") else p for p in particles]
        return original[:len(value)], particles
    return (original[-len(value):] if value else original), particles


def parse_name(name: dict) -> dict:
    """Return a CSL-JSON name with its particles and suffix split off, as citeproc-js splits them.

    citeproc-js (CSL.parseParticles) reads lower-case words leading the family name as the
    non-dropping particle ('van der Berg', "d'Alembert", 'al-Ghazali'), lower-case words ending
    the given names as the dropping particle ('Ludwig van'), and a suffix after a comma in the
    given names ('Martin Luther, Jr.'). It does so only when no particle is given and the name
    has both parts, as here.
    """
    name = dict(name)
    if name.get("non-dropping-particle") or not name.get("family") or not name.get("given"):
        return name
    family, particles = _split_particles(name["family"], trailing=False)
    name["family"] = family
    last = "".join(particles)[-1:]
    particle = "".join(particles).strip()
    if last == " " and particle[-1:] in ("'", "\u2019"):
        particle += " "
    if particle:
        name["non-dropping-particle"] = particle
    if not name.get("suffix"):
        comma = re.search(r"(\s*,!*\s*)", name["given"])
        if comma:
            at = name["given"].index(comma.group(1))
            suffix = name["given"][at + len(comma.group(1)):]
            if suffix.replace(".", "") == "et al" and not name.get("dropping-particle"):
                name["dropping-particle"] = suffix
            else:
                if len(re.sub(r"\s", "", comma.group(1))) == 2:
                    name["comma-suffix"] = True
                name["suffix"] = suffix
            name["given"] = name["given"][:at]
    given, particles = _split_particles(name["given"], trailing=True)
    name["given"] = given
    if "".join(particles).strip():
        name["dropping-particle"] = "".join(particles).strip()
    return {key: value for key, value in name.items() if value != ""}


def _tidy(text: str) -> str:
    text = re.sub(r"[\t\n\v\f\r \ufeff\u00a0]+$", "", text)
    return re.sub(r"[\t\n\v\f\r ]+", " ", re.sub(r"\s*-\s*", "-", text))


def initialize(given: str, terminator: str, *, normalize_only: bool = False, hyphen: bool = True) -> str:
    """Return given names initialized as citeproc-js does (CSL.Util.Names.initializeWith).

    'John Adam' -> 'J. A.'; 'Jean-Paul' -> 'J.-P.'; 'J.R.R.' -> 'J. R. R.'. With
    ``normalize_only`` (initialize="false"), names stay whole and only initials already there are
    written with the terminator: 'J.R.R.' -> 'J. R. R.', 'James T' -> 'James T.'.
    """
    if not given:
        return ""
    if given in ("Lord", "Lady") or (not _STARTS_ROMANESQUE.match(given) and "%s" not in terminator):
        return given
    name = given if hyphen else given.replace("-", " ")
    name = re.sub(r"\s+", " ", re.sub(r"\s*-\s*", "-", name))
    name = re.sub(r"-([a-z])", "\u2013\\1", name)
    for i in range(len(name) - 2, -1, -1):
        if name[i] == "." and name[i + 1] != " ":
            name = name[:i] + ". " + name[i + 1:]
    strings = re.split(r"[-\s]+", name)
    separators = re.findall(r"[-\s]+", name)
    if not separators:
        last = re.search(r"[^.]+$", strings[0])
        if last and len(last.group()) == 1 and last.group() != last.group().lower():
            strings[0] += "."
    parts = [strings[0]]
    for separator, string in zip(separators, strings[1:]):
        parts += [separator, string]
    text = _normalize(parts, terminator) if normalize_only else _initialize(parts, terminator)
    return re.sub("\u2013([a-z])", r"-\1", text)


def _normalize(parts: list[str], terminator: str) -> str:
    abbreviated = []
    for i, part in enumerate(parts):
        if len(part) > 1 and part.endswith("."):
            parts[i] = re.sub(r"^(.*)\.(.*)$", r"\1\2", part)
            abbreviated.append(True)
        else:
            abbreviated.append(len(part) == 1 and part.upper() == part)
    for i in range(0, len(parts), 2):
        if not abbreviated[i]:
            continue
        if i < len(parts) - 2:
            if not abbreviated[i + 2]:
                parts[i + 1] += " "
            if len(parts[i + 2]) > 1:
                parts[i + 1] = re.sub("\ufeff$", "", terminator) + parts[i + 1]
            else:
                parts[i + 1] = terminator
        if i == len(parts) - 1:
            parts[i] += terminator
    return _tidy("".join(parts))


def _initialize(parts: list[str], terminator: str) -> str:
    count = len(parts)
    for i in range(0, count, 2):
        part = parts[i]
        if not part:
            continue
        match = _NAME_INITIAL.match(part)
        groups = [match.group(1), match.group(2), match.group(3)] if match else None
        if not match and not _STARTS_ROMANESQUE.match(part) and len(part) > 1 and "%s" in terminator:
            groups = [part[0], part[1:], None]
        if groups and groups[1] and groups[2]:
            groups = [groups[0] + groups[1], "", groups[2]]
        if groups and groups[0][0] == groups[0][0].upper():
            upper = ""
            for char in groups[1]:
                if char != char.upper():
                    break
                upper += char
            parts[i] = groups[0] + (upper.lower() if len(upper) < len(groups[1]) else "")
            if "%s" in terminator:
                parts[i] = terminator.replace("%s", parts[i], 1)
            elif i < count - 1:
                parts[i + 1] = terminator + "-" if "-" in parts[i + 1] else terminator
            else:
                parts.append(terminator)
        elif ROMANESQUE.search(part) and not (groups and groups[2]):
            parts[i] = " " + part
    return _tidy("".join(parts))


def _join(pieces, delimiter: str) -> str:
    return delimiter.join(p for p in pieces if p)


def family_with_particle(name: dict) -> str:
    """Return the family name with its non-dropping particle: 'van Gogh', "d'Alembert"."""
    particle = name.get("non-dropping-particle", "")
    return _join([particle, name.get("family", "")], "" if particle.endswith(_JOINING) else " ")


def person_name(name: dict, *, inverted: bool, demote_particle: bool = False, short: bool = False,
                initialize_with: str | None = None, initialize_given: bool = True, sort_separator: str = ", ",
                hyphen: bool = True) -> str:
    """Return a CSL-JSON person name as citeproc-js writes it (CSL.NameOutput._renderOnePersonalName).

    ``inverted``: family name first ('Gogh, Vincent van' when ``demote_particle``, else
    'van Gogh, Vincent'); ``initialize_with``: the style's terminator ('. ') when initials are
    wanted, with ``initialize_given`` False for initialize="false".
    """
    name = parse_name(name)
    family, given = name.get("family", ""), name.get("given", "")
    dropping, particle = name.get("dropping-particle", ""), name.get("non-dropping-particle", "")
    suffix = name.get("suffix", "")
    if short:
        given = dropping = suffix = ""
    elif initialize_with is not None and family:
        given = initialize(given, initialize_with, normalize_only=not initialize_given, hyphen=hyphen)
    if suffix and initialize_with is not None:
        suffix = initialize(suffix, initialize_with, normalize_only=True, hyphen=hyphen)
    script = romanesque(family, given)
    if script == 0:
        return _join([particle, family, given], "")
    if script == 1:
        return _join([_join([particle, family], " "), given], " ")
    if inverted:
        separator = ", " if given in ("Lord", "Lady") else sort_separator
        if demote_particle:
            first, second = family, _join([_join([given, dropping], " "), particle], " ")
        else:
            first = _join([particle, family], "" if particle.endswith(_JOINING) else " ")
            second = _join([given, dropping], " ")
        return _join([_join([first, second], separator), suffix], separator)
    if dropping and family and not particle and dropping.endswith(("'", "\u02bc", "\u2019", "-")) \
            and dropping[:-1] != "de":
        family, dropping = dropping + family, ""
    if particle.endswith(_JOINING):
        second = _join([dropping, particle + family], " ")
    else:
        second = _join([dropping, particle, family], " ")
    second = _join([second, suffix], ", " if name.get("comma-suffix") else " ")
    return _join([given, second], " ")


# --- The house APA Reference -----------------------------------------------------------------

def apa_name(name: Name) -> str:
    """Return one author as APA 7 writes it: 'Rosenthal, M.', 'van Gogh, V.', 'Smith, J., Jr.', '李小龙'.

    The APA 7 style file's rules, as citeproc-js applies them: family name first, an initial for
    every given name, the particle kept in front (demote-non-dropping-particle="never").
    """
    if name.literal:
        return name.literal
    return person_name(csl_name(name, rich=False), inverted=True, initialize_with=". ")


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


# --- CSL-JSON: the one description of a citation that every format is made from (the CSL
# styles, BibTeX, RIS, the CSL-JSON download and the page's metadata). ----------------------

def csl_name(name: Name, *, rich: bool = True) -> dict:
    """Return one author as a CSL-JSON name: family, given, particles and suffix, or a literal.

    Particles are split off as citeproc-js would split them itself ("d'Alembert" ->
    non-dropping-particle "d'", family "Alembert"), so every reader of the item sees the same
    parts. A Chinese, Japanese or Korean name keeps family and given names apart; processors
    write it whole.
    """
    text = rich_text if rich else (lambda value: value)
    if name.literal:
        return {"literal": text(name.literal)}
    parsed = parse_name({"family": name.family, "given": name.given, "suffix": name.suffix})
    out = {"family": text(parsed["family"])}
    if parsed.get("given"):
        out["given"] = text(parsed["given"])
    for part in ("dropping-particle", "non-dropping-particle", "suffix"):
        if parsed.get(part):
            out[part] = text(parsed[part])
    if parsed.get("comma-suffix"):
        out["comma-suffix"] = True
    return out


def csl_date(day: datetime.date) -> dict:
    """Return a CSL-JSON date: {'date-parts': [[2012, 10, 24]]}."""
    return {"date-parts": [[day.year, day.month, day.day]]}


_STOP_WORDS = {"a", "an", "the", "on", "in", "of", "and", "for", "to", "with"}


def _key_word(text: str) -> str:
    """Return the letters and digits of a word, lower-case, accents dropped: 'Ólafur' -> 'olafur', '李' -> '李'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    letters = "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))
    return unicodedata.normalize("NFC", letters)  # Hangul syllables come back together


def citation_key(*, names: list[Name], published: datetime.date | None, title: str) -> str:
    """Return a key for reference managers, as BibTeX users write them: 'rosenthal2012baclofen'.

    Letters of every script are kept (biber and biblatex read UTF-8 keys): '李2021…'.
    """
    first = names[0] if names else Name()
    who = _key_word(first.family or (first.literal.split() or [""])[0]) or "anonymous"
    words = [_key_word(w) for w in title.split()]
    word = next((w for w in words if w and w not in _STOP_WORDS), "")
    return f"{who}{published.year if published else 'nd'}{word}"


def csl_item(*, key: str, names: list[Name], title: str, container_title: str, publisher: str, url: str,
             published: datetime.date | None, accessed: datetime.date) -> dict:
    """Return an article as one CSL-JSON item of type post-weblog (no 'issued' when undated).

    Titles and names are plain text, written as CSL-JSON rich text (``rich_text``).
    """
    item = {
        "id": key,
        "type": "post-weblog",
        "title": rich_text(title),
        "author": [csl_name(n) for n in names],
        "container-title": rich_text(container_title),
        "publisher": rich_text(publisher),
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
