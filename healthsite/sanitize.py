"""Every HTML sanitizing step of the site, in one place (bleach 6 allowlists are sets)."""

import html
import re

import bleach
from bleach.html5lib_shim import Filter
from bleach.linkifier import Linker
from django.conf import settings

ARTICLE_TAGS = {
    "h2", "h3", "h4", "p", "br", "hr", "ul", "ol", "li", "a", "blockquote",
    "em", "strong", "i", "b", "u", "s", "sub", "sup", "code", "pre", "figure", "figcaption", "img",
}
ARTICLE_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    # A figure's image as the site serves it: src, srcset and sizes (media addresses only), alt, intrinsic size.
    "img": ["src", "srcset", "sizes", "alt", "width", "height"],
    "blockquote": ["cite"],
}
PROTOCOLS = {"http", "https", "mailto"}

BIO_TAGS = {"p", "br", "a", "em", "strong", "i", "b"}
BIO_ATTRIBUTES = {"a": ["href", "title", "rel"]}

HIGHLIGHT_TAGS = {"mark"}

# Elements whose content is code or another document: dropped whole, not only their tags as
# bleach's strip=True does (which would leave a script's source as text in the article).
_DROPPED_WITH_CONTENT = re.compile(
    r"<(script|style|iframe|object|embed|template|noscript|svg|math|textarea|select)\b[^>]*>.*?</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)

COMMENT_REL = "nofollow ugc noopener"
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")


def media_prefixes() -> tuple[str, ...]:
    """Return the address prefixes of the site's own uploaded media (MEDIA_URL), relative and absolute."""
    media = settings.MEDIA_URL
    if media.startswith(("http://", "https://")):
        return (media,)
    path = "/" + media.lstrip("/")
    return (path, settings.SITE_URL + path)


_SRCSET_DESCRIPTOR = re.compile(r"\A[1-9][0-9]{0,5}w\Z")


def _own_media(url: str, prefixes: tuple[str, ...]) -> bool:
    return url.startswith(prefixes) and ".." not in url


def own_srcset(srcset: str, prefixes: tuple[str, ...]) -> bool:
    """Return True if every candidate of `srcset` is an address of our media with a width ("/media/a-480w.jpg 480w")."""
    candidates = [c.split() for c in srcset.split(",")]
    return bool(candidates) and all(
        len(c) == 2 and _own_media(c[0], prefixes) and _SRCSET_DESCRIPTOR.match(c[1]) for c in candidates)


class OwnImagesOnly(Filter):
    """Drop every <img> whose source is not the site's own media (no tracking pixels or hotlinks), and any
    srcset naming another address; give the images in `figures` (src -> attributes) their srcset and size."""

    figures: dict = {}

    def __iter__(self):
        prefixes = media_prefixes()
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["name"] == "img":
                attrs = token["data"]
                src = attrs.get((None, "src"), "")
                if not _own_media(src, prefixes):
                    continue
                for name, value in self.figures.get(src, {}).items():
                    attrs[(None, name)] = str(value)
                if not own_srcset(attrs.get((None, "srcset"), ""), prefixes):
                    attrs.pop((None, "srcset"), None)
                    attrs.pop((None, "sizes"), None)
            yield token


def article_html(html: str, figures: dict | None = None) -> str:
    """Return an article body reduced to the editorial allowlist, images only from the site's media.

    `figures` maps an image's src to the attributes it is served with (srcset, sizes, width, height).
    """
    images = type("Images", (OwnImagesOnly,), {"figures": figures or {}})
    cleaner = bleach.Cleaner(  # one per call: a Cleaner is not thread-safe
        tags=ARTICLE_TAGS, attributes=ARTICLE_ATTRIBUTES, protocols=PROTOCOLS, strip=True, filters=[images]
    )
    return cleaner.clean(_DROPPED_WITH_CONTENT.sub("", html))


_IMAGE_SOURCE = re.compile(r'<img [^>]*?src="([^"]*)"')


def image_sources(clean_html: str) -> list[str]:
    """Return the src of every image in HTML that article_html made (its attributes are always double-quoted)."""
    return [html.unescape(src) for src in _IMAGE_SOURCE.findall(clean_html)]


_IMAGE = re.compile(r"<img\b[^>]*>")
_ALT = re.compile(r'\balt="\s*[^"\s][^"]*"')


def images_without_alt(clean_html: str) -> int:
    """Return how many images in HTML that article_html made have no alt text."""
    return sum(1 for tag in _IMAGE.findall(clean_html) if not _ALT.search(tag))


def bio_html(html: str) -> str:
    """Return an author bio reduced to inline markup and paragraphs."""
    return bleach.clean(html, tags=BIO_TAGS, attributes=BIO_ATTRIBUTES, protocols=PROTOCOLS, strip=True)


def highlight_html(fragment: str) -> str:
    """Return a search-result excerpt with only its <mark> highlights left as markup."""
    return bleach.clean(fragment, tags=HIGHLIGHT_TAGS, attributes={}, strip=True)


def _comment_rel(attrs, new=False):
    """Mark every link in a reader's comment as user content that earns no ranking."""
    attrs[(None, "rel")] = COMMENT_REL
    href = attrs.get((None, "href"), "")
    if not href.startswith(("http://", "https://", "mailto:")):
        return None
    return attrs


_comment_linker = Linker(callbacks=[_comment_rel], skip_tags={"pre"}, parse_email=False)


def comment_html(text: str) -> str:
    """Turn a reader's plain text into safe HTML that shows it as typed: paragraphs, line breaks, linked URLs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = []
    for block in _PARAGRAPH_BREAK.split(text):
        # Every &, < and > becomes an entity, so typed markup or entities ("&lt;3") show as typed:
        # bleach.clean would keep a character entity as it stands. Quotes need no escaping in text,
        # and leaving them keeps the stored HTML of earlier comments byte for byte.
        escaped = html.escape(block, quote=False)
        paragraphs.append("<p>" + _comment_linker.linkify(escaped).replace("\n", "<br>\n") + "</p>")
    return "\n".join(paragraphs) if text else ""


def count_links(html: str) -> int:
    """Return how many links a piece of sanitized HTML holds."""
    return html.count("<a ")
