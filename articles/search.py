"""Search over title, summary and body: PostgreSQL full-text search there, a plain word match elsewhere.

Only the words of a query are searched for (letters and digits, at most MAX_TERMS of them), so
punctuation, operators and control characters in what a reader types never reach the database.
"""

import re
from html import unescape

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Func, Q, TextField, Value
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from healthsite import sanitize

MAX_QUERY = 200
MAX_TERMS = 8
CONFIG = "english"
_WORD = re.compile(r"[^\W_]+")


def terms(query: str) -> list[str]:
    """Return the words of a reader's query worth searching for: no punctuation, no single letters."""
    if len(query) > MAX_QUERY:  # cut, and drop a word the cut went through
        query = query[:MAX_QUERY].rsplit(None, 1)[0] if query[MAX_QUERY].strip() else query[:MAX_QUERY]
    words = [w for w in _WORD.findall(query) if len(w) > 1 or w.isdigit()]
    return list(dict.fromkeys(w.lower() for w in words))[:MAX_TERMS]


class _PlainText(Func):
    """The text of an HTML column, tags replaced by spaces (PostgreSQL)."""

    function = "regexp_replace"
    output_field = TextField()

    def __init__(self, expression, **extra):
        super().__init__(expression, Value("<[^>]+>"), Value(" "), Value("g"), **extra)


def search(queryset, words: list[str]):
    """Return the articles of `queryset` matching every word, best first, with `headline` on PostgreSQL."""
    if not words:
        return queryset.none()
    if connection.vendor == "postgresql":
        body = _PlainText(F("body_html"))
        document = (
            SearchVector("title", weight="A", config=CONFIG)
            + SearchVector("summary", weight="B", config=CONFIG)
            + SearchVector(body, weight="C", config=CONFIG)
        )
        query = SearchQuery(" ".join(words), search_type="plain", config=CONFIG)
        return (
            queryset.annotate(document=document).filter(document=query)
            .annotate(
                rank=SearchRank(document, query),
                headline=SearchHeadline(body, query, config=CONFIG, start_sel="<mark>", stop_sel="</mark>",
                                        max_words=40, min_words=20, max_fragments=2, fragment_delimiter=" … "),
            )
            .order_by("-rank", "-published_at", "-id")
        )
    matches = Q()
    for word in words:
        matches &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body_html__icontains=word)
    return queryset.filter(matches)


def mark(text: str, words: list[str]) -> str:
    """Return `text` escaped, with each occurrence of the words in <mark>."""
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    out, last = [], 0
    for match in pattern.finditer(text):
        out += [escape(text[last:match.start()]), "<mark>", escape(match.group()), "</mark>"]
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def excerpt(article, words: list[str], width: int = 240) -> str:
    """Return the part of the article that matched, highlighted: PostgreSQL's headline, or one cut here."""
    headline = getattr(article, "headline", None)
    if headline is not None:
        return mark_safe(sanitize.highlight_html(" ".join(headline.split())))
    text = " ".join(unescape(strip_tags(article.body_html)).split())
    lowered = text.lower()
    found = min((i for i in (lowered.find(w) for w in words) if i >= 0), default=-1)
    if found < 0:
        return mark(article.summary or text[:width], words)
    start = max(0, found - width // 3)
    piece = text[start:start + width]
    return mark(("… " if start else "") + piece + (" …" if start + width < len(text) else ""), words)
