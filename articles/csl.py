"""Render CSL-JSON with the official CSL styles through citeproc-py, and mend what it gets wrong.

The reference is citeproc-js, the processor Zotero uses. On the same CSL-JSON and style files,
citeproc-py 0.11.1 differs from it in these ways, each mended here:

1. ``initialize="false"`` on ``cs:name`` (CSL 1.0.1, "Name-part Formatting", attribute
   ``initialize``). citeproc-py initializes given names whenever ``initialize-with`` is set, so
   MLA 9 and Chicago, which set ``initialize-with`` on the style and ``initialize="false"`` on
   the bibliography's names, print "Rosenthal, M." where they want "Rosenthal, Michele.".
   Mended by ``_initialize`` below, wrapped around ``citeproc.model.Name.initialize``.
2. the locale option ``punctuation-in-quote`` (CSL 1.0.1, "Locale Options"). citeproc-py reads
   it but never applies it (its ``Quoted.quote`` leaves the code commented out), so en-US output
   has '“Baclofen in PTSD Treatment”.' where citeproc-js writes '“Baclofen in PTSD Treatment.”'.
   Mended by ``punctuation_in_quote`` on the rendered string.
3. citeproc-js's handling of quotation marks in field values: apostrophes print as ’, quoted
   words as “…” and, inside a quoted title, as ‘…’ ("flip-flop", CSL 1.0.2, "Quotes"), and a
   period after a title's own ?, ! or . is dropped. citeproc-py prints the field as it is.
   Mended by ``smart_quotes`` before rendering and ``nest_quotes`` and ``punctuation_in_quote``
   after.
4. escaping. citeproc-py's HTML formatter escapes the style's own text but not the values of
   variables, so a title '<script>' would reach the page as markup. Every value is escaped here
   before rendering (``_prepare``), and the plain text is the HTML without tags, unescaped.

Not mended, because our articles always have an author: when an item has no author, styles
substitute the title, and citeproc-py does not suppress a substitute rendered through a macro,
so the title prints twice.

tests/articles/test_csl.py holds the strings citeproc-js renders; a citeproc-py release that
fixes a gap makes a ``test_upstream_*`` test fail, which says the mend can go.
"""

import functools
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter, model
from citeproc.source.json import CiteProcJSON

STYLES_DIR = Path(__file__).resolve().parent / "styles"


@dataclass(frozen=True)
class Style:
    key: str
    label: str
    file: str


# The order of the "Cite this article" box.
STYLES = (
    Style("apa", "APA 7", "apa.csl"),
    Style("mla", "MLA 9", "modern-language-association.csl"),
    Style("chicago", "Chicago (author-date)", "chicago-author-date.csl"),
)


@dataclass(frozen=True)
class Rendered:
    """One formatted reference: HTML (with the style's italics, escaped) and plain text."""

    style: Style
    html: str
    text: str


# --- Mend 1: initialize="false" -------------------------------------------------------------

_upstream_initialize = model.Name.initialize


def keep_given_names(given: str, mark: str) -> str:
    """Return given names whole, marking bare initials only: 'James T' -> 'James T.'.

    CSL 1.0.1: with initialize="false", "the value of initialize-with is still added after
    initials present in the full name".
    """
    words = []
    for word in given.split():
        parts = []
        for part in word.split("-"):
            bare = part.rstrip(".")
            parts.append(bare + mark.rstrip() if len(bare) == 1 and bare.isupper() else part)
        words.append("-".join(parts))
    return " ".join(words)


def _initialize(self, given, mark, context):
    if (self.get("initialize") or "true").lower() == "false":
        return keep_given_names(given, mark)
    return _upstream_initialize(self, given, mark, context)


_initialize.mends = _upstream_initialize
if getattr(model.Name.initialize, "mends", None) is None:
    model.Name.initialize = _initialize


# --- Mends 2 and 3: quotation marks and the punctuation around them -------------------------

# An apostrophe travels through citeproc-py as this private-use character, so that it is never
# mistaken for a closing single quotation mark, and becomes ’ at the end.
APOSTROPHE = "\ue000"
_OPENERS = "\"'“‘"
_CLOSERS = "\"'”’"


def smart_quotes(text: str) -> str:
    """Mark the quotations of a field value with “ ” and its apostrophes with APOSTROPHE.

    "Why 'Fight or Flight' Isn't" -> 'Why “Fight or Flight” Isn\ue000t'. The nesting level is
    decided after rendering, by ``nest_quotes``.
    """
    out = []
    open_quotes = []  # the characters that opened the quotations still open
    for i, char in enumerate(text):
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if char in "'’" and (before.isalnum() and (after.isalnum() or not open_quotes or open_quotes[-1] not in "'‘")):
            out.append(APOSTROPHE)  # Isn't, Parents' Guide
        elif char in "'’" and after.isdigit() and not before.isalnum():
            out.append(APOSTROPHE)  # the '90s
        elif char in _CLOSERS and open_quotes and _CLOSERS[_OPENERS.index(open_quotes[-1])] == char:
            open_quotes.pop()
            out.append("”")
        elif char in _OPENERS and not before.isalnum():
            open_quotes.append(char)
            out.append("“")
        elif char in "'’":
            out.append(APOSTROPHE)
        else:
            out.append(char)
    return "".join(out)


def nest_quotes(text: str, outer: tuple[str, str] = ("“", "”"), inner: tuple[str, str] = ("‘", "’")) -> str:
    """Alternate the quotation marks by depth: a quotation inside a quotation takes single marks."""
    out = []
    depth = 0
    for char in text:
        if char == "“":
            out.append((outer, inner)[depth % 2][0])
            depth += 1
        elif char == "”" and depth:
            depth -= 1
            out.append((outer, inner)[depth % 2][1])
        else:
            out.append(char)
    return "".join(out)


_TAGS = r"(?:</?[a-z]+>)*"
# A period or comma right after closing quotation marks (and closing tags) goes inside them...
_OUTSIDE = re.compile(rf"([”’]+)({_TAGS})([.,])")
# ...and a period right after the text's own stop is dropped: 'Is It Safe?.' -> 'Is It Safe?',
# '“Wait...”.' -> '“Wait...”' (citeproc-py itself joins 'Wait...' and '.' when nothing is between).
_DOUBLED = re.compile(r"([?!]|\.(?=[”’<]))((?:[”’]|</[a-z]+>)*)\.(?=[\s<]|$)")


def punctuation_in_quote(text: str) -> str:
    """Put a period or comma that follows a closing quotation mark inside it (en-US usage).

    '“Baclofen in PTSD Treatment”.' -> '“Baclofen in PTSD Treatment.”'
    '“Is It Safe?”.' -> '“Is It Safe?”'
    """
    return _OUTSIDE.sub(r"\3\1\2", _DOUBLED.sub(r"\1\2", text))


def drop_doubled_period(text: str) -> str:
    """Drop a period that follows a stop: 'Is It Safe?. Trauma!' -> 'Is It Safe? Trauma!'."""
    return _DOUBLED.sub(r"\1\2", text)


# --- Rendering ------------------------------------------------------------------------------

_TAG = re.compile(r"<[^>]+>")


def _load(style: Style) -> CitationStylesStyle:
    # A fresh parse per render: citeproc-py keeps the output formatter on the parsed style, so a
    # shared one is not safe across threads. Parsing takes a few milliseconds; validation against
    # the CSL schema is left to the tests.
    return CitationStylesStyle(str(STYLES_DIR / style.file), validate=False)


_VERBATIM = {"id", "type", "URL", "DOI"}


def _prepare(value, key=""):
    """Return a copy of CSL-JSON with its strings quote-marked and HTML-escaped (not id or URL)."""
    if isinstance(value, dict):
        return {k: _prepare(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_prepare(v, key) for v in value]
    if isinstance(value, str) and key not in {"id", "type"}:
        return html.escape(value if key in _VERBATIM else smart_quotes(value), quote=False)
    return value


def render(item: dict, style: Style) -> Rendered:
    """Return one CSL-JSON item formatted as a bibliography entry of the style."""
    csl_style = _load(style)
    bibliography = CitationStylesBibliography(csl_style, CiteProcJSON([_prepare(item)]), formatter.html)
    bibliography.register(Citation([CitationItem(str(item["id"]))]))
    markup = nest_quotes(str(bibliography.bibliography()[0]))
    if csl_style.root.get_locale_option("punctuation-in-quote").lower() == "true":
        markup = punctuation_in_quote(markup)
    else:
        markup = drop_doubled_period(markup)
    markup = markup.replace(APOSTROPHE, "’")
    # The plain text is the HTML without its tags: the plain formatter differs only in markup.
    return Rendered(style=style, html=markup, text=html.unescape(_TAG.sub("", markup)))


@functools.lru_cache(maxsize=512)
def _render_all(item_json: str) -> tuple[Rendered, ...]:
    item = json.loads(item_json)
    return tuple(render(item, style) for style in STYLES)


def render_all(item: dict) -> tuple[Rendered, ...]:
    """Return the item in every style of the box, from a small in-process cache.

    The cache key is the whole item, accessed date included, so a day's renders never serve the
    next day and an edited article or author is a new key.
    """
    return _render_all(json.dumps(item, sort_keys=True, ensure_ascii=False))
