"""What readers reach and read: topics, the index pages, the header's menu, feeds, wording, the author page."""

import datetime
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from PIL import Image

from articles.models import Topic
from authors.models import SocialLink
from tests.factories import ArticleFactory, AuthorFactory, BlogFactory

pytestmark = pytest.mark.django_db
NEW_YORK = datetime.timezone(datetime.timedelta(hours=-5))


def soup_of(client, url) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def topic(name, slug):
    return Topic.objects.create(name=name, slug=slug)


# Topics and the index pages

def test_article_page_and_cards_link_their_topics(client):
    article = ArticleFactory(title="Sleep after trauma")
    article.topics.add(topic("Sleep", "sleep"), topic("PTSD", "ptsd"))
    page = soup_of(client, article.get_absolute_url())
    assert [(a.get_text(), a["href"]) for a in page.select(".article-topics a")] == [
        ("PTSD", "/topics/ptsd/"), ("Sleep", "/topics/sleep/")]
    for url in ("/", article.blog.get_absolute_url(), "/topics/sleep/", "/search/?q=sleep"):
        card = soup_of(client, url).select_one(".card")
        assert [a["href"] for a in card.select(".topic-list a")] == ["/topics/ptsd/", "/topics/sleep/"], url


def test_topic_index_lists_topics_with_published_articles_and_their_counts(client):
    sleep, ptsd, empty = topic("Sleep", "sleep"), topic("PTSD", "ptsd"), topic("Unused", "unused")
    for _ in range(2):
        ArticleFactory().topics.add(sleep)
    ArticleFactory().topics.add(ptsd, sleep)
    ArticleFactory(status="draft").topics.add(empty, ptsd)
    page = soup_of(client, "/topics/")
    assert page.select_one("h1").get_text() == "Topics"
    assert [(li.select_one("h2 a").get_text(), li.select_one("h2 a")["href"], li.select_one(".card-meta").get_text())
            for li in page.select(".index-list li")] == [
        ("PTSD", "/topics/ptsd/", "1 article"), ("Sleep", "/topics/sleep/", "3 articles")]


def test_blog_and_author_indexes_list_those_with_published_articles(client):
    calm = BlogFactory(title="Calm", slug="calm", description="Quiet words.")
    BlogFactory(title="Empty", slug="empty")
    ann = AuthorFactory(display_name="Ann Archer", family_name="Archer", slug="ann", credentials="PhD")
    AuthorFactory(display_name="Nobody Yet", family_name="Yet", slug="nobody")
    ArticleFactory(blog=calm, authors=[ann])
    ArticleFactory(blog=calm, authors=[ann])
    blogs = soup_of(client, "/blogs/").select(".index-list li")
    assert [li.get_text(" ", strip=True) for li in blogs] == ["Calm Quiet words. 2 articles · RSS feed"]
    assert [a["href"] for a in blogs[0].select("a")] == ["/blogs/calm/", "/blogs/calm/feed/"]
    authors = soup_of(client, "/authors/").select(".index-list li")
    assert [li.get_text(" ", strip=True) for li in authors] == ["Ann Archer , PhD 2 articles"]


def test_sitemap_lists_the_indexes(client, settings):
    settings.SITE_URL = "https://www.example.org"
    ArticleFactory()
    sitemap = ET.fromstring(client.get("/sitemap.xml").content)
    locations = [url.findtext("{http://www.sitemaps.org/schemas/sitemap/0.9}loc") for url in sitemap]
    assert locations[-3:] == ["https://www.example.org/topics/", "https://www.example.org/blogs/",
                              "https://www.example.org/authors/"]


def test_header_menu_links_the_indexes_and_the_feed_on_every_page(client):
    article = ArticleFactory()
    for url in ("/", article.get_absolute_url(), "/topics/", "/search/", "/nowhere/"):
        response = client.get(url)
        menu = BeautifulSoup(response.content, "html.parser").select_one(".site-header details.site-menu")
        assert menu.select_one("summary").get_text() == "Menu"
        assert [(a.get_text(), a["href"]) for a in menu.select("nav a")] == [
            ("Topics", "/topics/"), ("Blogs", "/blogs/"), ("Authors", "/authors/"), ("RSS feed", "/feed/")]
        # The Main navigation keeps its links (and the reader's Log in), apart from the menu.
        assert [a.get_text() for a in BeautifulSoup(response.content, "html.parser").select(
            ".site-header nav[aria-label=Main] a")] == ["Latest", "Search", "Log in"]


# Feeds

def test_pages_name_their_feeds_and_home_links_its_feed(client):
    blog = BlogFactory(title="Calm", slug="calm")
    ann = AuthorFactory(display_name="Ann Archer", slug="ann")
    article = ArticleFactory(blog=blog, authors=[ann])

    def alternates(url):
        return [(link["title"], link["href"]) for link in
                soup_of(client, url).select('link[rel=alternate][type="application/rss+xml"]')]

    assert alternates(article.get_absolute_url()) == [
        ("HealthyPlace", "/feed/"), ("Calm", "/blogs/calm/feed/"), ("Ann Archer", "/authors/ann/feed/")]
    assert alternates("/blogs/calm/") == [("HealthyPlace", "/feed/"), ("Calm", "/blogs/calm/feed/")]
    assert [(a.get_text(), a["href"]) for a in soup_of(client, "/").select(".feed-link a")] == [
        ("RSS feed of the latest articles", "/feed/")]
    assert [a["href"] for a in soup_of(client, "/blogs/calm/").select(".feed-link a")] == ["/blogs/calm/feed/"]


def test_rss_description_is_escaped_once(client):
    ArticleFactory(summary="GABA, the brain's own \"calm\" & more <b>")
    ArticleFactory(summary="", body="<p>It's the brain&#x27;s &amp; the body&rsquo;s</p>")
    xml = client.get("/feed/").content.decode()
    assert "brain&amp;#x27;s" not in xml and "&amp;#x27;" not in xml
    items = ET.fromstring(xml).find("channel").findall("item")
    # As a feed reader gets them, after the XML: HTML with & and < escaped, quotes and apostrophes as typed.
    assert [item.findtext("description") for item in items] == [
        "It's the brain's &amp; the body’s", "GABA, the brain's own \"calm\" &amp; more &lt;b&gt;"]


# Wording

@pytest.mark.parametrize("count, words", [(1, "1 article matches “sleep”."), (2, "2 articles match “sleep”.")])
def test_search_counts_its_matches_in_good_english(client, count, words):
    for _ in range(count):
        ArticleFactory(title="Sleep well")
    assert soup_of(client, "/search/?q=sleep").select_one(".search-help").get_text() == words


def test_scheduled_preview_banner_ends_with_one_full_stop(admin_client, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 12, 0, tzinfo=NEW_YORK), tick=False)
    article = ArticleFactory(published_at=datetime.datetime(2026, 3, 3, 9, 30, tzinfo=NEW_YORK))
    banner = soup_of(admin_client, article.get_absolute_url()).select_one(".preview-banner")
    assert " ".join(banner.get_text().split()) == (
        "Draft preview · Scheduled: readers see it from 9:30 a.m. on March 3, 2026. Edit")


def test_cite_box_says_which_apa_to_use_for_a_paper(client):
    box = soup_of(client, ArticleFactory().get_absolute_url()).select_one(".cite-box")
    assert box.select_one(".cite-advice").get_text() == (
        "For a paper, use APA 7 below: it follows the APA Publication Manual (7th ed.), which names the blog and "
        "drops the retrieval date that the house APA Reference above keeps.")


# The author page and the bio

@pytest.fixture
def michele():
    author = AuthorFactory(display_name="Michele Rosenthal", slug="michele", bio=(
        '<p>Connect with her on <a href="https://www.linkedin.com/in/michele">LinkedIn</a> and '
        '<a href="https://www.healmyptsd.com/">her website</a>.</p>'))
    for position, (label, url) in enumerate([("LinkedIn", "https://www.linkedin.com/in/michele/"),
                                             ("Website", "https://www.healmyptsd.com"),
                                             ("Mastodon", "https://mastodon.social/@michele")]):
        SocialLink.objects.create(author=author, label=label, url=url, position=position)
    ArticleFactory(authors=[author])
    return author


def test_author_page_names_her_once_and_lists_only_the_links_her_bio_lacks(client, michele):
    page = soup_of(client, "/authors/michele/")
    main = page.select_one("main")
    assert [h.get_text() for h in main.select("h1")] == ["Michele Rosenthal"]
    assert main.select(".author-bio .author-name") == []
    assert [a.get_text() for a in main.select(".social-links a")] == ["Mastodon"]


def test_bio_under_an_article_links_her_page_and_no_social_link_twice(client, michele):
    bio = soup_of(client, michele.articles.get().get_absolute_url()).select_one(".author-bio")
    assert bio.select_one(".author-name a")["href"] == "/authors/michele/"
    assert [a.get_text() for a in bio.select("a")] == ["Michele Rosenthal", "LinkedIn", "her website", "Mastodon"]


def test_seed_bio_lists_no_social_link_a_second_time(client, demo):
    bio = soup_of(client, demo.get_absolute_url()).select_one(".author-bio")
    assert bio.select(".social-links") == []
    assert [a.get_text() for a in bio.select("a")] == [
        "Michele Rosenthal", "Your Life After Trauma: Powerful Practices to Reclaim Your Identity", "Google+",
        "LinkedIn", "Facebook", "Twitter", "her website"]


# The favicon

def test_every_page_links_the_sites_icon_and_favicon_ico_leads_to_it(client):
    for url in ("/", "/topics/", "/nowhere/"):
        icon = BeautifulSoup(client.get(url).content, "html.parser").select_one('link[rel="icon"]')
        assert (icon["href"], icon["type"]) == ("/static/favicon.svg", "image/svg+xml"), url
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/favicon.ico"
    assert "max-age=86400" in response["Cache-Control"]
    with Image.open(finders.find("favicon.ico")) as ico:
        assert ico.format == "ICO" and sorted(ico.info["sizes"]) == [(16, 16), (32, 32), (48, 48)]
    assert Path(finders.find("favicon.svg")).read_text().startswith('<svg xmlns="http://www.w3.org/2000/svg"')
