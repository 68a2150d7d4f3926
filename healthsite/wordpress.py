"""WordPress's conventions for stored content, turned into plain HTML (pure functions).

WordPress stores a classic-editor post as text whose blank lines are paragraphs and whose single
line breaks are `<br>`; `wpautop()` (wp-includes/formatting.php) adds the markup when the post is
shown. `autop` below follows the same rules: a blank line ends a paragraph, a single line break
becomes `<br />`, block-level elements are never wrapped in `<p>` (text directly inside a
`<blockquote>` or `<div>` is), and `<pre>` keeps its text untouched. A block-editor post already
carries its markup between `<!-- wp:... -->` comments, so WordPress skips wpautop for it
(`do_blocks()` removes the filter when a post has blocks); so do we, and drop the comments.
`[caption]` shortcodes become `<figure>` with a `<figcaption>`, `[embed]URL[/embed]` a link; the
media shortcodes we cannot show (gallery, playlist, audio, video) are removed and named.
"""

import html
import re
from urllib.parse import unquote, urlsplit

_BLOCK = (r"(?:table|thead|tfoot|caption|colgroup|col|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area"
          r"|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header"
          r"|footer|nav|figure|figcaption|details|menu|summary)")
# Elements whose text is flow content: loose text directly inside them still makes paragraphs.
_CONTAINERS = {"blockquote", "div", "section", "article", "aside", "header", "footer", "nav", "details", "form",
               "fieldset", "figure", "address", "main"}
_KEPT_WHOLE = re.compile(r"<(pre|script|style|figure)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_PLACEHOLDER = re.compile(r"\x00(\d+)\x00")
_TAG = re.compile(r"<[^>]*>")
_BR_RUN = re.compile(r"(?:<br\s*/?>\s*){2,}", re.IGNORECASE)
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_BEFORE_OPENING = re.compile(rf"(<{_BLOCK}[\s/>])", re.IGNORECASE)
_AFTER_CLOSING = re.compile(rf"(</{_BLOCK}>|<hr\b[^>]*>)", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
_EDGE = rf"(?:</?{_BLOCK}\b[^>]*>|\x00\d+\x00)"
_LEADING = re.compile(rf"\s*({_EDGE})\s*", re.IGNORECASE)
_TRAILING = re.compile(rf"\s*({_EDGE})\s*\Z", re.IGNORECASE)
_TAG_NAME = re.compile(r"</?([a-z0-9]+)", re.IGNORECASE)
_LINE_BREAK = re.compile(r"(?:<br />)?[ \t]*\n[ \t]*")

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_CAPTION = re.compile(r"\[(?:wp_)?caption\b([^\]]*)\](.*?)\[/(?:wp_)?caption\]", re.IGNORECASE | re.DOTALL)
_CAPTIONED = re.compile(r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)\Z", re.IGNORECASE | re.DOTALL)
_CAPTION_ATTRIBUTE = re.compile(r"""\bcaption=(["'])(.*?)\1""", re.DOTALL)
_EMBED = re.compile(r"\[embed\b[^\]]*\]\s*(https?://[^\s\[<\"]+)\s*\[/embed\]", re.IGNORECASE)
_MEDIA_SHORTCODE = re.compile(r"\[(gallery|playlist|audio|video)\b[^\]]*\](?:[^\[]*\[/\1\])?", re.IGNORECASE)

UPLOADS = "/wp-content/uploads/"


def has_blocks(content: str) -> bool:
    """Return True if the post was written in the block editor."""
    return "<!-- wp:" in content


def _name(tag: str) -> str:
    match = _TAG_NAME.match(tag)
    return match.group(1).lower() if match else ""


def _paragraph(chunk: str) -> str:
    """Return one blank-line-separated chunk with its loose text wrapped and its line breaks marked."""
    lead, trail = [], []
    while (match := _LEADING.match(chunk)) and match.group(1):
        lead.append(match.group(1))
        chunk = chunk[match.end():]
    while chunk and (match := _TRAILING.search(chunk)):
        trail.insert(0, match.group(1))
        chunk = chunk[: match.start()]
    text = chunk.strip()
    if not text:
        return "".join(lead + trail)
    opened = [_name(t) for t in lead if not t.startswith(("</", "\x00"))]
    closed = [_name(t) for t in trail if t.startswith("</")]
    inside = opened[-1] if opened else (closed[0] if closed else None)
    text = _LINE_BREAK.sub("<br />\n", _BR.sub("<br />", text))
    if inside is None or inside in _CONTAINERS:
        text = f"<p>{text}</p>"
    elif inside == "p":  # a paragraph typed as <p>...</p> with a blank line in it: two paragraphs
        text = ("" if opened and opened[-1] == "p" else "<p>") + text + ("" if closed and closed[0] == "p" else "</p>")
    return "".join(lead) + text + "".join(trail)


def autop(text: str) -> str:
    """Return text with WordPress's paragraph rules applied (blank line: paragraph; line break: <br />)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return ""
    kept: list[str] = []

    def keep(match):
        kept.append(match.group(0))
        return f"\n\n\x00{len(kept) - 1}\x00\n\n"

    text = _KEPT_WHOLE.sub(keep, text)
    text = _TAG.sub(lambda m: m.group(0).replace("\n", " "), text)  # a line break inside a tag is no <br>
    text = _BR_RUN.sub("\n\n", text)
    text = _BEFORE_OPENING.sub(r"\n\n\1", text)
    text = _AFTER_CLOSING.sub(r"\1\n\n", text)
    paragraphs = [_paragraph(chunk) for chunk in _BLANK_LINE.split(text) if chunk.strip()]
    return _PLACEHOLDER.sub(lambda m: kept[int(m.group(1))], "\n".join(paragraphs))


def captions(text: str) -> str:
    """Return text with each [caption] shortcode made a <figure> with its <figcaption>."""
    def figure(match):
        inner = _CAPTIONED.match(match.group(2))
        if inner is None:  # no image inside: keep what it holds
            return match.group(2)
        media, caption = inner.group(1), inner.group(2).strip()
        if not caption:  # WordPress before 3.4 put the caption in an attribute
            attribute = _CAPTION_ATTRIBUTE.search(match.group(1))
            caption = attribute.group(2).strip() if attribute else ""
        return f"<figure>{media}<figcaption>{caption}</figcaption></figure>" if caption else f"<figure>{media}</figure>"

    return _CAPTION.sub(figure, text)


def post_html(content: str) -> tuple[str, list[str]]:
    """Return (the post's HTML as WordPress would show it, the media shortcodes removed from it)."""
    blocks = has_blocks(content)
    text = _COMMENT.sub("", content)  # block delimiters, <!--more-->, <!--nextpage--> and any other comment
    text = captions(text)
    text = _EMBED.sub(lambda m: f'<a href="{m.group(1)}">{m.group(1)}</a>', text)
    removed = [m.group(1).lower() for m in _MEDIA_SHORTCODE.finditer(text)]
    text = _MEDIA_SHORTCODE.sub("", text)
    return (re.sub(r"\n{3,}", "\n\n", text).strip() if blocks else autop(text)), removed


_LINK = re.compile(r"""<a\b[^>]*?\bhref=(["'])(.*?)\1[^>]*>(.*?)</a\s*>""", re.IGNORECASE | re.DOTALL)
_PARAGRAPH_END = re.compile(r"</(?:p|blockquote|li|h[1-6]|pre|div)\s*>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t]+")


def plain_text(fragment: str) -> str:
    """Return stored WordPress HTML (a comment, an excerpt) as plain text; a link keeps its address."""
    def link(match):
        href, label = html.unescape(match.group(2)).strip(), _TAG.sub("", match.group(3)).strip()
        return label if not href or html.unescape(label) == href else f"{label} ({href})"

    text = fragment.replace("\r\n", "\n").replace("\r", "\n")
    text = _LINK.sub(link, text)
    text = _BR.sub("\n", text)
    text = _PARAGRAPH_END.sub("\n\n", text)
    text = html.unescape(_TAG.sub("", text))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def one_line(fragment: str) -> str:
    """Return a title or name as plain text on one line."""
    return " ".join(plain_text(fragment).split())


def upload_path(url: str, hosts: set[str]) -> str | None:
    """Return the path of an old upload inside the uploads folder ("2015/03/a.jpg"), or None.

    Only addresses on the old site's hosts (or relative ones) under /wp-content/uploads/ count,
    and WordPress.com's `<site>.files.wordpress.com/2015/03/a.jpg`.
    """
    parts = urlsplit(html.unescape(url.strip()))
    host = (parts.hostname or "").lower()
    path = unquote(parts.path)
    if host.endswith(".files.wordpress.com"):
        relative = path.lstrip("/")
    elif host and host not in hosts:
        return None
    elif UPLOADS in path:
        relative = path.split(UPLOADS, 1)[1]
    else:
        return None
    segments = relative.split("/")
    if any(s in ("", ".", "..") for s in segments) or "\\" in relative or "\x00" in relative:
        return None
    return relative
