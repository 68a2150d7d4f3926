import html

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.html import strip_tags
from django.utils.text import Truncator

from authors.models import Author

from .models import Blog
from .views import public_articles


class LatestArticlesFeed(Feed):
    """RSS of the latest published articles; BlogFeed and AuthorFeed narrow it."""

    description = "The latest articles."

    def title(self):
        return settings.SITE_NAME

    def link(self):
        return settings.SITE_URL + "/"

    def items(self):
        return public_articles()[:20]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        # RSS readers render a description as HTML, and the feed's XML escapes it once more. So the
        # text is escaped once, for HTML, and only where HTML needs it (&, <, >): an apostrophe or a
        # quotation mark stays as typed ("brain's", never "brain&amp;#x27;s" in the XML). The body's
        # text is read back from its HTML first, so no entity of the sanitizer's is escaped twice.
        text = article.summary or Truncator(html.unescape(strip_tags(article.body_html))).words(60)
        return html.escape(text, quote=False)

    def item_link(self, article):
        return article.canonical_url()

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_author_name(self, article):
        return ", ".join(author.display_name for author in article.credited_authors())


class BlogFeed(LatestArticlesFeed):
    def get_object(self, request, blog):
        return get_object_or_404(Blog, slug=blog)

    def title(self, blog):
        return f"{blog.title} | {settings.SITE_NAME}"

    def link(self, blog):
        return settings.SITE_URL + blog.get_absolute_url()

    def description(self, blog):
        return blog.description or f"The latest articles of {blog.title}."

    def items(self, blog):
        return public_articles().filter(blog=blog)[:20]


class AuthorFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def title(self, author):
        return f"{author.display_name} | {settings.SITE_NAME}"

    def link(self, author):
        return settings.SITE_URL + author.get_absolute_url()

    def description(self, author):
        return f"The latest articles by {author.display_name}."

    def items(self, author):
        return public_articles().filter(authors=author)[:20]
