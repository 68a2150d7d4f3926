from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.generic import DetailView, ListView

from comments import tree
from comments.forms import CommentForm
from comments.models import Comment

from . import csl, exports, metadata
from .models import Article, ArticleAuthor, Blog, Topic

CREDITS = Prefetch("credits", queryset=ArticleAuthor.objects.select_related("author"))


def public_articles():
    return Article.objects.published().select_related("blog").prefetch_related(CREDITS)


class ArticleListView(ListView):
    paginate_by = 10
    template_name = "articles/article_list.html"

    def get_queryset(self):
        return public_articles()


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


class CiteThisArticleMixin:
    """Add the "Cite this article" box and the citation metadata of <head> to an article page."""

    def get_context_data(self, **kwargs):
        item = self.object.csl_item()  # accessed today, at every render
        return super().get_context_data(
            citations=csl.render_all(item),
            citation_formats=exports.FORMATS.values(),
            citation_meta=metadata.for_article(article=self.object, item=item),
            **kwargs,
        )


class ArticleDetailView(CiteThisArticleMixin, DetailView):
    """The article page: body, bio, APA Reference, the comment tree and the reply form."""

    template_name = "articles/article_detail.html"

    def get_object(self, queryset=None):
        kw = self.kwargs
        return get_object_or_404(
            public_articles().prefetch_related("credits__author__social_links"),
            blog__slug=kw["blog"], slug=kw["slug"], published_at__year=kw["year"], published_at__month=kw["month"],
        )

    def get_comment_form(self, data=None) -> CommentForm:
        initial = {}
        replyto = self.request.GET.get("replyto", "")
        if replyto.isdigit():
            initial["parent"] = int(replyto)
        return CommentForm(data, article=self.object, user=self.request.user, initial=initial)

    def get_context_data(self, form=None, **kwargs):
        article = self.object
        form = form or self.get_comment_form()
        parent_id = form["parent"].value()
        reply_to = None
        if str(parent_id or "").isdigit():
            reply_to = Comment.objects.approved().filter(pk=parent_id, article=article).first()
        return super().get_context_data(
            authors=article.credited_authors(),
            threads=tree.visible_threads(article=article, own_pending_ids=tree.own_pending_ids(self.request.session)),
            form=form,
            reply_to=reply_to,
            house_apa=article.house_apa(),
            **kwargs,
        )


def article_citation(request, fmt, **lookup):
    """Serve a public article's citation as a BibTeX, RIS or CSL-JSON download."""
    article = get_object_or_404(
        public_articles(), blog__slug=lookup["blog"], slug=lookup["slug"],
        published_at__year=lookup["year"], published_at__month=lookup["month"],
    )
    export = exports.FORMATS[fmt]
    return HttpResponse(
        export.render(article.csl_item()),
        content_type=export.content_type,
        headers={"Content-Disposition": content_disposition_header(True, f"{article.slug}.{fmt}")},
    )
