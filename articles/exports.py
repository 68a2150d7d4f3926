"""Citation downloads made from an article's CSL-JSON item: BibTeX, RIS and CSL-JSON itself."""

import json
import re
from dataclasses import dataclass
from typing import Callable

from .citations import date_from_csl, family_with_particle, plain_text

# --- BibTeX ---------------------------------------------------------------------------------

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
    "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    # Not markup, but printed as other glyphs by LaTeX's default (OT1) font encoding; written as
    # BibTeX "special characters", whose command no change of case touches.
    "<": r"{\textless}", ">": r"{\textgreater}",
}
_LATEX_SPECIAL = re.compile("|".join(re.escape(c) for c in _LATEX_SPECIALS))
# A word as BibTeX styles see it when they change a title's case (letters and what joins them).
_WORD = re.compile(r"\w(?:[\w&'’.-]*\w)?")
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def _escape(text: str) -> str:
    return _LATEX_SPECIAL.sub(lambda m: _LATEX_SPECIALS[m.group()], text)


def _latex(text: str) -> str:
    """Escape the characters BibTeX and LaTeX treat as markup; the file itself is UTF-8."""
    return _escape(" ".join(text.split()))


def bibtex_title(title: str) -> str:
    """Return a title for BibTeX with every word that has a capital letter in braces.

    Styles that sentence-case titles (change.case$ "t") lower-case every letter outside braces
    but the first, so 'PTSD', 'Q&A', 'Zoloft' and 'Walter Reed' would lose their capitals; the
    title is plain text as its author wrote it, so every such word keeps its case:
    'Q&A on PTSD at Walter Reed' -> '{Q\\&A} on {PTSD} at {Walter} {Reed}'.
    """
    out, at = [], 0
    title = " ".join(title.split())
    for word in _WORD.finditer(title):
        out.append(_escape(title[at:word.start()]))
        text = _escape(word.group())
        out.append("{" + text + "}" if any(char.isupper() for char in word.group()) else text)
        at = word.end()
    out.append(_escape(title[at:]))
    return "".join(out)


def bibtex_name(name: dict) -> str:
    """Return a CSL-JSON name in BibTeX's 'von Last, Jr, First' form; an organization in braces.

    A dropping particle ends the given names ('Beethoven, Ludwig van'), where BibTeX styles
    print it before the family name and sort under the family name.
    """
    name = {key: plain_text(value) if isinstance(value, str) else value for key, value in name.items()}
    if "literal" in name:
        return "{" + _latex(name["literal"]) + "}"
    parts = [_latex(family_with_particle(name))]
    if name.get("suffix"):
        parts.append(_latex(name["suffix"]))
    given = " ".join(p for p in (name.get("given"), name.get("dropping-particle")) if p)
    if given:
        parts.append(_latex(given))
    elif name.get("suffix"):
        parts.append("")
    return ", ".join(parts)


def bibtex(item: dict) -> str:
    """Return the item as one BibTeX @misc entry with biblatex's date, url and urldate."""
    issued, accessed = date_from_csl(item.get("issued")), date_from_csl(item.get("accessed"))
    fields = [
        ("author", " and ".join(bibtex_name(n) for n in item.get("author", []))),
        ("title", bibtex_title(plain_text(item["title"]))),
        ("howpublished", _latex(plain_text(item.get("container-title", "")))),
        ("organization", _latex(plain_text(item.get("publisher", "")))),
    ]
    if issued:
        fields += [("year", str(issued.year)), ("month", _MONTHS[issued.month - 1]), ("date", issued.isoformat())]
    fields += [("url", item["URL"])]
    if accessed:
        fields += [("urldate", accessed.isoformat())]
    lines = [f"@misc{{{item['id']},"]
    for key, value in fields:
        if value:
            # A month is a BibTeX macro (oct), written bare so that styles print their own name.
            lines.append(f"  {key} = {value}," if key == "month" else f"  {key} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


# --- RIS ------------------------------------------------------------------------------------

def ris_name(name: dict) -> str:
    """Return a CSL-JSON name as RIS wants it: 'Last, First, Suffix', or an organization whole.

    "d'Alembert, Jean"; 'Beethoven, Ludwig van'; 'King, Martin Luther, Jr.'.
    """
    name = {key: plain_text(value) if isinstance(value, str) else value for key, value in name.items()}
    if "literal" in name:
        return name["literal"]
    given = " ".join(p for p in (name.get("given"), name.get("dropping-particle")) if p)
    return ", ".join(p for p in (family_with_particle(name), given, name.get("suffix")) if p)


def ris(item: dict) -> str:
    """Return the item as an RIS record of type BLOG (lines end with CR LF, as RIS asks)."""
    issued, accessed = date_from_csl(item.get("issued")), date_from_csl(item.get("accessed"))
    tags = [("TY", "BLOG")]
    tags += [("AU", ris_name(n)) for n in item.get("author", [])]
    tags += [("TI", plain_text(item["title"])), ("T2", plain_text(item.get("container-title", ""))),
             ("PB", plain_text(item.get("publisher", "")))]
    if issued:
        tags += [("PY", str(issued.year)), ("DA", f"{issued:%Y/%m/%d}")]
    tags += [("UR", item["URL"])]
    if accessed:
        tags += [("Y2", f"{accessed:%Y/%m/%d}")]
    tags += [("ID", item["id"]), ("ER", "")]
    return "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in tags if value or tag == "ER")


# --- CSL-JSON -------------------------------------------------------------------------------

def csl_json(item: dict) -> str:
    """Return the item as a CSL-JSON document: an array of one item."""
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class Format:
    extension: str
    label: str
    content_type: str
    render: Callable[[dict], str]


FORMATS = {
    f.extension: f
    for f in (
        Format("bib", "BibTeX", "application/x-bibtex; charset=utf-8", bibtex),
        Format("ris", "RIS", "application/x-research-info-systems; charset=utf-8", ris),
        Format("json", "CSL-JSON", "application/vnd.citationstyles.csl+json; charset=utf-8", csl_json),
    )
}
