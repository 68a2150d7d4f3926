"""The WXR reader (healthsite/wxr.py) and WordPress's content rules (healthsite/wordpress.py): no database."""

import datetime
import time

import pytest

from healthsite import wordpress, wxr
from tests.wxrfile import BILLION_LAUGHS, EXTERNAL_ENTITY, C, P, export


def write(tmp_path, text, name="export.xml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
@pytest.mark.parametrize("scheme", ["http", "https"])
def test_every_version_in_both_namespaces_reads_the_same(tmp_path, version, scheme):
    path = write(tmp_path, export(P(10, comments=[C(100), C(101, parent=100)]), P(20, type="page"),
                                  version=version, scheme=scheme))

    summary = wxr.scan(path)
    records = list(wxr.read(path))

    assert summary.site.wxr_version == version
    assert summary.site.base_blog_url == "http://old.example.com"
    assert summary.items == 2 and summary.types == {"post": 1, "page": 1}
    posts = [r for r in records if isinstance(r, wxr.Post)]
    assert [(p.wp_id, p.type, p.title, p.status) for p in posts] == [(10, "post", "A post", "publish"), (20, "page", "A post", "publish")]
    post = posts[0]
    assert post.content == "First paragraph.\n\nSecond paragraph."
    assert post.date_gmt == datetime.datetime(2012, 10, 24, 13, 0)
    assert post.categories == [wxr.Category("category", "trauma", "Trauma")]
    assert post.meta == {"_edit_last": "1"}
    assert [(c.wp_id, c.parent_id, c.author, c.approved, c.ip) for c in post.comments] == [
        (100, 0, "Sam", "1", "192.0.2.7"), (101, 100, "Sam", "1", "192.0.2.7")]
    assert [type(r).__name__ for r in records] == (["Term"] if version == "1.0" else ["Author", "Term"]) + ["Post", "Post"]


def test_zero_dates_read_as_none():
    assert wxr.parse_date("0000-00-00 00:00:00") is None
    assert wxr.parse_date("2014-03-01 09:00:00") == datetime.datetime(2014, 3, 1, 9, 0)
    assert wxr.parse_date("yesterday") is None


def test_malformed_file_is_refused_with_its_line_number(tmp_path):
    text = export(P(10)).replace("<wp:post_id>10</wp:post_id>", "<wp:post_id>10</wp:post_idx>")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "post_idx" in row)

    with pytest.raises(wxr.WXRError) as refused:
        wxr.scan(write(tmp_path, text))

    assert refused.value.line == line
    assert "Opening and ending tag mismatch" in refused.value.message


def test_a_file_that_is_not_an_export_is_refused(tmp_path):
    with pytest.raises(wxr.WXRError, match="the root element is <html>"):
        wxr.scan(write(tmp_path, "<html><body>hello</body></html>"))
    with pytest.raises(wxr.WXRError, match="no <wp:wxr_version> and no WordPress namespace"):
        wxr.scan(write(tmp_path, "<rss><channel><title>x</title><item><title>y</title></item></channel></rss>"))


@pytest.mark.parametrize("head,entity", [(EXTERNAL_ENTITY, "&secret;"), (BILLION_LAUGHS, "&lol9;")])
def test_a_file_with_entities_is_refused_before_anything_is_read(tmp_path, head, entity):
    path = write(tmp_path, export(P(10, title="T"), head=head).replace("<title>Old Trauma Blog</title>",
                                                                      f"<title>{entity}</title>"))
    started = time.perf_counter()

    with pytest.raises(wxr.WXRError, match="declares a DOCTYPE") as refused:
        list(wxr.read(path))

    assert time.perf_counter() - started < 1
    assert "root:" not in str(refused.value)


def test_items_are_cleared_and_dropped_once_read(tmp_path):
    path = write(tmp_path, export(*(P(n, comments=[C(n * 10), C(n * 10 + 1)]) for n in range(1, 6))))
    read = []
    for name, element in wxr._events(path, wxr._Names(), wxr.Site()):
        if name == "item":
            assert element.getprevious() is None  # everything read before it is gone
            assert len(element) > 10  # this item is whole while it is read
            read.append(element)
    assert len(read) == 5 and all(len(element) == 0 and element.getparent() is None for element in read)


# WordPress's content rules ---------------------------------------------------------------------------

@pytest.mark.parametrize("text,html", [
    ("Line one\nline two\n\nPara two", "<p>Line one<br />\nline two</p>\n<p>Para two</p>"),
    ("<h2>Head</h2>\nText", "<h2>Head</h2>\n<p>Text</p>"),
    ("<ul>\n<li>a</li>\n<li>b\nc</li>\n</ul>", "<ul>\n<li>a</li>\n<li>b<br />\nc</li>\n</ul>"),
    ("<blockquote>Quote\nmore</blockquote>", "<blockquote><p>Quote<br />\nmore</p></blockquote>"),
    ("a\n\n<pre>x\n\ny</pre>\n\nb", "<p>a</p>\n<pre>x\n\ny</pre>\n<p>b</p>"),
    ("<p>Text\n\nMore</p>", "<p>Text</p>\n<p>More</p>"),
    ("First<br><br>Second", "<p>First</p>\n<p>Second</p>"),
    ("Hi <a\nhref=\"x\">there</a>\nok", '<p>Hi <a href="x">there</a><br />\nok</p>'),
    ("One\r\n\r\n\r\nTwo", "<p>One</p>\n<p>Two</p>"),
    ("   \n\n ", ""),
])
def test_autop_follows_wordpress_paragraph_rules(text, html):
    assert wordpress.autop(text) == html


def test_caption_shortcode_becomes_a_figure():
    html, removed = wordpress.post_html(
        '[caption id="attachment_5" align="alignnone" width="300"]<a href="/wp-content/uploads/a.jpg">'
        '<img src="/wp-content/uploads/a-300x200.jpg" alt="A calm lake" width="300" height="200" /></a> '
        "A calm lake at dawn[/caption]\nAfter the picture.")
    assert html == (
        '<figure><a href="/wp-content/uploads/a.jpg"><img src="/wp-content/uploads/a-300x200.jpg" alt="A calm lake" '
        'width="300" height="200" /></a><figcaption>A calm lake at dawn</figcaption></figure>\n'
        "<p>After the picture.</p>")
    assert removed == []
    old_style, _ = wordpress.post_html('[caption caption="Old style"]<img src="b.jpg" />[/caption]')
    assert old_style == '<figure><img src="b.jpg" /><figcaption>Old style</figcaption></figure>'


def test_block_editor_posts_lose_their_comments_and_get_no_extra_paragraphs():
    html, _ = wordpress.post_html(
        '<!-- wp:paragraph -->\n<p>Hello\nthere</p>\n<!-- /wp:paragraph -->\n\n'
        '<!-- wp:image {"id":5,"sizeSlug":"large"} -->\n<figure class="wp-block-image"><img src="a.jpg"/></figure>\n'
        "<!-- /wp:image -->\n\n<!-- wp:separator /-->")
    assert html == '<p>Hello\nthere</p>\n\n<figure class="wp-block-image"><img src="a.jpg"/></figure>'


def test_media_shortcodes_are_removed_and_named_and_embeds_become_links():
    html, removed = wordpress.post_html(
        'Look:\n\n[gallery ids="1,2,3"]\n\n[embed]https://www.youtube.com/watch?v=abc[/embed]\n\n'
        '[video src="v.mp4"][/video]<!--more-->End')
    assert removed == ["gallery", "video"]
    assert html == ('<p>Look:</p>\n<p><a href="https://www.youtube.com/watch?v=abc">'
                    "https://www.youtube.com/watch?v=abc</a></p>\n<p>End</p>")


def test_plain_text_keeps_link_addresses_and_line_breaks():
    assert wordpress.plain_text('Great <a href="http://x.org/a">read</a>!<br />Thanks &amp; bye\n\n<p>x</p>') == (
        "Great read (http://x.org/a)!\nThanks & bye\n\nx")
    assert wordpress.plain_text('<a href="http://x.org">http://x.org</a>') == "http://x.org"
    assert wordpress.one_line("Tom &amp; <em>Jerry</em>\n again") == "Tom & Jerry again"


@pytest.mark.parametrize("url,path", [
    ("http://old.example.com/wp-content/uploads/2015/03/a.jpg", "2015/03/a.jpg"),
    ("https://www.old.example.com/wp-content/uploads/2015/03/a%20b.jpg?w=300", "2015/03/a b.jpg"),
    ("/wp-content/uploads/sites/2/2015/03/a.jpg", "sites/2/2015/03/a.jpg"),
    ("https://oldblog.files.wordpress.com/2015/03/a.jpg", "2015/03/a.jpg"),
    ("http://elsewhere.example.net/wp-content/uploads/2015/03/a.jpg", None),
    ("http://old.example.com/wp-content/uploads/../../etc/passwd", None),
    ("http://old.example.com/images/a.jpg", None),
])
def test_upload_paths_are_found_only_on_the_old_site(url, path):
    assert wordpress.upload_path(url, {"old.example.com", "www.old.example.com"}) == path
