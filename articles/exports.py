"""Citation downloads made from an article's CSL-JSON item: BibTeX, RIS and CSL-JSON itself."""

import json
import re
from dataclasses import dataclass
from typing import Callable

from .citations import date_from_csl

# --- BibTeX ---------------------------------------------------------------------------------

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
    "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_LATEX_SPECIAL = re.compile("|".join(re.escape(c) for c in _LATEX_SPECIALS))
# A word with two capitals or more (PTSD, McLean) keeps its case when a style lower-cases titles.
_ACRONYM = re.compile(r"(?<![\w{])(\w*[A-Z]\w*[A-Z]\w*)")
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def _latex(text: str) -> str:
    """Escape the characters BibTeX and LaTeX treat as markup; the file itself is UTF-8."""
    return _LATEX_SPECIAL.sub(lambda m: _LATEX_SPECIALS[m.group()], " ".join(text.split()))


def bibtex_name(name: dict) -> str:
    """Return a CSL-JSON name in BibTeX's 'von Last, Jr, First' form; an organization in braces."""
    if "literal" in name:
        return "{" + _latex(name["literal"]) + "}"
    last = " ".join(p for p in (name.get("non-dropping-particle"), name["family"]) if p)
    parts = [_latex(last)]
    if name.get("suffix"):
        parts.append(_latex(name["suffix"]))
    if name.get("given"):
        parts.append(_latex(name["given"]))
    elif name.get("suffix"):
        parts.append("")
    return ", ".join(parts)


def bibtex(item: dict) -> str:
    """Return the item as one BibTeX @misc entry with biblatex's date, url and urldate."""
    issued, accessed = date_from_csl(item.get("issued")), date_from_csl(item.get("accessed"))
    fields = [
        ("author", " and ".join(bibtex_name(n) for n in item.get("author", []))),
        ("title", _ACRONYM.sub(r"{\1}", _latex(item["title"]))),
        ("howpublished", _latex(item.get("container-title", ""))),
        ("organization", _latex(item.get("publisher", ""))),
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
    """Return a CSL-JSON name as RIS wants it: 'Last, First, Suffix', or an organization whole."""
    if "literal" in name:
        return name["literal"]
    last = " ".join(p for p in (name.get("non-dropping-particle"), name["family"]) if p)
    return ", ".join(p for p in (last, name.get("given"), name.get("suffix")) if p)


def ris(item: dict) -> str:
    """Return the item as an RIS record of type BLOG (lines end with CR LF, as RIS asks)."""
    issued, accessed = date_from_csl(item.get("issued")), date_from_csl(item.get("accessed"))
    tags = [("TY", "BLOG")]
    tags += [("AU", ris_name(n)) for n in item.get("author", [])]
    tags += [("TI", item["title"]), ("T2", item.get("container-title", "")), ("PB", item.get("publisher", ""))]
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
