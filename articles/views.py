from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.generic import DetailView, ListView

from authors.models import Author
from healthsite import pagecache

from . import csl, exports, metadata, redirects, review, revisions, roles, search
from .models import Article, ArticleAuthor, Blog, PublishedVersion, Topic, published_count

CREDITS = Prefetch("credits", queryset=ArticleAuthor.objects.select_related("author"))


def article_lookup(kwargs) -> dict:
    """Return the filter that finds an article from its URL's parts."""
    return {"blog__slug": kwargs["blog"], "slug": kwargs["slug"],
            "published_at__year": kwargs["year"], "published_at__month": kwargs["month"]}


def public_articles():
    """Return what readers may see, ready for the article cards (blog, credits, topics, comment counts)."""
    return (Article.objects.published().select_related("blog").prefetch_related(CREDITS, "topics")
            .with_comment_counts())


class ArticleListView(ListView):
    paginate_by = settings.ARTICLES_PER_PAGE
    template_name = "articles/article_list.html"

    def get_queryset(self):
        return public_articles()


class HomeView(ArticleListView):
    """The latest articles; an old WordPress address `/?p=<id>` answers 301 with the article it became."""

    def get(self, request, *args, **kwargs):
        post_id = request.GET.get("p", "")  # compared as text with the stored addresses
        url = redirects.target("/", f"p={post_id}") if post_id.isascii() and post_id.isdigit() else None
        return HttpResponsePermanentRedirect(url) if url else super().get(request, *args, **kwargs)


class BlogDetailView(ArticleListView):
    template_name = "articles/blog_detail.html"

    def get_queryset(self):
        self.blog = get_object_or_404(Blog, slug=self.kwargs["blog"])
        return public_articles().filter(blog=self.blog)

    def get_context_data(self, **kwargs):
        return super().get_context_data(blog=self.blog, **kwargs)


class TopicDetailView(ArticleListView):
    template_name = "articles/topic_detail.html"

    def get_queryset(self):
        self.topic = get_object_or_404(Topic, slug=self.kwargs["slug"])
        return public_articles().filter(topics=self.topic)

    def get_context_data(self, **kwargs):
        return super().get_context_data(topic=self.topic, **kwargs)


class AuthorDetailView(ArticleListView):
    """An author's page: photo, credentials, bio, links, and their articles."""

    template_name = "authors/author_detail.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author.objects.prefetch_related("social_links"), slug=self.kwargs["slug"])
        return public_articles().filter(authors=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class IndexView(ListView):
    """An index of the archives of one kind (topics, blogs, authors): those with published articles, and how many."""

    paginate_by = 100

    def get_queryset(self):
        counted = self.model.objects.annotate(article_count=published_count()).filter(article_count__gt=0)
        return counted.order_by(*self.model._meta.ordering, "pk")  # GROUP BY drops Meta.ordering


class TopicListView(IndexView):
    model = Topic
    template_name = "articles/topic_list.html"
    extra_context = {"index_title": "Topics"}


class BlogListView(IndexView):
    model = Blog
    template_name = "articles/blog_list.html"
    extra_context = {"index_title": "Blogs"}


class AuthorListView(IndexView):
    model = Author
    template_name = "authors/author_list.html"
    extra_context = {"index_title": "Authors"}


class CiteThisArticleMixin:
    """Add the "Cite this article" box and the citation metadata of <head> to an article page.

    Beside the current page, the box cites `cited_version()` ("this version"), if there is one.
    """

    def cited_version(self, versions: list[PublishedVersion]) -> PublishedVersion | None:
        return versions[-1] if versions else None  # the article page: its newest version

    def get_context_data(self, **kwargs):
        item = self.object.csl_item()  # accessed today, at every render
        versions = revisions.public_versions(self.object) if self.object.is_public() else []
        version = self.cited_version(versions)
        return super().get_context_data(
            citations=csl.render_all(item),
            citation_formats=exports.FORMATS.values(),
            citation_meta=metadata.for_article(article=self.object, item=item),
            versions=versions,
            cited_version=version,
            version_citations=csl.render_all(self.object.csl_item(version=version)) if version else (),
            **kwargs,
        )


class ArticleDetailView(pagecache.CachedPageMixin, CiteThisArticleMixin, DetailView):
    """The article page: body, bio, APA Reference and citations; the comments app draws its comment section."""

    template_name = "articles/article_detail.html"

    def article_lookup(self) -> dict:
        return article_lookup(self.kwargs)

    def article_queryset(self):
        return Article.objects.published().select_related("blog").annotate(review_pending=review.pending())

    def get_object(self, queryset=None):
        articles = Article.objects.select_related("blog", "medically_reviewed_by").prefetch_related(
            CREDITS, "credits__author__social_links", "topics").annotate(review_pending=review.pending())
        article = articles.published().filter(**self.article_lookup()).first()
        if article is None and self.request.method in ("GET", "HEAD"):
            # Staff who may edit a draft or scheduled article preview it here, under a banner.
            article = articles.filter(**self.article_lookup()).first()
            if article is not None and not roles.may_change_article(self.request.user, article):
                article = None
        if article is None:
            raise Http404("No article here.")
        return article

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.is_public():  # a staff preview: kept by no cache, indexed by no crawler
            response["Cache-Control"] = "private, no-store"
            response["X-Robots-Tag"] = "noindex"
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            authors=self.object.credited_authors(), house_apa=self.object.house_apa(),
            review_pending=self.object.review_pending, **kwargs)
        context["update_history"] = [v for v in reversed(context["versions"]) if v.public_note]
        return context

    def surrogate_keys(self) -> list[str]:
        """Name the article and its authors, for purges by key in a CDN or Varnish."""
        return [f"article-{self.object.pk}", *(f"author-{author.pk}" for author in self.object.credited_authors())]


class ArticleVersionView(CiteThisArticleMixin, DetailView):
    """A published version of an article at `<article>v/<n>/`: its text as readers saw it, under a banner.

    Not indexed (its canonical link is the current page), never kept by the page cache (it is
    not a CachedPageMixin view, and it lives at an address of its own).
    """

    template_name = "articles/article_version.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        articles = Article.objects.published().select_related("blog").prefetch_related(CREDITS)
        article = articles.filter(**article_lookup(self.kwargs)).first()
        if article is None:
            raise Http404("No article here.")
        self.version = article.published_versions.filter(
            number=self.kwargs["number"], published_at__lte=timezone.now()).first()
        if self.version is None:
            raise Http404("The article has no such version.")
        self.version.article = article
        return article

    def cited_version(self, versions):
        return self.version

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        response["X-Robots-Tag"] = "noindex"
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(version=self.version, authors=self.object.credited_authors(), **kwargs)


def robots_txt(request):
    """Let crawlers read the public pages and point them at the sitemap."""
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /moderation/", "Disallow: /search/", "",
             f"Sitemap: {settings.SITE_URL}/sitemap.xml"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


class SearchView(ArticleListView):
    """Search results for ?q=, with the matching words highlighted; empty and junk queries get help."""

    template_name = "articles/search.html"

    def get_queryset(self):
        query = self.request.GET.get("q", "")
        self.query, self.terms = query[: search.MAX_QUERY].strip(), search.terms(query)
        return search.search(public_articles(), self.terms)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(query=self.query, terms=self.terms, **kwargs)
        for article in context["object_list"]:
            article.title_html = search.mark(article.title, self.terms)
            article.excerpt_html = search.excerpt(article, self.terms)
        return context


def article_citation(request, fmt, **lookup):
    """Serve a public article's citation as a BibTeX, RIS or CSL-JSON download."""
    article = get_object_or_404(public_articles(), **article_lookup(lookup))
    return _citation_download(article.csl_item(), fmt, article.slug)


def version_citation(request, fmt, number, **lookup):
    """Serve the citation of one published version of a public article."""
    article = get_object_or_404(public_articles(), **article_lookup(lookup))
    version = get_object_or_404(article.published_versions, number=number, published_at__lte=timezone.now())
    version.article = article
    return _citation_download(article.csl_item(version=version), fmt, f"{article.slug}-v{number}")


def _citation_download(item: dict, fmt: str, name: str) -> HttpResponse:
    export = exports.FORMATS[fmt]
    return HttpResponse(
        export.render(item),
        content_type=export.content_type,
        headers={"Content-Disposition": content_disposition_header(True, f"{name}.{fmt}")},
    )
