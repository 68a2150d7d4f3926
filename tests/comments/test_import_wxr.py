"""manage.py import_wxr: a WordPress export becomes articles, authors, topics, comment threads and redirects."""

import datetime
import io

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command
from PIL import Image

from articles.models import Article, Blog, ImportedItem, Redirect, Topic
from authors.models import Author
from comments import tree
from comments.models import Comment
from tests.factories import AuthorFactory, BlogFactory, UserFactory
from tests.wxrfile import BILLION_LAUGHS, EXTERNAL_ENTITY, C, P, export

UTC = datetime.timezone.utc
NOW = datetime.datetime(2026, 1, 15, 12, 0, tzinfo=UTC)

BODY = (
    "<!--more-->Trauma changes how we sleep.\nSome of us wake at night.\n\n"
    '[caption id="attachment_7" align="aligncenter" width="300"]'
    '<img src="http://old.example.com/wp-content/uploads/2012/10/lake.jpg" alt="A calm lake" width="300" /> '
    "A calm lake[/caption]\n\n"
    "<h2>What helps</h2>\nSleep hygiene.\n\n<script>alert(1)</script>"
    '<img src="http://old.example.com/wp-content/uploads/2012/10/gone.jpg" alt="Gone" />'
)


def deep_chain(first: int, depth: int) -> list[C]:
    """A thread `depth` replies deep: first <- first+1 <- ... (each replying to the one before)."""
    return [C(first + i, parent=first + i - 1 if i else 0, content=f"Level {i}", author=f"Deep {i}",
              date_gmt=f"2013-02-01 10:{i:02d}:00") for i in range(depth)]


def full_export(**kwargs) -> str:
    comments = [
        C(100, "First!\n\nSecond paragraph of it.", author="Sam"),
        C(101, "A reply to Sam.", parent=100, author="Ann", date_gmt="2013-01-03 10:00:00"),
        C(102, "Pending reply.", parent=101, approved="0", author="Bob", date_gmt="2013-01-04 10:00:00"),
        C(103, "Buy pills", approved="spam", author="Spammer", date_gmt="2013-01-05 10:00:00"),
        C(104, "I take it back.", approved="trash", author="Cam", date_gmt="2013-01-06 10:00:00"),
        C(105, "Still worth reading.", parent=104, author="Dee", date_gmt="2013-01-07 10:00:00"),
        C(106, "Linked from elsewhere", type="pingback", author="Other blog"),
        C(107, "Tracked back", type="trackback", author="Another blog"),
        C(108, "Replying to a lost comment.", parent=999, author="", date_gmt="2013-01-08 10:00:00"),
        C(109, "Under the spam.", parent=103, author="Eve", date_gmt="2013-01-09 10:00:00"),
        *deep_chain(110, 10),
    ]
    return export(
        P(10, title="Sleep after trauma", name="sleep-after-trauma", content=BODY, excerpt="How <em>sleep</em> changes.",
          categories=[("category", "trauma", "Trauma"), ("category", "sleep", "Sleep"), ("post_tag", "insomnia", "Insomnia")],
          comments=comments),
        P(11, title="Coming soon", status="future", date_gmt="2030-01-01 14:00:00", date="2030-01-01 09:00:00"),
        P(12, title="Unfinished", status="draft", date_gmt="0000-00-00 00:00:00", date="2014-03-01 09:00:00", name=""),
        P(13, title="Waiting for review", status="pending"),
        P(14, title="Private thoughts", status="private"),
        P(15, title="Members only", password="s3cret"),
        P(16, title="", content=""),
        P(17, title="Thrown away", status="trash"),
        P(18, title="Blocks", content="<!-- wp:paragraph -->\n<p>Block text.</p>\n<!-- /wp:paragraph -->",
          categories=[("category", "sleep", "Sleep")]),
        P(20, title="About", type="page", comments=[C(300)]),
        P(21, title="lake", type="attachment"),
        P(22, title="Home", type="nav_menu_item"),
        **kwargs,
    )


@pytest.fixture
def run(tmp_path):
    """Write an export and import it; return the command's output (report on stdout, progress on stderr)."""
    def go(text, *args, name="export.xml"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        call_command("import_wxr", str(path), *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()
    return go


@pytest.fixture
def media_dir(tmp_path):
    """The old uploads folder, with one picture (carrying EXIF and GPS data) and nothing else."""
    folder = tmp_path / "uploads" / "2012" / "10"
    folder.mkdir(parents=True)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {1: "N", 2: (40.0, 26.0, 46.0)}  # GPS
    Image.new("RGB", (1000, 600), "steelblue").save(folder / "lake.jpg", "JPEG", exif=exif)
    return tmp_path / "uploads"


def comment(wp_id) -> Comment:
    item = ImportedItem.objects.get(kind="comment", wp_id=str(wp_id))
    return Comment.objects.get(pk=item.object_id)


def article(wp_id) -> Article:
    return Article.objects.get(pk=ImportedItem.objects.get(kind="post", wp_id=str(wp_id)).object_id)


@time_machine.travel(NOW, tick=False)
def test_posts_become_articles_with_their_status_dates_blog_and_topics(db, run):
    run(full_export())

    sleep = article(10)
    assert (sleep.title, sleep.slug, sleep.blog.slug, sleep.blog.title) == (
        "Sleep after trauma", "sleep-after-trauma", "trauma", "Trauma")
    assert sleep.blog.description == "Living after trauma."
    assert sorted(t.slug for t in sleep.topics.all()) == ["insomnia", "sleep"]
    assert sleep.summary == "How sleep changes."
    assert sleep.published_at == datetime.datetime(2012, 10, 24, 13, 0, tzinfo=UTC)
    assert sleep.is_public() and sleep.comments_enabled
    assert [a.display_name for a in sleep.credited_authors()] == ["Michele Rosenthal"]
    author = Author.objects.get(display_name="Michele Rosenthal")
    assert (author.given_names, author.family_name, author.slug, author.user) == ("Michele", "Rosenthal",
                                                                                   "michele-rosenthal", None)
    assert article(11).is_scheduled()
    assert article(11).published_at == datetime.datetime(2030, 1, 1, 14, 0, tzinfo=UTC)
    draft = article(12)
    assert draft.status == "draft" and draft.slug == "unfinished"
    # No GMT date: the local post_date, in the site's time zone (New York, EST in March).
    assert draft.published_at == datetime.datetime(2014, 3, 1, 14, 0, tzinfo=UTC)
    assert [article(n).status for n in (13, 14, 15)] == ["draft", "draft", "draft"]
    assert article(18).blog.slug == "sleep" and article(18).body_html == "<p>Block text.</p>"
    assert Article.objects.count() == 7
    assert not ImportedItem.objects.filter(kind="post", wp_id__in=["16", "17", "20", "21", "22"]).exists()


def test_body_keeps_wordpress_paragraphs_and_figures_through_the_allowlist(db, run):
    run(full_export())

    body = article(10).body_html
    assert body.startswith("<p>Trauma changes how we sleep.<br>\nSome of us wake at night.</p>\n<figure>")
    assert "<figcaption>A calm lake</figcaption></figure>" in body
    assert "<h2>What helps</h2>\n<p>Sleep hygiene.</p>" in body
    assert "<script" not in body and "alert(1)" not in body
    assert "<img" not in body  # neither picture was found: no --media-dir


def test_images_found_in_the_media_folder_are_stored_stripped_with_renditions(db, run, media_dir, settings):
    out, _ = run(full_export(), "--media-dir", str(media_dir))

    soup = BeautifulSoup(article(10).body_html, "html.parser")
    images = soup.find_all("img")
    assert [(i["src"], i["width"], i["height"], i["alt"]) for i in images] == [
        ("/media/renditions/articles/imported/old-example-com/2012/10/lake-800w.jpg", "800", "480", "A calm lake")]
    stored = settings.MEDIA_ROOT / "articles/imported/old-example-com/2012/10/lake.jpg"
    with Image.open(stored) as picture:
        assert picture.size == (1000, 600) and not picture.getexif()
    renditions = sorted(p.name for p in (settings.MEDIA_ROOT / "renditions/articles/imported/old-example-com/2012/10").iterdir())
    assert renditions == ["lake-1000w.jpg", "lake-1000w.webp", "lake-480w.jpg", "lake-480w.webp", "lake-800w.jpg",
                          "lake-800w.webp"]
    assert "Images: imported 1, already here 0, not found 1, refused 0" in out
    assert (f"  - image http://old.example.com/wp-content/uploads/2012/10/gone.jpg in post 10 “Sleep after trauma”: "
            f"not in {media_dir}") in out

    again, _ = run(full_export(), "--media-dir", str(media_dir))
    assert "Images: imported 0, already here 1, not found 1, refused 0" in again


def test_a_file_that_is_not_a_picture_is_refused_and_dropped(db, run, media_dir):
    (media_dir / "2012/10/gone.jpg").write_bytes(b"not a picture")

    out, _ = run(full_export(), "--media-dir", str(media_dir))

    assert "Images: imported 1, already here 0, not found 0, refused 1" in out
    assert "gone.jpg in post 10 “Sleep after trauma”: This file is not an image." in out
    assert len(BeautifulSoup(article(10).body_html, "html.parser").find_all("img")) == 1


def test_comments_keep_their_threads_statuses_and_posters(db, run):
    run(full_export())

    assert (comment(100).status, comment(100).parent, comment(100).level) == ("approved", None, 0)
    assert comment(101).parent == comment(100) and comment(102).parent == comment(101)
    assert [comment(n).status for n in (101, 102, 103, 105, 109)] == ["approved", "pending", "spam", "approved", "approved"]
    assert (comment(104).status, comment(104).is_removed) == ("approved", True)
    assert comment(105).parent == comment(104) and comment(109).parent == comment(103)
    assert comment(108).parent is None  # its parent 999 is not in the export
    first = comment(100)
    assert (first.name, first.email, str(first.ip_address), first.user) == ("Sam", "sam@example.com", "192.0.2.7", None)
    assert first.created_at == datetime.datetime(2013, 1, 2, 10, 0, tzinfo=UTC)
    assert first.body == "First!\n\nSecond paragraph of it."
    assert first.body_html == "<p>First!</p>\n<p>Second paragraph of it.</p>"
    assert not ImportedItem.objects.filter(kind="comment", wp_id__in=["106", "107", "300"]).exists()
    assert Comment.objects.count() == 18
    assert tree.problems() == []
    out = io.StringIO()
    call_command("check_comment_tree", stdout=out)
    assert out.getvalue().strip() == "The comment tree is consistent (18 comments)."


def test_replies_deeper_than_the_maximum_attach_to_the_deepest_allowed_ancestor(db, run, settings):
    assert settings.COMMENTS_MAX_DEPTH == 5
    run(full_export())

    assert [comment(n).level for n in range(110, 120)] == [0, 1, 2, 3, 4, 4, 4, 4, 4, 4]
    assert all(comment(n).parent == comment(113) for n in range(114, 120))
    # Siblings keep their order: oldest first.
    assert [c.pk for c in comment(113).get_children()] == [comment(n).pk for n in range(114, 120)]


def test_the_article_page_shows_imported_threads_by_the_sites_rules(db, run, client):
    run(full_export())

    response = client.get(article(10).get_absolute_url())

    assert response.status_code == 200
    section = BeautifulSoup(response.content, "html.parser")
    first, reply = section.find(id=f"comment-{comment(100).pk}"), section.find(id=f"comment-{comment(101).pk}")
    assert reply in first.find_all("article")  # nested inside its parent's element
    assert first.header.b.text == "Sam (not verified)"
    assert section.find(id=f"comment-{comment(108).pk}").header.b.text == "Anonymous (not verified)"
    assert reply.find(class_="irt").text == "In reply to by Sam (not verified)"
    removed = section.find(id=f"comment-{comment(104).pk}")
    assert removed.find(class_="removed").text == "This comment was removed."
    assert section.find(id=f"comment-{comment(105).pk}") in removed.find_all("article")
    assert section.find(id=f"comment-{comment(103).pk}").find(class_="removed").text == "This comment was removed."
    assert section.find(id=f"comment-{comment(102).pk}") is None  # pending: nobody else sees it
    assert "Buy pills" not in response.content.decode()


def test_comments_date_from_local_time_when_the_gmt_one_is_zero(db, run):
    run(export(P(10, comments=[C(100, date_gmt="0000-00-00 00:00:00", date="2013-07-04 08:30:00")])))

    assert comment(100).created_at == datetime.datetime(2013, 7, 4, 12, 30, tzinfo=UTC)  # EDT


@time_machine.travel(NOW, tick=False)
def test_report_names_every_count_and_every_item_left_out(db, run):
    out, err = run(full_export())

    lines = out.splitlines()
    assert lines[:-1] == [
        "WordPress export of old.example.com (WXR 1.2)",
        "Posts: 7 (created 7, updated 0, unchanged 0); published 2, scheduled 1, draft 4",
        "Authors: created 1, matched to existing authors 0",
        "Blogs created: 2; topics created: 2",
        "Comments: 18 (created 18, updated 0, unchanged 0); approved 15, pending 1, spam 1, removed 1",
        "Pingbacks and trackbacks skipped: 2; comments on items not imported: 1",
        "Images: imported 0, already here 0, not found 2, refused 0",
        "Redirects: created 14, already here 0",
        "Not articles: pages 1, attachments 1, menu items 1",
        "Notes (3):",
        "  - comment 108 on post 10 “Sleep after trauma”: replies to comment 999, which is not imported: "
        "attached to the article",
        "  - post 14 “Private thoughts”: private on the old site: imported as a draft",
        "  - post 15 “Members only”: password-protected on the old site: imported as a draft",
        "Skipped (4):",
        "  - image http://old.example.com/wp-content/uploads/2012/10/lake.jpg in post 10 “Sleep after trauma”: "
        "no --media-dir given",
        "  - image http://old.example.com/wp-content/uploads/2012/10/gone.jpg in post 10 “Sleep after trauma”: "
        "no --media-dir given",
        "  - post 16 (line 61): empty: no title and no text",
        "  - post 17 “Thrown away”: in the trash on the old site",
    ]
    assert lines[-1].startswith("Done in ")
    assert err.splitlines() == [f"Imported {n} of 12 items ({n * 100 // 12 // 10 * 10}%)" for n in
                                (2, 3, 4, 5, 6, 8, 9, 10, 11, 12)]


def test_importing_again_creates_nothing_twice_and_updates_what_changed(db, run):
    run(full_export())
    counts = (Article.objects.count(), Author.objects.count(), Blog.objects.count(), Topic.objects.count(),
              Comment.objects.count(), Redirect.objects.count(), ImportedItem.objects.count())
    sleep, first = article(10), comment(100)

    out, _ = run(full_export())

    assert (Article.objects.count(), Author.objects.count(), Blog.objects.count(), Topic.objects.count(),
            Comment.objects.count(), Redirect.objects.count(), ImportedItem.objects.count()) == counts
    assert "Posts: 7 (created 0, updated 0, unchanged 7)" in out
    assert "Comments: 18 (created 0, updated 0, unchanged 18)" in out
    assert "Redirects: created 0, already here 14" in out
    assert article(10).pk == sleep.pk and comment(100).pk == first.pk

    changed = full_export().replace("Sleep after trauma", "Sleep after trauma, revised").replace(
        "A reply to Sam.", "A reply to Sam, edited.").replace(
        "</item>", C(400, "A new reply to Ann.", parent=101, author="Fay", date_gmt="2013-03-01 10:00:00").xml()
        + "</item>", 1)
    out, _ = run(changed)

    assert "Posts: 7 (created 0, updated 1, unchanged 6)" in out
    assert "Comments: 19 (created 1, updated 1, unchanged 17)" in out
    assert article(10).title == "Sleep after trauma, revised" and article(10).pk == sleep.pk
    assert comment(101).body == "A reply to Sam, edited."
    assert comment(400).parent == comment(101) and comment(400).level == 2
    assert Comment.objects.count() == 19
    assert tree.problems() == []


def test_local_edits_stay_while_the_export_is_unchanged(db, run):
    run(full_export())
    sleep = article(10)
    sleep.title = "Edited here"
    sleep.save()

    run(full_export())

    assert article(10).title == "Edited here"


def test_a_comment_posted_here_keeps_its_place_when_the_import_runs_again(db, run):
    run(full_export())
    local = Comment(article=article(10), parent=comment(101), name="Here", body="Posted on the new site.",
                    status="approved")
    local.save()

    run(full_export().replace("</item>", C(401, "Late reply.", parent=100, date_gmt="2013-03-02 10:00:00").xml()
                              + "</item>", 1))

    local.refresh_from_db()
    assert local.parent == comment(101) and local.is_descendant_of(comment(100))
    assert comment(401).parent == comment(100)
    assert tree.problems() == []


def test_dry_run_reports_and_writes_nothing(db, run, media_dir, settings):
    out, _ = run(full_export(), "--dry-run", "--media-dir", str(media_dir))

    assert out.splitlines()[0] == "Dry run: nothing was written. This is what the import would do:"
    assert "Posts: 7 (created 7, updated 0, unchanged 0)" in out
    assert "Images: imported 1, already here 0, not found 1, refused 0" in out
    assert (Article.objects.count(), Author.objects.count(), Blog.objects.count(), Comment.objects.count(),
            Redirect.objects.count(), ImportedItem.objects.count()) == (0, 0, 0, 0, 0, 0)
    assert not (settings.MEDIA_ROOT / "articles").exists()


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
@pytest.mark.parametrize("scheme", ["http", "https"])
def test_every_version_in_both_namespaces_imports(db, run, version, scheme):
    out, _ = run(full_export(version=version, scheme=scheme))

    assert f"WordPress export of old.example.com (WXR {version})" in out
    assert Article.objects.count() == 7 and Comment.objects.count() == 18
    # WXR 1.0 lists no authors: the post's dc:creator names one.
    expected = "mrosen" if version == "1.0" else "Michele Rosenthal"
    assert [a.display_name for a in Author.objects.all()] == [expected]


def test_blog_option_puts_every_post_in_one_blog_and_every_category_in_topics(db, run):
    BlogFactory(slug="moving-in", title="Moving in")

    run(full_export(), "--blog", "moving-in")

    assert set(Article.objects.values_list("blog__slug", flat=True)) == {"moving-in"}
    assert sorted(article(10).topics.values_list("slug", flat=True)) == ["insomnia", "sleep", "trauma"]
    assert Blog.objects.count() == 1


def test_existing_authors_are_matched_by_display_name_or_login(db, run):
    existing = AuthorFactory(display_name="Michele Rosenthal")
    account = AuthorFactory(display_name="J. Doe", user=UserFactory(username="jdoe"))

    out, _ = run(export(P(10), P(11, creator="jdoe"),
                        authors=[("mrosen", "Michele Rosenthal", "Michele", "Rosenthal"), ("jdoe", "Jo Doe", "", "")]))

    assert article(10).credited_authors() == [existing]
    assert article(11).credited_authors() == [account]
    assert "Authors: created 0, matched to existing authors 2" in out
    assert Author.objects.count() == 2


def test_old_addresses_answer_301_with_the_article(db, run, client):
    run(full_export())
    url = article(10).get_absolute_url()

    assert url == "/blogs/trauma/2012/10/sleep-after-trauma/"
    for old in ("/2012/10/sleep-after-trauma/", "/2012/10/sleep-after-trauma", "/?p=10"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, url), old
    assert client.get("/?p=12").status_code == 200  # a draft's old address: the home page, no redirect
    assert client.get("/2012/10/unfinished/").status_code == 404
    assert client.get("/2012/10/no-such-post/").status_code == 404
    assert client.get("/?p=99999").status_code == 200


def test_old_addresses_of_a_site_in_a_folder_answer_301(db, run, client):
    run(export(P(10, title="In a folder"), site="http://old.example.com/blog"))
    url = article(10).get_absolute_url()

    assert client.get("/blog/2012/10/in-a-folder/")["Location"] == url
    response = client.get("/blog/?p=10")
    assert (response.status_code, response["Location"]) == (301, url)


def test_malformed_file_stops_with_its_line_number_and_writes_nothing(db, run):
    text = full_export().replace("<title><![CDATA[Blocks]]></title>", "<title><![CDATA[Blocks]]></titel>")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "</titel>" in row)

    with pytest.raises(CommandError) as refused:
        run(text)

    assert f"export.xml: line {line}: Opening and ending tag mismatch" in str(refused.value)
    assert str(refused.value).endswith("Nothing was imported.")
    assert (Article.objects.count(), Comment.objects.count(), Author.objects.count()) == (0, 0, 0)


@pytest.mark.parametrize("head,entity", [(EXTERNAL_ENTITY, "&secret;"), (BILLION_LAUGHS, "&lol9;")])
def test_hostile_files_are_refused_and_nothing_of_them_is_stored(db, run, head, entity):
    text = full_export().replace("First!", f"First! {entity}").replace(
        "<title><![CDATA[Sleep after trauma]]></title>", f"<title>{entity}</title>")

    with pytest.raises(CommandError) as refused:
        run(text.replace("?>\n", "?>\n" + head, 1))

    assert "declares a DOCTYPE" in str(refused.value)
    assert "root:" not in str(refused.value)
    assert (Article.objects.count(), Comment.objects.count(), Author.objects.count()) == (0, 0, 0)
    stored = [*Article.objects.values_list("body", "body_html", "title"), *Comment.objects.values_list("body")]
    assert not any("root:" in value for row in stored for value in row)


def test_pending_comments_in_crisis_language_go_first_in_the_moderation_queue(db, run):
    run(export(P(10, comments=[C(100, "I want to kill myself", approved="0"), C(101, "I want to kill myself"),
                               C(102, "Thank you", approved="0")])))

    assert [comment(n).urgent for n in (100, 101, 102)] == [True, False, False]
    assert list(Comment.objects.moderation_queue()) == [comment(100), comment(102)]


def test_dosing_advice_is_flagged_and_noted_and_keeps_the_exports_status(db, run, client, settings):
    run(export(P(10, comments=[C(200, "I take 10 mg 3 times a day and it helps."), C(201, "Thank you for this."),
                               C(202, "Split a pill in half at night.", approved="0")])))

    assert [(comment(n).dosing, comment(n).status) for n in (200, 201, 202)] == [
        (True, "approved"), (False, "approved"), (True, "pending")]
    page = BeautifulSoup(client.get(article(10).get_absolute_url()).content, "html.parser")
    notes = [note.find_parent(id=True)["id"] for note in page.select(".dosing-note")]
    assert notes == [f"comment-{comment(200).pk}"]
    assert settings.COMMENTS_DOSING_NOTE in page.select_one(".dosing-note").text


def test_odd_files_still_make_a_consistent_tree(db, run):
    out, _ = run(export(
        P(10, comment_status="closed", comments=[C(500, "Loop a", parent=501), C(501, "Loop b", parent=500),
                                                 C(502, "<b></b>"), C(503, "Twice"),
                                                 C(503, "Twice again")]),
        P(10, title="The same post again")))

    assert not article(10).comments_enabled
    assert {comment(500).parent, comment(501).parent} == {None, comment(500)} or \
        {comment(500).parent, comment(501).parent} == {None, comment(501)}
    assert tree.problems() == []
    assert "  - comment 502 on post 10 “A post”: empty" in out
    assert "  - comment 503 on post 10 “A post”: the same id twice in the post" in out
    assert "  - post 10 “The same post again”: the same post id twice in the export: imported once" in out
    assert "its replies loop back to it: attached to the article" in out


def test_progress_is_a_bar_on_a_terminal():
    from comments.management.commands.import_wxr import Progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

        def write(self, text, ending="\n"):
            super().write(text + ending)

    terminal = Terminal()
    progress = Progress(terminal, 4)
    for _ in range(4):
        progress.step()
    progress.close()

    assert terminal.getvalue().split("\r")[-1] == "[" + "#" * 30 + "] 4/4 items\n"
    assert terminal.getvalue().split("\r")[1] == "[" + "#" * 7 + "." * 23 + "] 1/4 items"


def test_cached_pages_show_comments_imported_later(db, run, client):
    run(export(P(10, comments=[C(100, "The first word.")])))
    url = article(10).get_absolute_url()
    assert "The first word." in client.get(url).content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"

    run(export(P(10, comments=[C(100, "The first word."), C(101, "A later word.", date_gmt="2013-02-01 10:00:00")])))

    page = client.get(url)
    assert page["X-Page-Cache"] == "miss"
    assert "A later word." in page.content.decode()
