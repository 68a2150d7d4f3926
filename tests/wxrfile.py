"""WordPress exports made in code for the import tests: small, and shaped as WordPress writes them."""

from dataclasses import dataclass, field


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass
class C:
    """A comment: wp:comment."""

    id: int
    content: str = "A kind word."
    parent: int = 0
    approved: str = "1"
    author: str = "Sam"
    email: str = "sam@example.com"
    ip: str = "192.0.2.7"
    date_gmt: str = "2013-01-02 10:00:00"
    date: str = "2013-01-02 05:00:00"
    type: str = ""

    def xml(self) -> str:
        return (
            f"<wp:comment><wp:comment_id>{self.id}</wp:comment_id>"
            f"<wp:comment_author>{cdata(self.author)}</wp:comment_author>"
            f"<wp:comment_author_email>{cdata(self.email)}</wp:comment_author_email>"
            f"<wp:comment_author_url>http://sam.example.org</wp:comment_author_url>"
            f"<wp:comment_author_IP>{self.ip}</wp:comment_author_IP>"
            f"<wp:comment_date>{self.date}</wp:comment_date><wp:comment_date_gmt>{self.date_gmt}</wp:comment_date_gmt>"
            f"<wp:comment_content>{cdata(self.content)}</wp:comment_content>"
            f"<wp:comment_approved>{self.approved}</wp:comment_approved><wp:comment_type>{self.type}</wp:comment_type>"
            f"<wp:comment_parent>{self.parent}</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id>"
            "</wp:comment>\n"
        )


@dataclass
class P:
    """An item: a post unless `type` says otherwise."""

    id: int
    title: str = "A post"
    content: str = "First paragraph.\n\nSecond paragraph."
    name: str = ""
    status: str = "publish"
    type: str = "post"
    date_gmt: str = "2012-10-24 13:00:00"
    date: str = "2012-10-24 09:00:00"
    link: str = ""
    creator: str = "mrosen"
    excerpt: str = ""
    password: str = ""
    comment_status: str = "open"
    categories: list = field(default_factory=lambda: [("category", "trauma", "Trauma")])
    comments: list = field(default_factory=list)

    def xml(self, site: str) -> str:
        name = self.name or self.title.lower().replace(" ", "-")
        link = self.link or f"{site}/2012/10/{name}/"
        terms = "".join(f'<category domain="{d}" nicename="{s}">{cdata(n)}</category>' for d, s, n in self.categories)
        return (
            f"<item><title>{cdata(self.title)}</title><link>{link}</link>"
            f'<guid isPermaLink="false">{site}/?p={self.id}</guid>'
            f"<dc:creator>{cdata(self.creator)}</dc:creator>"
            f"<content:encoded>{cdata(self.content)}</content:encoded>"
            f"<excerpt:encoded>{cdata(self.excerpt)}</excerpt:encoded>"
            f"<wp:post_id>{self.id}</wp:post_id><wp:post_date>{self.date}</wp:post_date>"
            f"<wp:post_date_gmt>{self.date_gmt}</wp:post_date_gmt><wp:comment_status>{self.comment_status}"
            f"</wp:comment_status><wp:post_name>{name}</wp:post_name><wp:status>{self.status}</wp:status>"
            f"<wp:post_type>{self.type}</wp:post_type><wp:post_password>{self.password}</wp:post_password>"
            f"{terms}<wp:postmeta><wp:meta_key>_edit_last</wp:meta_key><wp:meta_value>1</wp:meta_value></wp:postmeta>"
            + "".join(c.xml() for c in self.comments)
            + "</item>\n"
        )


AUTHOR = (
    "<wp:author><wp:author_id>2</wp:author_id><wp:author_login>{cd_login}</wp:author_login>"
    "<wp:author_email>michele@example.com</wp:author_email>"
    "<wp:author_display_name>{cd_name}</wp:author_display_name>"
    "<wp:author_first_name>{cd_first}</wp:author_first_name><wp:author_last_name>{cd_last}</wp:author_last_name>"
    "</wp:author>\n"
)


def export(*items: P, version: str = "1.2", scheme: str = "http", site: str = "http://old.example.com",
           authors=(("mrosen", "Michele Rosenthal", "Michele", "Rosenthal"),), head: str = "") -> str:
    """Return a whole WXR file holding the items."""
    wp = f"{scheme}://wordpress.org/export/{version}/"
    people = "" if version == "1.0" else "".join(
        AUTHOR.format(cd_login=cdata(a), cd_name=cdata(b), cd_first=cdata(c), cd_last=cdata(d)) for a, b, c, d in authors)
    return (
        f'<?xml version="1.0" encoding="UTF-8" ?>\n{head}'
        f'<rss version="2.0" xmlns:excerpt="{wp}excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        f'xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{wp}">\n'
        f"<channel>\n<title>Old Trauma Blog</title>\n<link>{site}</link>\n<description>Tagline</description>\n"
        f"<pubDate>Mon, 05 Jan 2015 10:00:00 +0000</pubDate>\n<language>en-US</language>\n"
        f"<wp:wxr_version>{version}</wp:wxr_version>\n<wp:base_site_url>{site}</wp:base_site_url>\n"
        f"<wp:base_blog_url>{site}</wp:base_blog_url>\n{people}"
        f"<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>trauma</wp:category_nicename>"
        f"<wp:category_parent></wp:category_parent><wp:cat_name>{cdata('Trauma')}</wp:cat_name>"
        f"<wp:category_description>{cdata('Living after trauma.')}</wp:category_description></wp:category>\n"
        f"<generator>https://wordpress.org/?v=6.4</generator>\n"
        + "".join(item.xml(site) for item in items)
        + "</channel>\n</rss>\n"
    )


# Hostile heads: an external entity reading a local file, and a billion laughs (10^9 "lol"s).
EXTERNAL_ENTITY = '<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
BILLION_LAUGHS = '<!DOCTYPE rss [<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)) + "]>\n"
