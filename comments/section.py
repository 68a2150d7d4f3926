"""The comment section of an article page: the threads, their pages, the crisis box and the form.

The article app knows nothing of it: its template asks `{% comment_section article %}`
(templatetags/comments.py), which calls `context()` here. A refused post renders the article
page again with its bound form in the page's context as `comment_form`.
"""

from django.conf import settings
from django.middleware.csrf import get_token
from django.utils import timezone

from articles.models import Article
from healthsite import ids, pagecache

from . import antispam, moderation, readers, render, tree
from .forms import CommentForm
from .models import Comment, display_name

# Comment pages of an article are shared pages of the page cache: ?cpage=2 is the same for everyone.
PAGE_QUERY = "cpage"


def poster_pages(user_ids) -> list[str]:
    """Return the addresses of the article pages that show comments by these users (their names, badges)."""
    ids_ = [pk for pk in user_ids if pk is not None]
    if not ids_:
        return []
    articles = Article.objects.filter(pk__in=Comment.objects.filter(user_id__in=ids_).values("article_id"))
    return [article.get_absolute_url() for article in articles.select_related("blog")]


def _open_parent(article, raw) -> Comment | None:
    """Return the comment an untrusted id names if it may take replies on this article, else None."""
    parent_id = ids.parse(raw)
    if not parent_id:
        return None
    return Comment.objects.approved().filter(pk=parent_id, article=article, is_removed=False).first()


def reply_form(request, article) -> tuple[CommentForm, Comment | None]:
    """Return the empty form of a page and the comment it replies to (from ?replyto=, if it may take replies)."""
    initial = {}
    reply_to = _open_parent(article, request.GET.get("replyto"))
    if reply_to is not None:
        initial["parent"] = reply_to.pk
    if pagecache.is_shared(request):
        initial["timestamp"] = antispam.FORM_TIME.placeholder
    return CommentForm(article=article, user=request.user, initial=initial), reply_to


def _refused_reply_to(form: CommentForm) -> Comment | None:
    """Return the comment a refused post replied to: as its validation found it, or looked up once."""
    if hasattr(form, "cleaned_data"):
        return form.cleaned_data.get("parent")
    return _open_parent(form.article, form.data.get("parent"))  # refused before validation (closed, rate)


def _page_number(request, article, own_ids, viewer_id) -> int | str:
    """Return the comment page asked for, or the one holding the comment of a permalink."""
    linked = ids.parse(request.GET.get("comment"))
    if linked:
        comment = Comment.objects.filter(pk=linked, article=article).first()
        if comment is not None:
            return tree.page_of(comment, own_ids, viewer_id)
    return request.GET.get(PAGE_QUERY, 1)


def context(request, article, *, form: CommentForm | None = None, show_crisis: bool = False) -> dict:
    """Return what the section template shows for this reader.

    `form` is a refused post's bound form: it keeps the reader's text, and the comment it
    replies to is the one its validation found (no second lookup).
    """
    if form is None:
        form, reply_to = reply_form(request, article)
    else:
        reply_to = _refused_reply_to(form)
    viewer = request.user
    viewer_id = viewer.pk if viewer.is_authenticated else None
    own_ids = tree.own_pending_ids(request.session)
    asked = _page_number(request, article, own_ids, viewer_id)
    threads, page = tree.visible_threads(
        article=article, own_pending_ids=own_ids, page=asked, viewer_id=viewer_id,
        author_user_ids={author.user_id for author in article.credited_authors() if author.user_id})
    if page is not None and str(page.number) != str(asked):
        pagecache.unshare(request)  # e.g. past the last page: shown, but not kept as that page
    comments_open = moderation.is_open(article)
    return {
        "article": article,
        "article_url": article.get_absolute_url(),
        "comments_html": render.render_threads(
            threads, tz=timezone.get_current_timezone(),
            viewer_id=viewer_id, can_reply=comments_open),
        "comment_page": page,
        "page_query": PAGE_QUERY,
        "comments_open": comments_open,
        "form": form,
        "reply_to": reply_to,
        "show_crisis": show_crisis or request.session.pop(moderation.CRISIS_SESSION_KEY, False),
        "crisis_resources": settings.COMMENTS_CRISIS_RESOURCES,
        "user": viewer,
        "posting_as": display_name(viewer) if viewer_id else "",
        # Why this reader may not post ("login", "confirm", "suspended"): a prompt shows instead of the form.
        "refusal": readers.posting_refusal(viewer),
        "trust_after": settings.COMMENTS_TRUST_AFTER_APPROVED,
        # Written out rather than {% csrf_token %}: an inclusion tag copies the page's own token over ours.
        "csrf_value": pagecache.value(request, pagecache.CSRF, get_token(request)),
    }
