"""Metadata in the article page's <head> for Zotero and Google Scholar: Highwire Press tags and a
schema.org BlogPosting, made from the article's CSL-JSON item (its strings as plain text)."""

import datetime
import json

from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .citations import date_from_csl, plain_text
from .exports import ris_name

# Zotero's "Embedded Metadata" translator reads the item type from this tag; without it, it takes
# a page with citation_journal_title for a journal article.
ZOTERO_ITEM_TYPE = "blogPost"


def highwire(item: dict, *, online: datetime.date | None = None) -> list[tuple[str, str]]:
    """Return the Highwire Press citation_* tags as (name, content) pairs, in Google Scholar's order.

    Authors are 'Last, First' (Google Scholar's inclusion guidelines accept it and it keeps
    particles and suffixes unambiguous); dates are YYYY/MM/DD.
    """
    tags = [("citation_title", plain_text(item["title"]))]
    tags += [("citation_author", ris_name(name)) for name in item.get("author", [])]
    issued = date_from_csl(item.get("issued"))
    if issued:
        tags.append(("citation_publication_date", f"{issued:%Y/%m/%d}"))
    if online:
        tags.append(("citation_online_date", f"{online:%Y/%m/%d}"))
    tags += [
        ("citation_journal_title", plain_text(item.get("container-title", ""))),
        ("citation_publisher", plain_text(item.get("publisher", ""))),
        ("citation_public_url", item["URL"]),
    ]
    return [(name, content) for name, content in tags if content]


def blog_posting(*, item: dict, authors: list[dict], published: datetime.datetime, modified: datetime.datetime,
                 publisher_url: str, blog_url: str, image: str = "", description: str = "") -> dict:
    """Return the schema.org BlogPosting of the article.

    `authors` are schema.org Person or Organization objects with their page's absolute URL.
    """
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": plain_text(item["title"]),
        "author": authors,
        "datePublished": timezone.localtime(published).isoformat(),
        "dateModified": timezone.localtime(modified).isoformat(),
        "publisher": {"@type": "Organization", "name": plain_text(item.get("publisher", "")), "url": publisher_url},
        "mainEntityOfPage": {"@type": "WebPage", "@id": item["URL"]},
        "url": item["URL"],
        "isPartOf": {"@type": "Blog", "name": plain_text(item.get("container-title", "")), "url": blog_url},
    }
    if description:
        data["description"] = description
    if image:
        data["image"] = image
    return data


# Characters that could end the <script> element or open a comment inside it, written as JSON
# escapes (as django.utils.html.json_script does; it cannot set type="application/ld+json").
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data: dict) -> SafeString:
    """Return data as a <script type="application/ld+json"> element, safe inside HTML."""
    text = json.dumps(data, ensure_ascii=False, indent=1).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def for_article(*, article, item: dict) -> dict:
    """Return the <head> metadata of an article page: Highwire tags, Zotero's item type, JSON-LD."""
    site = settings.SITE_URL
    authors = [
        {"@type": "Organization" if author.is_organization else "Person", "name": author.display_name,
         "url": site + author.get_absolute_url()}
        for author in article.credited_authors()
    ]
    # What shares show: the social image, else the lead image (absolute); the meta description, else the summary.
    image_url, _ = article.share_image()
    posting = blog_posting(
        item=item, authors=authors, published=article.published_at,
        modified=article.updated_at or article.published_at, publisher_url=site + "/",
        blog_url=site + article.blog.get_absolute_url(), image=image_url,
        description=article.meta_description or article.summary,
    )
    online = timezone.localdate(article.updated_at) if article.updated_at else None
    return {
        "highwire": highwire(item, online=online),
        "zotero_item_type": ZOTERO_ITEM_TYPE,
        "json_ld": json_ld_script(posting),
    }
