"""Read a WordPress export (WXR 1.0 to 1.2) as a stream of plain records, safely.

WXR is RSS 2.0 with WordPress's own elements. WordPress writes them in the namespace
`http://wordpress.org/export/1.x/`; WordPress.com writes `https://...`: both are read. The file
is parsed with lxml's `iterparse`, each `<item>` cleared once read, so a 500 MB export never sits
in memory. Hostile files are refused: no entity is resolved, nothing is fetched over the network,
no text node may pass libxml2's default limit (`huge_tree` off), and a file with a DOCTYPE is
refused outright, as WordPress's own importer refuses it (an export never has one; entities,
external or a billion laughs, can only hide there).

`scan(path)` reads the whole file once to check it and count what it holds; `read(path)` yields
`Author`, `Term` and `Post` records in file order. Both raise `WXRError` with the line number.
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

_PREFIXES = (
    (re.compile(r"https?://wordpress\.org/export/1\.\d+/excerpt/\Z"), "excerpt"),
    (re.compile(r"https?://wordpress\.org/export/1\.\d+/\Z"), "wp"),
    (re.compile(r"https?://purl\.org/rss/1\.0/modules/content/\Z"), "content"),
    (re.compile(r"https?://purl\.org/dc/elements/1\.1/\Z"), "dc"),
)
_WP_VERSION = re.compile(r"https?://wordpress\.org/export/(1\.\d+)/\Z")
_ZERO_DATE = "0000-00-00 00:00:00"


class WXRError(Exception):
    """The file is not a WordPress export we can read safely; `line` says where."""

    def __init__(self, message: str, line: int | None = None):
        self.message, self.line = message, line
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass
class Site:
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    wxr_version: str = ""
    exported: str = ""  # the channel's pubDate, as written


@dataclass
class Author:
    login: str
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    wp_id: int | None = None


@dataclass
class Term:
    taxonomy: str  # "category", "post_tag" or a custom taxonomy
    slug: str
    name: str
    description: str = ""
    parent: str = ""


@dataclass
class Category:
    """A term attached to a post: `<category domain="category" nicename="slug">Name</category>`."""

    domain: str
    slug: str
    name: str


@dataclass
class Comment:
    wp_id: int
    parent_id: int
    author: str = ""
    email: str = ""
    url: str = ""
    ip: str = ""
    date: datetime.datetime | None = None  # the old site's local time
    date_gmt: datetime.datetime | None = None
    content: str = ""
    approved: str = ""  # "1", "0", "spam", "trash"
    type: str = ""  # "" or "comment", "pingback", "trackback", ...
    user_id: int = 0
    meta: dict = field(default_factory=dict)


@dataclass
class Post:
    wp_id: int
    line: int
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    date: datetime.datetime | None = None
    date_gmt: datetime.datetime | None = None
    name: str = ""
    status: str = ""
    type: str = ""
    password: str = ""
    comment_status: str = ""
    attachment_url: str = ""
    categories: list[Category] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)


@dataclass
class Summary:
    """What `scan` found: the site and how many items of each post type."""

    site: Site
    items: int = 0
    types: Counter = field(default_factory=Counter)


def parse_date(text: str) -> datetime.datetime | None:
    """Return a WXR date ("2012-10-24 09:05:00") as a naive datetime; None for zeros or junk."""
    text = text.strip()
    if not text or text == _ZERO_DATE:
        return None
    try:
        return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def _int(text: str) -> int:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else 0


class _Names:
    """Map lxml's "{namespace}local" tags to "wp:local", "content:encoded", "title"..."""

    def __init__(self):
        self._known: dict[str, str] = {}
        self.versions: set[str] = set()

    def __call__(self, tag) -> str:
        if not isinstance(tag, str):  # comments and processing instructions
            return ""
        name = self._known.get(tag)
        if name is None:
            name = tag
            if tag.startswith("{"):
                uri, local = tag[1:].split("}", 1)
                prefix = next((p for pattern, p in _PREFIXES if pattern.match(uri)), uri)
                name = f"{prefix}:{local}"
                version = _WP_VERSION.match(uri)
                if version:
                    self.versions.add(version.group(1))
            self._known[tag] = name
        return name


def _text(element) -> str:
    return "".join(element.itertext())


def _fields(element, names) -> dict[str, str]:
    """Return the text of each child element by name (the first of each name)."""
    found = {}
    for child in element:
        found.setdefault(names(child.tag), _text(child))
    return found


def _meta(element, names) -> tuple[str, str]:
    values = _fields(element, names)
    return values.get("wp:meta_key", ""), values.get("wp:meta_value", "")


def _comment(element, names) -> Comment:
    values, meta = {}, {}
    for child in element:
        name = names(child.tag)
        if name == "wp:commentmeta":
            key, value = _meta(child, names)
            meta[key] = value
        else:
            values.setdefault(name, _text(child))
    return Comment(
        wp_id=_int(values.get("wp:comment_id", "")),
        parent_id=_int(values.get("wp:comment_parent", "")),
        author=values.get("wp:comment_author", "").strip(),
        email=values.get("wp:comment_author_email", "").strip(),
        url=values.get("wp:comment_author_url", "").strip(),
        ip=values.get("wp:comment_author_IP", "").strip(),
        date=parse_date(values.get("wp:comment_date", "")),
        date_gmt=parse_date(values.get("wp:comment_date_gmt", "")),
        content=values.get("wp:comment_content", ""),
        approved=values.get("wp:comment_approved", "").strip(),
        type=values.get("wp:comment_type", "").strip(),
        user_id=_int(values.get("wp:comment_user_id", "")),
        meta=meta,
    )


def _post(element, names) -> Post:
    values, categories, meta, comments = {}, [], {}, []
    for child in element:
        name = names(child.tag)
        if name == "category":
            domain, slug = child.get("domain", ""), child.get("nicename", "")
            categories.append(Category(domain=domain, slug=slug, name=_text(child).strip()))
        elif name == "wp:postmeta":
            key, value = _meta(child, names)
            meta[key] = value
        elif name == "wp:comment":
            comments.append(_comment(child, names))
        else:
            values.setdefault(name, _text(child))
    return Post(
        wp_id=_int(values.get("wp:post_id", "")),
        line=element.sourceline or 0,
        title=values.get("title", ""),
        link=values.get("link", "").strip(),
        guid=values.get("guid", "").strip(),
        creator=values.get("dc:creator", "").strip(),
        content=values.get("content:encoded", ""),
        excerpt=values.get("excerpt:encoded", ""),
        date=parse_date(values.get("wp:post_date", "")),
        date_gmt=parse_date(values.get("wp:post_date_gmt", "")),
        name=values.get("wp:post_name", "").strip(),
        status=values.get("wp:status", "").strip(),
        type=values.get("wp:post_type", "").strip(),
        password=values.get("wp:post_password", ""),
        comment_status=values.get("wp:comment_status", "").strip(),
        attachment_url=values.get("wp:attachment_url", "").strip(),
        categories=categories,
        meta=meta,
        comments=comments,
    )


def _author(element, names) -> Author:
    values = _fields(element, names)
    return Author(
        login=values.get("wp:author_login", "").strip(),
        display_name=values.get("wp:author_display_name", "").strip(),
        first_name=values.get("wp:author_first_name", "").strip(),
        last_name=values.get("wp:author_last_name", "").strip(),
        email=values.get("wp:author_email", "").strip(),
        wp_id=_int(values.get("wp:author_id", "")) or None,
    )


def _term(element, names, kind: str) -> Term:
    v = _fields(element, names)
    if kind == "wp:category":
        return Term("category", v.get("wp:category_nicename", "").strip(), v.get("wp:cat_name", "").strip(),
                    v.get("wp:category_description", ""), v.get("wp:category_parent", "").strip())
    if kind == "wp:tag":
        return Term("post_tag", v.get("wp:tag_slug", "").strip(), v.get("wp:tag_name", "").strip(),
                    v.get("wp:tag_description", ""))
    return Term(v.get("wp:term_taxonomy", "").strip(), v.get("wp:term_slug", "").strip(),
                v.get("wp:term_name", "").strip(), v.get("wp:term_description", ""), v.get("wp:term_parent", "").strip())


_SITE_FIELDS = {"title": "title", "link": "link", "wp:base_site_url": "base_site_url",
                "wp:base_blog_url": "base_blog_url", "wp:wxr_version": "wxr_version", "pubDate": "exported"}
_TERMS = ("wp:category", "wp:tag", "wp:term")


def _events(path, names, site: Site):
    """Yield ("item" | "wp:author" | a term kind, element) for each record, clearing as it goes."""
    parser = etree.iterparse(
        str(path), events=("start", "end"), resolve_entities=False, no_network=True, load_dtd=False,
        huge_tree=False, remove_comments=True, remove_pis=True,
    )
    depth = 0
    try:
        for event, element in parser:
            if event == "start":
                depth += 1
                if depth == 1:
                    docinfo = element.getroottree().docinfo
                    if docinfo.doctype or docinfo.internalDTD is not None:
                        raise WXRError("the file declares a DOCTYPE, which a WordPress export never does: "
                                       "refused, as it could define entities")
                    if names(element.tag) != "rss":
                        raise WXRError(f"not a WordPress export: the root element is <{names(element.tag)}>, "
                                       "not <rss>", element.sourceline)
                continue
            depth -= 1
            if depth != 2:  # records are children of <channel>
                if depth == 1 and names(element.tag) != "channel":
                    raise WXRError(f"not a WordPress export: <{names(element.tag)}> in <rss>", element.sourceline)
                continue
            name = names(element.tag)
            if name in _SITE_FIELDS:
                setattr(site, _SITE_FIELDS[name], _text(element).strip())
            elif name == "item" or name == "wp:author" or name in _TERMS:
                yield name, element
            element.clear()
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
    except etree.XMLSyntaxError as error:
        raise WXRError(error.msg or str(error), error.lineno) from None
    except OSError as error:  # unreadable file
        raise WXRError(str(error)) from None
    if not (site.wxr_version or names.versions):
        raise WXRError("not a WordPress export: no <wp:wxr_version> and no WordPress namespace")
    site.wxr_version = site.wxr_version or max(names.versions)


def scan(path) -> Summary:
    """Read the whole file once: check it, and count its items by post type."""
    names, summary = _Names(), Summary(site=Site())
    for name, element in _events(path, names, summary.site):
        if name == "item":
            summary.items += 1
            kind = next((_text(c).strip() for c in element if names(c.tag) == "wp:post_type"), "")
            summary.types[kind] += 1
    return summary


def read(path):
    """Yield the export's Author, Term and Post records in file order."""
    names = _Names()
    for name, element in _events(path, names, Site()):
        if name == "item":
            yield _post(element, names)
        elif name == "wp:author":
            yield _author(element, names)
        else:
            yield _term(element, names, name)
