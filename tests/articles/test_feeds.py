"""RSS feeds, the sitemap and robots.txt: well-formed XML listing exactly the published articles."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, AuthorFactory, BlogFactory

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://www.example.org"
    ann, bob = AuthorFactory(slug="ann"), AuthorFactory(slug="bob")
    calm, loud = BlogFactory(slug="calm"), BlogFactory(slug="loud")
    return {
        "calm_ann": ArticleFactory(blog=calm, authors=[ann], title="Calm by Ann", summary="Breathing <slowly> & more"),
        "calm_bob": ArticleFactory(blog=calm, authors=[bob], title="Calm by Bob",
                                   published_at=timezone.now() - timedelta(days=3)),
        "loud_ann": ArticleFactory(blog=loud, authors=[ann, bob], title="Loud by Ann and Bob"),
        "draft": ArticleFactory(blog=calm, authors=[ann], title="Draft", status="draft"),
        "scheduled": ArticleFactory(blog=calm, authors=[ann], title="Scheduled",
                                    published_at=timezone.now() + timedelta(hours=1)),
    }


def rss_links(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    return [item.findtext("link") for item in channel.findall("item")]


@pytest.mark.parametrize(
    "url, expected",
    [
        ("/feed/", ["loud_ann", "calm_ann", "calm_bob"]),
        ("/blogs/calm/feed/", ["calm_ann", "calm_bob"]),
        ("/authors/ann/feed/", ["loud_ann", "calm_ann"]),
        ("/authors/bob/feed/", ["loud_ann", "calm_bob"]),
    ],
)
def test_feeds_list_exactly_the_published_articles_newest_first(client, site, url, expected):
    assert rss_links(client, url) == [site[key].canonical_url() for key in expected]


def test_feed_items_carry_title_summary_date_and_authors(client, site):
    channel = ET.fromstring(client.get("/blogs/calm/feed/").content).find("channel")
    assert channel.findtext("title").startswith(site["calm_ann"].blog.title)
    item = channel.find("item")
    assert item.findtext("title") == "Calm by Ann"
    # A description is HTML to feed readers: the plain-text summary arrives escaped, shown as typed.
    assert item.findtext("description") == "Breathing &lt;slowly&gt; &amp; more"
    assert item.findtext("pubDate")
    loud = ET.fromstring(client.get("/feed/").content).find("channel").find("item")
    assert "Jane Writer" in loud.findtext("{http://purl.org/dc/elements/1.1/}creator")


def test_unknown_blog_or_author_feed_is_404(client, site):
    assert client.get("/blogs/nope/feed/").status_code == 404
    assert client.get("/authors/nope/feed/").status_code == 404


def test_sitemap_lists_exactly_the_published_articles_with_lastmod(client, site):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urls = ET.fromstring(response.content).findall(f"{SITEMAP}url")
    locs = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in urls}
    articles = {loc for loc in locs if "/20" in loc}
    assert articles == {site[k].canonical_url() for k in ("calm_ann", "calm_bob", "loud_ann")}
    assert all(locs[loc] for loc in articles)
    # Archives with something published in them, with their addresses on SITE_URL.
    for path in ("/blogs/calm/", "/blogs/loud/", "/authors/ann/", "/authors/bob/"):
        assert "https://www.example.org" + path in locs


def test_sitemap_lastmod_is_the_later_of_publication_and_last_edit(client, site):
    article = site["calm_bob"]
    locs = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod")
            for u in ET.fromstring(client.get("/sitemap.xml").content).findall(f"{SITEMAP}url")}
    assert locs[article.canonical_url()] == timezone.localdate(article.modified_at).isoformat()
    assert article.modified_at > article.published_at


def test_robots_txt_points_at_the_sitemap(client, site):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: https://www.example.org/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
