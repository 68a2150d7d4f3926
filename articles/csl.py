"""Render CSL-JSON with the official CSL styles through citeproc-py, and mend what it gets wrong.

The reference is citeproc-js, the processor Zotero uses. On the same CSL-JSON and style files,
citeproc-py 0.11.1 differs from it in these ways, each mended here:

1. names (CSL 1.0.2, "Name" and appendix IV). citeproc-py ignores ``initialize="false"`` (MLA 9
   and Chicago print "Rosenthal, M." for "Rosenthal, Michele."), splits a name in a script that
   is written family name first ("李, . 小龙 ." for 李小龙, also in Korean and Japanese),
   initializes Arabic and Hebrew given names to a lone period, leaves initials as typed where
   citeproc-js spaces them ("J.R.R." -> "J. R. R."), and puts a space after a particle that ends
   in an apostrophe or hyphen ("d' Alembert"). Mended by ``_process_names`` in place of
   ``citeproc.model.Name.process``: each name is written by ``citations.person_name``
   (citeproc-js's particle, initializing and name-order rules, shared with the house APA line)
   and citeproc-py does the rest (et al., "and", delimiters).
2. title case (CSL 1.0.2, "Title case conversion"). citeproc-py capitalizes "about", "vs." and
   other words citeproc-js keeps lower-case, leaves the parts of "self-care" after the hyphen
   lower-case, and spaces out nocase spans ("< i> Moby"). Mended by ``title_case``, citeproc-js's
   algorithm on the value as the CSL-JSON has it, in place of ``citeproc.model.TextCased.case``
   for text-case="title".
3. the locale option ``punctuation-in-quote`` (CSL 1.0.1, "Locale Options"). citeproc-py reads
   it but never applies it (its ``Quoted.quote`` leaves the code commented out), so en-US output
   has '“Baclofen in PTSD Treatment”.' where citeproc-js writes '“Baclofen in PTSD Treatment.”'.
   Mended by ``punctuation_in_quote`` on the rendered string.
4. citeproc-js's handling of quotation marks in field values: apostrophes print as ’, quoted
   words as “…” and, inside a quoted title, as ‘…’ ("flip-flop", CSL 1.0.2, "Quotes"; a
   quotation typed with ‘…’ stays single where nothing encloses it), and a period after a title's
   own ?, ! or . is dropped. citeproc-py prints the field as it is. Mended by ``smart_quotes``
   before rendering and ``nest_quotes`` and ``punctuation_in_quote`` after.
5. escaping and rich text. citeproc-py's HTML formatter escapes the style's own text but not the
   values of variables, so a title '<script>' would reach the page as markup; and it reads the
   nocase spans with which CSL-JSON keeps a title's literal tags from being markup
   (``citations.rich_text``) as case protection only, printing the tags. Every value is turned
   back into plain text (``citations.plain_text``) and escaped before rendering (``_prepare``),
   and the plain text is the HTML without tags, unescaped.
6. italics of a value without a Latin-like letter. citeproc-js drops the font style set on a
   variable's own text when the value has no Latin, Greek, Cyrillic, Hebrew, Arabic or Thai
   letter or digit (MLA 9 and Chicago print a blog named 创伤博客 upright); citeproc-py italicizes
   it. Mended by ``_font_style`` in place of ``citeproc.model.Formatted.font_style``.

Not mended, because our articles always have an author: when an item has no author, styles
substitute the title, and citeproc-py does not suppress a substitute rendered through a macro,
so the title prints twice.

tests/articles/test_csl.py holds the strings citeproc-js renders and
tests/articles/test_csl_citeproc_js.py compares a batch of hard items with citeproc-js itself;
a citeproc-py release that fixes a gap makes a ``test_upstream_*`` test fail, which says the
mend can go.
"""

import functools
import html
import json
import re
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter, model
from citeproc import source as source_name
from citeproc.source.json import CiteProcJSON
from citeproc.string import String

from . import citations
from .citations import plain_text

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


# The item being rendered, as the CSL-JSON has it: the name and title-case mends below read the
# values from here, before ``_prepare`` has marked their quotation marks and escaped them.
@dataclass
class _Source:
    item: dict
    raw: dict[str, str]  # prepared string -> the CSL-JSON string it was made from


_source: ContextVar[_Source | None] = ContextVar("csl_source", default=None)


def _upstream(owner, attribute: str):
    """Return citeproc-py's own method, also when this module is imported again."""
    method = getattr(owner, attribute)
    return getattr(method, "upstream", method)


# --- Mend 1: names --------------------------------------------------------------------------

_upstream_process_names = _upstream(model.Name, "process")


def _inherited(element, attribute: str, default: str) -> str:
    """Return a name attribute from cs:name, else cs:bibliography or cs:citation, else cs:style."""
    for holder in [element, *element.xpath_search("./ancestor::*[self::cs:citation or self::cs:bibliography][1]"),
                   element.get_root()]:
        if holder.get(attribute) is not None:
            return holder.get(attribute)
    return default


def _process_names(self, item, variable, context=None, sort_options=None, **kwargs):
    source = _source.get()
    names = source.item.get(variable.replace("_", "-")) if source else None
    if not names or sort_options is not None:
        return _upstream_process_names(self, item, variable, context=context, sort_options=sort_options, **kwargs)

    def option(name):
        return self.get_option(name, context, sort_options)

    as_sort_order = option("name-as-sort-order")
    written = []
    for i, name in enumerate(names):
        if "literal" in name:
            written.append(_prepare_text(name["literal"]))
            continue
        text = citations.person_name(
            {key: plain_text(value) if isinstance(value, str) else value for key, value in name.items()},
            inverted=as_sort_order == "all" or (as_sort_order == "first" and i == 0),
            demote_particle=option("demote-non-dropping-particle") in ("always", "display-and-sort"),
            short=option("form") != "long",
            initialize_with=option("initialize-with"),
            initialize_given=_inherited(self, "initialize", "true").lower() != "false",
            sort_separator=option("sort-separator"),
            hyphen=option("initialize-with-hyphen"),
        )
        written.append(_prepare_text(text))
    # Upstream does the rest (et al., "and", delimiters) with the names written as literals.
    upstream_names = item.reference[variable]
    item.reference[variable] = [source_name.Name(literal=text) for text in written]
    try:
        return _upstream_process_names(self, item, variable, context=context, sort_options=sort_options, **kwargs)
    finally:
        item.reference[variable] = upstream_names


# --- Mend 2: title case ---------------------------------------------------------------------
# citeproc-js's CSL.Output.Formatters.title, which works on the field value as the CSL-JSON has
# it (straight quotes, rich-text tags): the string is cut at punctuation, quotation marks and tags
# into runs of words; a word is capitalized when it is all lower-case and is longer than one
# letter and not a stop word, or is first, or follows ! ? or :; a stop word that ends the title is
# capitalized; nothing inside a nocase span changes.

SKIP_WORDS = (
    "about", "above", "across", "afore", "after", "against", "al", "along", "alongside", "amid", "amidst",
    "among", "amongst", "anenst", "apropos", "apud", "around", "as", "aside", "astride", "at", "athwart",
    "atop", "barring", "before", "behind", "below", "beneath", "beside", "besides", "between", "beyond",
    "but", "by", "circa", "despite", "down", "during", "et", "except", "for", "forenenst", "from", "given",
    "in", "inside", "into", "lest", "like", "modulo", "near", "next", "notwithstanding", "of", "off", "on",
    "onto", "out", "over", "per", "plus", "pro", "qua", "sans", "since", "than", "through", " thru",
    "throughout", "thruout", "till", "to", "toward", "towards", "under", "underneath", "until", "unto", "up",
    "upon", "versus", "vs.", "v.", "vs", "v", "via", "vis-à-vis", "with", "within", "without",
    "according to", "ahead of", "apart from", "as for", "as of", "as per", "as regards", "aside from",
    "back to", "because of", "close to", "due to", "except for", "far from", "inside of", "instead of",
    "near to", "next to", "on to", "out from", "out of", "outside of", "prior to", "pursuant to",
    "rather than", "regardless of", "such as", "that of", "up to", "where as", "or", "yet", "so", "for",
    "and", "nor", "a", "an", "the", "de", "d'", "von", "van", "c", "ca",
)  # CSL.SKIP_WORDS, as written there (unescaped: "vs." matches "vs" and any letter)
_SKIP_WORD = re.compile(r"(?:(?:[?!:]*\s+|-|^)(?:" + "|".join(SKIP_WORDS) + r")(?=[!?:]*\s+|-|$))")
_CASE_CUT = re.compile(
    "\u2018|\u2019|\u201c|\u201d| \"| '|\"|'|[-\u2013\u2014/.,;?!:]|\\[|\\]|\\(|\\)"
    '|<span style="font-variant: small-caps;">|<span class="no(?:case|decor)">|</span>|</?(?:i|sc|b|sub|sup)>'
)
_CASE_PROTECT = {'<span style="font-variant: small-caps;">': "</span>", '<span class="nocase">': "</span>",
                 '<span class="nodecor">': "</span>", "<sc>": "</sc>", "<sub>": "</sub>", "<sup>": "</sup>"}
_QUOTE_PAIRS = {' "': (" '", '"'), " '": (' "', "'"), "\u2018": ("\u2018", "\u2019"), "\u201c": ("\u201c", "\u201d")}
_WORD_GAP = re.compile("[\u00a0\u0020\u2000-\u200b\u205f\u3000]+")
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


def _cut(text: str, rex: re.Pattern) -> tuple[list[str], list[str]]:
    return rex.split(text), rex.findall(text)


def _weave(strings: list[str], tags: list[str]) -> str:
    return strings[0] + "".join(tag + string for tag, string in zip(tags, strings[1:]))


def _js_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _capitalise(word: str) -> str:
    match = re.match(r"(\s*)([^\n\r\u2028\u2029])(.*)", word)
    if match and not (re.fullmatch("[\u0370-\u03ff]", match.group(2)) and not match.group(3)):
        return match.group(1) + match.group(2).upper() + match.group(3)
    return word


def title_case(text: str) -> str:
    """Return a CSL-JSON string in title case as citeproc-js writes it.

    'self-care for first-responders' -> 'Self-Care for First-Responders';
    'PTSD vs. anxiety: what's the difference?' -> "PTSD vs. Anxiety: What's the Difference?".
    """
    if not text:
        return ""
    text = re.sub(r'(<span)\s+(class="no(?:case|decor)")[^>]*(>)', r"\1 \2\3", text)
    text = re.sub(r'(<span)\s+(style="font-variant:)\s*(small-caps);?(")[^>]*(>)', r"\1 \2 \3;\4\5", text)
    strings, tags = _cut(text, _CASE_CUT)
    for i in range(len(tags) - 1, -1, -1):
        if tags[i] == "'" and strings[i + 1]:  # an apostrophe belongs to the word after it
            strings[i + 1], tags[i] = "'" + strings[i + 1], ""
    originals = list(strings)
    state = {"first": True, "after_punct": False, "last": None}

    def capitalise_words(run: str, index: int, following) -> str:
        if not run.strip(_JS_SPACE):
            return run
        words, gaps = _cut(run, _WORD_GAP)
        for j, word in enumerate(words):
            if not word:
                continue
            lower = word.lower()
            if ((_js_length(word) > 1 and not _SKIP_WORD.search(lower))
                    or (j == len(words) - 1 and following == "-")
                    or state["first"] or state["after_punct"]) and word == lower:
                words[j] = _capitalise(word)
            state["first"] = state["after_punct"] = False
            state["last"] = (index, j)
        return _weave(words, gaps)

    quotes = []  # the quotations open: (opener, closer, position of the opening tag or None)

    def quote_fix(tag: str, position: int) -> int | None:
        """Track quotation marks; return the position of a mark left unmatched."""
        match = re.search(r"(^(?:\u2018|\u2019|\u201c|\u201d|\"|')|(?: \"| ')$)", tag)
        if not match:
            return None
        mark = match.group(1)
        if mark in ("\u201c", "\u2018", ' "', " '"):
            if not quotes or mark == quotes[-1][0]:
                quotes.append((*_QUOTE_PAIRS[mark], position))
                return None
            previous = quotes.pop()[2]
            quotes.append((*_QUOTE_PAIRS[mark], None))
            return previous
        if quotes and mark == quotes[-1][1]:
            quotes.pop()
            return None
        return position

    if strings[0].strip(_JS_SPACE):
        strings[0] = capitalise_words(strings[0], 0, tags[0] if tags else None)
    protected = []
    for i, tag in enumerate(tags):
        run = strings[i + 1]
        if tag in _CASE_PROTECT:
            protected.append(_CASE_PROTECT[tag])
        elif protected and tag == protected[-1]:
            protected.pop()
        if re.search(r"[!?:]$", tag):
            state["after_punct"] = True
        if not protected:
            # citeproc-js passes no following tag here, so only the first run knows of a hyphen.
            strings[i + 1] = capitalise_words(run, i + 1, None)
        elif run.strip(_JS_SPACE):
            state["last"] = None
        unmatched = quote_fix(tag, i)
        if unmatched is not None:
            strings[unmatched + 1] = originals[unmatched + 1][:1] + strings[unmatched + 1][1:]
            state["last"] = None
        if run.strip(_JS_SPACE):
            state["first"] = state["after_punct"] = False
    for _opener, _closer, position in quotes:
        if position is not None:
            strings[position + 1] = originals[position + 1][:1] + strings[position + 1][1:]
    if state["last"]:
        index, j = state["last"]
        words, gaps = _cut(strings[index], _WORD_GAP)
        if _js_length(words[j]) > 1 and _SKIP_WORD.search(words[j].lower()):
            words[j] = _capitalise(words[j])
        strings[index] = _weave(words, gaps)
    return _weave(strings, tags)


_upstream_case = _upstream(model.TextCased, "case")


def _case(self, text, language=None):
    source = _source.get()
    if self.get("text-case") == "title" and language == "en" and source and str(text) in source.raw:
        return String(_prepare_text(title_case(source.raw[str(text)])))
    return _upstream_case(self, text, language)


# --- Mends 3 and 4: quotation marks and the punctuation around them -------------------------

# An apostrophe travels through citeproc-py as this private-use character, so that it is never
# mistaken for a closing single quotation mark, and becomes ’ at the end. A quotation opened with
# a typographic single mark (‘) travels as SINGLE_QUOTE: citeproc-js keeps it single where it is
# not nested in other quotation marks.
APOSTROPHE = "\ue000"
SINGLE_QUOTE = "\ue001"
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
        elif char in "“‘" and not before.isalnum() or char in "\"'" and before in " (":
            open_quotes.append(char)
            out.append(SINGLE_QUOTE if char == "‘" else "“")
        elif char in "'’":
            out.append(APOSTROPHE)
        else:
            out.append(char)
    return "".join(out)


def nest_quotes(text: str) -> str:
    """Write the quotation marks by depth, as citeproc-js flips them (CSL 1.0.2, "Quotes").

    A quotation takes double marks (single for SINGLE_QUOTE) when no other encloses it; inside
    another, the other kind: '“Why “Fight” Matters.”' -> '“Why ‘Fight’ Matters.”'.
    """
    marks = {True: ("“", "”"), False: ("‘", "’")}
    out = []
    open_doubles = []  # for each quotation open, whether it is written with double marks
    for char in text:
        if char in ("“", SINGLE_QUOTE):
            double = not open_doubles[-1] if open_doubles else char == "“"
            open_doubles.append(double)
            out.append(marks[double][0])
        elif char == "”" and open_doubles:
            out.append(marks[open_doubles.pop()][1])
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


# --- Mend 6: no italics for a value without a Latin-like letter ------------------------------
# citeproc-js (CSL.Output.Queue.prototype.append) drops the font style of a text element's own
# value when it has no "romanesque" letter or digit; italics set on a group or a macro stay, as
# there.

_upstream_font_style = _upstream(model.Formatted, "font_style")


def _font_style(self, text):
    if (isinstance(self, model.Text) and "macro" not in self.attrib
            and not citations.ROMANESQUE.search(html.unescape(str(text)))):
        return text
    return _upstream_font_style(self, text)


# --- Rendering ------------------------------------------------------------------------------

_TAG = re.compile(r"<[^>]+>")


def _load(style: Style) -> CitationStylesStyle:
    # A fresh parse per render: citeproc-py keeps the output formatter on the parsed style, so a
    # shared one is not safe across threads. Parsing takes a few milliseconds; validation against
    # the CSL schema is left to the tests.
    return CitationStylesStyle(str(STYLES_DIR / style.file), validate=False)


_VERBATIM = {"URL", "DOI"}


def _prepare_text(value: str, key: str = "") -> str:
    """Return a CSL-JSON string as citeproc-py gets it: plain text, quote-marked, HTML-escaped."""
    return html.escape(value if key in _VERBATIM else smart_quotes(plain_text(value)), quote=False)


def _prepare(value, raw: dict[str, str], key=""):
    """Return a copy of CSL-JSON with its strings prepared (not id or type), noting where each came from."""
    if isinstance(value, dict):
        return {k: _prepare(v, raw, k) for k, v in value.items() if k != "comma-suffix"}
    if isinstance(value, list):
        return [_prepare(v, raw, key) for v in value]
    if isinstance(value, str) and key not in {"id", "type"}:
        prepared = _prepare_text(value, key)
        raw.setdefault(prepared, value)
        return prepared
    return value


def render(item: dict, style: Style) -> Rendered:
    """Return one CSL-JSON item formatted as a bibliography entry of the style."""
    csl_style = _load(style)
    raw = {}
    source = CiteProcJSON([_prepare(item, raw)])
    token = _source.set(_Source(item=item, raw=raw))
    try:
        bibliography = CitationStylesBibliography(csl_style, source, formatter.html)
        bibliography.register(Citation([CitationItem(str(item["id"]))]))
        markup = nest_quotes(str(bibliography.bibliography()[0]))
    finally:
        _source.reset(token)
    if csl_style.root.get_locale_option("punctuation-in-quote").lower() == "true":
        markup = punctuation_in_quote(markup)
    else:
        markup = drop_doubled_period(markup)
    markup = markup.replace(APOSTROPHE, "’")
    # The plain text is the HTML without its tags: the plain formatter differs only in markup.
    return Rendered(style=style, html=markup, text=html.unescape(_TAG.sub("", markup)))


# Mends 1, 2 and 6 take the place of citeproc-py's own methods when this module is imported
# (mend 5 is ``_prepare``). UPSTREAM keeps what they replace, so that the tests can show what
# citeproc-py does alone.
UPSTREAM = {(model.Name, "process"): _upstream_process_names, (model.TextCased, "case"): _upstream_case,
            (model.Formatted, "font_style"): _upstream_font_style}
MENDS = {(model.Name, "process"): _process_names, (model.TextCased, "case"): _case,
         (model.Formatted, "font_style"): _font_style}
for (owner, attribute), mend in MENDS.items():
    mend.upstream = UPSTREAM[owner, attribute]
    setattr(owner, attribute, mend)


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
