"""The seed article's "Cite this article" box, its downloads and the citation metadata in <head>."""

import datetime
import json

import bibtexparser
import pytest
import rispy
from bs4 import BeautifulSoup
from bibtexparser import middlewares
from django.utils import timezone
from pylatexenc.latex2text import LatexNodes2Text

from articles import csl
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

SEED_URL = "http://127.0.0.1:8000/blogs/traumaptsdblog/2012/10/baclofen-in-ptsd-treatment/"
APA = "Rosenthal, M. (2012, October 24). Baclofen in PTSD Treatment. Trauma! A PTSD Blog. " + SEED_URL
MLA = "Rosenthal, Michele. “Baclofen in PTSD Treatment.” Trauma! A PTSD Blog, 24 Oct. 2012, " + SEED_URL + "."
CHICAGO = ("Rosenthal, Michele. 2012. “Baclofen in PTSD Treatment.” Trauma! A PTSD Blog, HealthyPlace, October 24. "
           + SEED_URL + ".")
# "This version": the seed as loaddemo recorded it, its v/1/, dated at its publication.
V1 = SEED_URL + "v/1/"
APA_V1, MLA_V1, CHICAGO_V1 = (text.replace(SEED_URL, V1) for text in (APA, MLA, CHICAGO))


@pytest.fixture
def soup(client, demo):
    response = client.get(demo.get_absolute_url())
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def meta(soup, name: str) -> list[str]:
    return [tag["content"] for tag in soup.head.find_all("meta", attrs={"name": name})]


def json_ld(soup) -> dict:
    [script] = soup.head.find_all("script", type="application/ld+json")
    return json.loads(script.string)


# The box

def test_cite_box_holds_apa_mla_and_chicago_as_citeproc_js_renders_them(soup):
    box = soup.select_one(".cite-box")
    assert box.h2.get_text() == "Cite this article"
    assert [h.get_text() for h in box.select("h3")] == ["APA 7", "MLA 9", "Chicago (author-date)", "This version"]
    assert [h.get_text() for h in box.select(".cite-version h4")] == ["APA 7", "MLA 9", "Chicago (author-date)"]
    assert [p.get_text() for p in box.select(".cite-text")] == [APA, MLA, CHICAGO, APA_V1, MLA_V1, CHICAGO_V1]


def test_cite_box_keeps_the_blog_name_in_italics(soup):
    italics = {p["id"]: [i.get_text() for i in p.find_all("i")] for p in soup.select(".cite-text")}
    assert italics == {f"cite{which}-{style}": ["Trauma! A PTSD Blog"]
                       for which in ("", "-version") for style in ("apa", "mla", "chicago")}


def test_copy_buttons_name_their_reference_and_wait_for_javascript(soup):
    buttons = soup.select(".cite-box button.cite-copy")
    assert [(b["data-copy"], b.get_text(), b.has_attr("hidden")) for b in buttons] == [
        ("cite-apa", "Copy APA 7", True), ("cite-mla", "Copy MLA 9", True),
        ("cite-chicago", "Copy Chicago (author-date)", True),
        ("cite-version-apa", "Copy APA 7 of this version", True), ("cite-version-mla", "Copy MLA 9 of this version", True),
        ("cite-version-chicago", "Copy Chicago (author-date) of this version", True),
    ]
    assert all(soup.find(id=b["data-copy"]) is not None for b in buttons)


def test_copy_script_is_a_static_file_and_the_page_has_no_inline_script(soup):
    scripts = soup.find_all("script")
    # The copy buttons' script, and the comment section's (it moves the focus to where a reader lands).
    assert [s.get("src") for s in scripts if s.get("src")] == ["/static/js/cite.js", "/static/js/comments.js"]
    inline = [s for s in scripts if not s.get("src")]
    assert [s["type"] for s in inline] == ["application/ld+json"]


def test_cite_box_links_the_three_downloads(soup):
    links = [(a.get_text(), a["href"], a.has_attr("download")) for a in soup.select(".cite-downloads a")]
    path = "/blogs/traumaptsdblog/2012/10/baclofen-in-ptsd-treatment/"
    assert links == [(label, f"{path}{where}cite.{ext}", True) for where in ("", "v/1/")
                     for label, ext in (("BibTeX", "bib"), ("RIS", "ris"), ("CSL-JSON", "json"))]


def test_house_apa_reference_stays_and_comes_before_the_cite_box(soup):
    today = timezone.localdate()
    assert soup.select_one(".apa-reference p").get_text() == (
        "Rosenthal, M. (2012, October 24). Baclofen in PTSD Treatment, HealthyPlace. "
        f"Retrieved on {today.year}, {today:%B} {today.day} from {SEED_URL}"
    )
    text = soup.find("main").get_text()
    assert text.index("APA Reference") < text.index("Author: Michele Rosenthal") < text.index("Cite this article")


def test_static_cite_js_copies_html_and_plain_text():
    from django.contrib.staticfiles import finders

    script = open(finders.find("js/cite.js"), encoding="utf-8").read()
    assert '"text/html": new Blob([html]' in script and '"text/plain": new Blob([text]' in script
    assert "button.hidden = false" in script


def test_cjk_author_and_a_title_with_markup_in_every_citation_of_the_page(client, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 23, 15, 0, tzinfo=datetime.UTC), tick=False)
    author = AuthorFactory(given_names="小龙", family_name="李", display_name="李小龙")
    article = ArticleFactory(authors=[author], title="Reading <i>Moby Dick</i> in therapy",
                             published_at=datetime.datetime(2021, 3, 15, 14, 0, tzinfo=datetime.UTC))
    url = article.canonical_url()
    soup = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    assert soup.select_one(".apa-reference p").get_text() == (
        f"李小龙. (2021, March 15). Reading <i>Moby Dick</i> in therapy, HealthyPlace. "
        f"Retrieved on 2026, November 23 from {url}"
    )
    assert [p.get_text().split(f" {article.blog.title}")[0] for p in soup.select(".cite-text")][:3] == [
        "李小龙. (2021, March 15). Reading <i>Moby Dick</i> in therapy.",
        "李小龙. “Reading <i>Moby Dick</i> in Therapy.”",
        "李小龙. 2021. “Reading <i>Moby Dick</i> in Therapy.”",
    ]
    assert [[i.get_text() for i in p.find_all("i")] for p in soup.select(".cite-text")][:3] == [[article.blog.title]] * 3
    assert meta(soup, "citation_title") == [article.title]
    assert meta(soup, "citation_author") == ["李, 小龙"]
    assert json_ld(soup)["headline"] == article.title
    bib = client.get(article.get_absolute_url() + "cite.bib").content.decode()
    assert bib.startswith("@misc{李2021reading,\n")
    assert "  title = {{Reading} {\\textless}i{\\textgreater}{Moby} {Dick}{\\textless}/i{\\textgreater} in therapy},\n" in bib


# Today's date, every day

def test_access_date_is_today_in_the_site_time_zone_at_every_render(client, time_machine):
    author = AuthorFactory(given_names="Michele", family_name="Rosenthal")
    article = ArticleFactory(authors=[author], published_at=timezone.datetime(2012, 10, 24, 9, tzinfo=datetime.UTC))
    url = article.get_absolute_url() + "cite.ris"
    # 03:00 UTC on November 24 is still November 23 in New York.
    time_machine.move_to(datetime.datetime(2026, 11, 24, 3, 0, tzinfo=datetime.UTC), tick=False)
    assert "Y2  - 2026/11/23\r\n" in client.get(url).content.decode()
    time_machine.move_to(datetime.datetime(2026, 11, 25, 3, 0, tzinfo=datetime.UTC), tick=False)
    assert "Y2  - 2026/11/24\r\n" in client.get(url).content.decode()


def test_cached_rendering_never_serves_yesterdays_date(client, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 23, 15, 0, tzinfo=datetime.UTC), tick=False)
    author = AuthorFactory(given_names="Michele", family_name="Rosenthal")
    article = ArticleFactory(authors=[author], published_at=datetime.datetime(2026, 11, 2, 14, 0, tzinfo=datetime.UTC))
    first = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    time_machine.move_to(datetime.datetime(2026, 11, 24, 15, 0, tzinfo=datetime.UTC), tick=False)
    second = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    assert "Retrieved on 2026, November 23" in first.select_one(".apa-reference p").get_text()
    assert "Retrieved on 2026, November 24" in second.select_one(".apa-reference p").get_text()
    assert csl.render_all(article.csl_item(accessed=datetime.date(2026, 11, 23))) is not csl.render_all(
        article.csl_item(accessed=datetime.date(2026, 11, 24)))


# Downloads

@pytest.mark.parametrize("ext, content_type", [
    ("bib", "application/x-bibtex; charset=utf-8"),
    ("ris", "application/x-research-info-systems; charset=utf-8"),
    ("json", "application/vnd.citationstyles.csl+json; charset=utf-8"),
])
def test_download_has_its_content_type_and_file_name(client, demo, ext, content_type):
    response = client.get(demo.get_absolute_url() + f"cite.{ext}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="baclofen-in-ptsd-treatment.{ext}"'


def test_bib_download_imports_with_the_articles_fields(client, demo):
    text = client.get(demo.get_absolute_url() + "cite.bib").content.decode()
    library = bibtexparser.parse_string(
        text, append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()])
    [entry] = library.entries
    assert LatexNodes2Text().latex_to_text(entry["title"]) == demo.title
    assert [(n.last, n.first) for n in entry["author"]] == [(["Rosenthal"], ["Michele"])]
    assert (entry["year"], entry["date"], entry["url"]) == ("2012", "2012-10-24", SEED_URL)
    assert entry["howpublished"] == demo.blog.title
    assert entry["urldate"] == timezone.localdate().isoformat()


def test_ris_download_imports_with_the_articles_fields(client, demo):
    [record] = rispy.loads(client.get(demo.get_absolute_url() + "cite.ris").content.decode())
    assert (record["type_of_reference"], record["title"], record["authors"]) == (
        "BLOG", demo.title, ["Rosenthal, Michele"])
    assert (record["date"], record["urls"], record["secondary_title"]) == ("2012/10/24", [SEED_URL], demo.blog.title)
    assert record["access_date"] == f"{timezone.localdate():%Y/%m/%d}"


def test_json_download_is_the_pages_csl_json(client, demo):
    [data] = json.loads(client.get(demo.get_absolute_url() + "cite.json").content)
    assert data == demo.csl_item()
    assert data["issued"] == {"date-parts": [[2012, 10, 24]]}
    assert (data["title"], data["URL"], data["container-title"]) == (demo.title, SEED_URL, "Trauma! A PTSD Blog")


def test_downloads_of_drafts_and_unknown_formats_are_not_found(client):
    draft = ArticleFactory(status="draft")
    assert client.get(draft.get_absolute_url() + "cite.bib").status_code == 404
    public = ArticleFactory()
    assert client.get(public.get_absolute_url() + "cite.bib").status_code == 200
    assert client.get(public.get_absolute_url() + "cite.xml").status_code == 404


# Metadata in <head>

def test_highwire_tags_describe_the_seed_article(soup):
    assert meta(soup, "citation_title") == ["Baclofen in PTSD Treatment"]
    assert meta(soup, "citation_author") == ["Rosenthal, Michele"]
    assert meta(soup, "citation_publication_date") == ["2012/10/24"]
    assert meta(soup, "citation_online_date") == []
    assert meta(soup, "citation_journal_title") == ["Trauma! A PTSD Blog"]
    assert meta(soup, "citation_publisher") == ["HealthyPlace"]
    assert meta(soup, "citation_public_url") == [SEED_URL]
    assert meta(soup, "z:itemType") == ["blogPost"]


def test_highwire_has_one_author_tag_per_author_and_the_online_date_when_updated(client):
    authors = [AuthorFactory(given_names="Vincent Willem", family_name="van Gogh"),
               AuthorFactory(given_names="Martin Luther", family_name="King", name_suffix="Jr."),
               AuthorFactory(display_name="National Center for PTSD", is_organization=True)]
    article = ArticleFactory(authors=authors, updated_at=timezone.datetime(2020, 5, 1, 12, tzinfo=datetime.UTC))
    soup = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    assert meta(soup, "citation_author") == [
        "van Gogh, Vincent Willem", "King, Martin Luther, Jr.", "National Center for PTSD"]
    assert meta(soup, "citation_online_date") == ["2020/05/01"]
    assert json_ld(soup)["dateModified"] == "2020-05-01T08:00:00-04:00"


def test_json_ld_is_a_blog_posting_of_the_seed_article(soup):
    assert json_ld(soup) == {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": "Baclofen in PTSD Treatment",
        "author": [{"@type": "Person", "name": "Michele Rosenthal",
                    "url": "http://127.0.0.1:8000/authors/michele-rosenthal/"}],
        "datePublished": "2012-10-24T09:00:00-04:00",
        "dateModified": "2012-10-24T09:00:00-04:00",
        "publisher": {"@type": "Organization", "name": "HealthyPlace", "url": "http://127.0.0.1:8000/"},
        "mainEntityOfPage": {"@type": "WebPage", "@id": SEED_URL},
        "url": SEED_URL,
        "isPartOf": {"@type": "Blog", "name": "Trauma! A PTSD Blog",
                     "url": "http://127.0.0.1:8000/blogs/traumaptsdblog/"},
        "description": "A study of baclofen in PTSD points at GABA, the brain's own calming neurotransmitter, "
                       "and at safe ways to increase it without the drug.",
    }


def test_a_title_cannot_close_the_json_ld_script_or_inject_markup(client):
    article = ArticleFactory(title='</script><script>alert("x")</script> & <b>more</b>')
    html = client.get(article.get_absolute_url()).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert json_ld(soup)["headline"] == article.title
    assert "\\u003C/script\\u003E" in html
    assert "<b>more</b>" not in html
    assert soup.find_all("script", src=False, type=lambda t: t != "application/ld+json") == []
    assert meta(soup, "citation_title") == [article.title]
    # Literal text, title-cased in MLA as citeproc-js does it (a word after "/" is a word).
    assert '“</Script><script>alert(‘x’)</Script> & <b>More</b>.”' in soup.select_one("#cite-mla").get_text()
    assert soup.select_one("#cite-mla").find("b") is None
