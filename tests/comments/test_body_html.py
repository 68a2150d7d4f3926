"""A comment body is plain text: it shows exactly as typed, entities and markup included."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from healthsite import sanitize
from comments import demo
from comments.models import Comment
from tests.factories import CommentFactory


@pytest.mark.parametrize("typed, html", [
    ("AT&amp;T &lt;3", "<p>AT&amp;amp;T &amp;lt;3</p>"),
    ("<IMG SRC=&#106;avascript:alert(1)>", "<p>&lt;IMG SRC=&amp;#106;avascript:alert(1)&gt;</p>"),
    ("&nbsp;&copy &#x6A;", "<p>&amp;nbsp;&amp;copy &amp;#x6A;</p>"),
    ("Fish & chips < 5 > 4", "<p>Fish &amp; chips &lt; 5 &gt; 4</p>"),
    ("I'm \"fine\"", "<p>I'm \"fine\"</p>"),
])
def test_plain_text_is_shown_exactly_as_typed(typed, html):
    assert sanitize.comment_html(typed) == html


def test_links_keep_their_address_as_typed_and_the_house_rel():
    assert sanitize.comment_html("See https://example.org/?a=1&b=&lt;2") == (
        '<p>See <a href="https://example.org/?a=1&amp;b=&amp;lt;2" rel="nofollow ugc noopener">'
        "https://example.org/?a=1&amp;b=&amp;lt;2</a></p>"
    )


def test_paragraphs_and_line_breaks_are_kept():
    assert sanitize.comment_html("One &amp;\nline\r\n\r\nTwo") == "<p>One &amp;amp;<br>\nline</p>\n<p>Two</p>"


@pytest.mark.django_db
def test_entity_in_a_comment_shows_as_typed_on_the_page(client):
    comment = CommentFactory(body="AT&amp;T &lt;3")
    page = client.get(comment.article.get_absolute_url()).content.decode()
    assert "<p>AT&amp;amp;T &amp;lt;3</p>" in page


def test_seed_comments_make_the_same_html_as_before():
    # SHA-256 of the HTML the seed's five comments had before entities were escaped: same bytes.
    assert [hashlib.sha256(sanitize.comment_html(c["body"]).encode()).hexdigest() for c in demo.COMMENTS] == [
        "8048e4565461c39d0f110fcde3c5b20628e02f05a79882be450edd2a416478c3",
        "09476e873e9bb8e986af1ba40fd8166c370657482f911985446ca3937b55facb",
        "b8d9cf6a1828c5de8ab9094a543da6cb4c2a9e236969bb0a975efd3a2e37a054",
        "2e98401e101512fa95b2670f01942ec0df73f031cfd8cee0394c671b39bf95ee",
        "f22ce69a7b1ed7c5aca27adfc360ce2954b1bb7b2be880d5ab205fe4feccfa2f",
    ]


@pytest.mark.django_db
def test_rebuild_command_counts_on_a_dry_run_then_rebuilds_stored_html():
    stale = CommentFactory(body="AT&amp;T &lt;3")
    fresh = CommentFactory(body="Plain words")
    Comment.objects.filter(pk=stale.pk).update(body_html="<p>AT&amp;T &lt;3</p>")  # as the old code stored it
    out = StringIO()
    call_command("rebuild_comment_html", "--dry-run", stdout=out)
    assert out.getvalue().strip() == "Comment bodies: 1 of 2 would change."
    assert Comment.objects.get(pk=stale.pk).body_html == "<p>AT&amp;T &lt;3</p>"
    out = StringIO()
    call_command("rebuild_comment_html", stdout=out)
    assert out.getvalue().strip() == "Comment bodies: 1 of 2 changed."
    assert Comment.objects.get(pk=stale.pk).body_html == "<p>AT&amp;amp;T &amp;lt;3</p>"
    assert Comment.objects.get(pk=fresh.pk).body_html == "<p>Plain words</p>"


@pytest.mark.django_db
def test_rebuild_command_replaces_the_cached_page():
    comment = CommentFactory(body="AT&amp;T")
    Comment.objects.filter(pk=comment.pk).update(body_html="<p>AT&amp;T</p>")
    url = comment.article.get_absolute_url()
    Client().get(url)
    assert Client().get(url)["X-Page-Cache"] == "hit"
    call_command("rebuild_comment_html", stdout=StringIO())
    response = Client().get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "<p>AT&amp;amp;T</p>" in response.content.decode()
