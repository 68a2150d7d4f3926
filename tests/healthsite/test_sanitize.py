"""The editorial allowlist (healthsite/sanitize.py): what it removes, what it keeps exactly."""

import io

import pytest
from django.core.management import call_command

from healthsite import sanitize
from articles.models import Article
from tests.adminforms import form_data
from tests.factories import ArticleFactory, AuthorFactory

ALLOWED = (
    "<h2>Why GABA matters</h2><h3>Sub</h3><h4>Subsub</h4>"
    "<p>Plain, <em>emphasis</em>, <strong>strong</strong>, <a href=\"https://example.org/study\" title=\"Study\">a link</a>"
    " and <a href=\"mailto:ann@example.org\">mail</a>.</p>"
    "<ul><li>one</li><li>two</li></ul><ol><li>first</li></ol>"
    "<blockquote><p>Quoted words.</p></blockquote>"
    "<figure><img src=\"/media/articles/2024/owl.jpg\" alt=\"An owl\" width=\"640\" height=\"480\">"
    "<figcaption>An owl at dusk.</figcaption></figure>"
)


def test_allowed_markup_survives_unchanged(settings):
    assert sanitize.article_html(ALLOWED) == ALLOWED


@pytest.mark.parametrize(
    "dirty, clean",
    [
        ("<p>Hi</p><script>alert('x')</script>", "<p>Hi</p>"),
        ("<p>Hi</p><SCRIPT type=\"text/javascript\">steal()</SCRIPT >", "<p>Hi</p>"),
        ('<p onclick="steal()" onmouseover="x()">Hi</p>', "<p>Hi</p>"),
        ('<img src="/media/a.jpg" alt="a" onerror="steal()">', '<img src="/media/a.jpg" alt="a">'),
        ('<a href="javascript:steal()">link</a>', "<a>link</a>"),
        ('<a href="JaVaScRiPt:steal()">link</a>', "<a>link</a>"),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">link</a>', "<a>link</a>"),
        ('<p>Video:</p><iframe src="https://video.example/embed"></iframe>', "<p>Video:</p>"),
        ('<p style="position:fixed;top:0">Hi</p>', "<p>Hi</p>"),
        ("<style>body { display: none }</style><p>Hi</p>", "<p>Hi</p>"),
        ("<h1>Title</h1><h5>Small</h5>", "Title\nSmall"),
        ('<object data="x.swf"></object><embed src="x.swf"><p>Hi</p>', "<p>Hi</p>"),
        ('<form action="https://evil.example/"><input name="pw"></form>', ""),
    ],
)
def test_dangerous_markup_is_removed(dirty, clean):
    assert sanitize.article_html(dirty) == clean


@pytest.mark.parametrize(
    "src",
    ["https://tracker.example/pixel.gif", "//evil.example/media/x.jpg", "http://127.0.0.1:8000.evil.example/media/x.jpg",
     "/static/../media/x.jpg", "/media/../admin/x.jpg", "data:image/png;base64,iVBORw0KGgo="],
)
def test_images_from_anywhere_but_the_sites_media_are_removed(src):
    html = f'<p>Look</p><figure><img src="{src}" alt="x"><figcaption>c</figcaption></figure>'
    assert sanitize.article_html(html) == "<p>Look</p><figure><figcaption>c</figcaption></figure>"


def test_images_from_the_sites_absolute_media_address_are_kept(settings):
    settings.SITE_URL = "https://www.example.org"
    html = '<img src="https://www.example.org/media/a.jpg" alt="a">'
    assert sanitize.article_html(html) == html


def test_images_from_a_media_host_are_kept_when_media_live_there(settings):
    settings.MEDIA_URL = "https://media.example.net/hs/"
    assert sanitize.article_html('<img src="https://media.example.net/hs/a.jpg" alt="">') == (
        '<img src="https://media.example.net/hs/a.jpg" alt="">')
    assert sanitize.article_html('<img src="/media/a.jpg" alt="">') == ""


def test_search_highlights_keep_only_mark():
    assert sanitize.highlight_html('a <mark>GABA</mark> <b>x</b> <script>y</script> &amp;') == "a <mark>GABA</mark> x y &amp;"


@pytest.mark.django_db
def test_body_is_sanitized_on_save():
    article = ArticleFactory(body='<p onclick="x()">Hi</p><script>alert(1)</script><iframe src="https://x"></iframe>')
    assert article.body_html == "<p>Hi</p>"


@pytest.mark.django_db
def test_what_the_admin_editor_sends_is_sanitized_before_it_is_stored(admin_client):
    article = ArticleFactory(body="<p>Old</p>")
    data = form_data(admin_client.get(f"/admin/articles/article/{article.pk}/change/").content)
    data["body"] = '<h2>New</h2><p style="color:red" onclick="x()">Text <a href="javascript:x()">l</a></p><script>x()</script>'
    assert admin_client.post(f"/admin/articles/article/{article.pk}/change/", data).status_code == 302
    article.refresh_from_db()
    assert article.body == article.body_html == "<h2>New</h2><p>Text <a>l</a></p>"


@pytest.mark.django_db
def test_resanitize_cleans_every_stored_body_and_bio_again():
    dirty = ArticleFactory(body="<p>Fine</p>")
    fine = ArticleFactory(body="<p>Fine too</p>")
    author = AuthorFactory(bio="<p>Bio</p>")
    # HTML stored under an older, looser allowlist:
    Article.objects.filter(pk=dirty.pk).update(body="<p>Fine</p><script>x()</script>", body_html="<p>Fine</p><script>x()</script>")
    type(author).objects.filter(pk=author.pk).update(bio_html='<p onclick="x()">Bio</p>')
    out = io.StringIO()
    call_command("resanitize", stdout=out)
    assert out.getvalue().strip() == "Article bodies: 1 of 2 changed. Author bios: 1 of 3 changed."
    dirty.refresh_from_db(), fine.refresh_from_db(), author.refresh_from_db()
    assert dirty.body_html == "<p>Fine</p>" and fine.body_html == "<p>Fine too</p>" and author.bio_html == "<p>Bio</p>"
    out = io.StringIO()
    call_command("resanitize", stdout=out)
    assert out.getvalue().strip() == "Article bodies: 0 of 2 changed. Author bios: 0 of 3 changed."
