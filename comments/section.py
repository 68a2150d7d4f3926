"""The comment section of an article page: the threads, their pages, the crisis box and the form.

The article app knows nothing of it: its template asks `{% comment_section article %}`
(templatetags/comments.py), which calls `context()` here. A refused post renders the article
page again with its bound form in the page's context as `comment_form` (and the reason it was
refused before its fields were checked as `comment_refusal`).

What a reader's session adds to the section is kept here too: the crisis help shown to a poster
who used crisis language (until they hide it) and the comments they reported.
"""

from django.conf import settings
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from articles.models import Article
from healthsite import ids, pagecache

from . import moderation, readers, render, tree
from .forms import CommentForm
from .models import Comment, display_name

# Comment pages of an article are shared pages of the page cache: ?cpage=2 is the same for everyone.
PAGE_QUERY = "cpage"
# The comments this browser session reported: each shows "Reported" to it in place of the Report link.
REPORTED_SESSION_KEY = "comments_reported"
# The report just sent, thanked for once at its comment, where the reader lands.
REPORT_NOTE_SESSION_KEY = "comments_report_note"
# The reply form quotes this much of the first line of the comment it answers: words, and at most characters.
EXCERPT_WORDS, EXCERPT_CHARACTERS = 20, 150


def remember_crisis(session, comment: Comment | None = None) -> None:
    """Show this session the crisis help until it is hidden: at `comment`, or at the form of a refused post."""
    kept = crisis_help(session)
    if comment is not None or kept is None:
        session[moderation.CRISIS_SESSION_KEY] = {"comment": comment.pk if comment is not None else None}


def forget_crisis(session) -> None:
    """Hide the crisis help for the rest of this session (the reader said so)."""
    session.pop(moderation.CRISIS_SESSION_KEY, None)


def crisis_help(session) -> dict | None:
    """Return {"comment": id or None} while this session is shown crisis help, else None."""
    kept = session.get(moderation.CRISIS_SESSION_KEY)
    if not kept:
        return None
    return kept if isinstance(kept, dict) else {"comment": None}  # True, as sessions held it before


def remember_reported(session, comment: Comment, *, again: bool = False) -> None:
    """Let this session see that it reported the comment, and thank it once at the comment.

    `again` says the reader had reported it before (from this account or this browser).
    """
    reported = session.get(REPORTED_SESSION_KEY, [])
    if comment.pk not in reported:
        session[REPORTED_SESSION_KEY] = (reported + [comment.pk])[-200:]
    session[REPORT_NOTE_SESSION_KEY] = {"comment": comment.pk, "again": again}


def excerpt(comment: Comment) -> str:
    """Return the first line of a comment, shortened, to name it in the reply form."""
    first = next((line.strip() for line in comment.body.splitlines() if line.strip()), "")
    return Truncator(Truncator(first).words(EXCERPT_WORDS)).chars(EXCERPT_CHARACTERS)


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


def own_form(request) -> bool:
    """Return True if the form goes out with this reader's CSRF token and form time in it.

    Only a page rendered for this reader alone carries them: a refused post, or a reader with an
    account or session state. Every other page is the same for everyone (a shared cache may hold
    it, so it sets no cookie): its form's script asks `comments:form_token` for them when the
    reader starts writing, and without a script the first post comes back to be pressed again.
    """
    return request.method == "POST" or pagecache.personal(request)


def reply_form(request, article) -> tuple[CommentForm, Comment | None]:
    """Return the empty form of a page and the comment it replies to (from ?replyto=, if it may take replies)."""
    initial = {}
    reply_to = _open_parent(article, request.GET.get("replyto"))
    if reply_to is not None:
        initial["parent"] = reply_to.pk
    if not own_form(request):
        initial["timestamp"] = ""  # the form's script asks /comments/token/ for one
    return CommentForm(article=article, user=request.user, initial=initial), reply_to


def _refused_reply_to(form: CommentForm) -> Comment | None:
    """Return the comment a refused post replied to: as its validation found it, or looked up once."""
    if hasattr(form, "cleaned_data"):
        return form.cleaned_data.get("parent")
    return _open_parent(form.article, form["parent"].value())  # refused before any check (closed, rate, session)


def _page_number(request, article, own_ids, viewer_id, moderating) -> int | str:
    """Return the comment page asked for, or the one holding the comment of a permalink."""
    linked = ids.parse(request.GET.get("comment"))
    if linked:
        comment = Comment.objects.filter(pk=linked, article=article).first()
        if comment is not None:
            return tree.page_of(comment, own_ids, viewer_id, moderating)
    return request.GET.get(PAGE_QUERY, 1)


def _crisis_box(request, article_url: str, *, at: int | None, landed: bool) -> str:
    """Return the crisis help as HTML: at the comment `at` (or at the form or above the comments when None).

    `landed` says the reader has just arrived at it (their post's permalink, a refused post): the
    page's script moves the focus there, so screen readers read it out.
    """
    back = f"{article_url}?comment={at}#comment-{at}" if at else f"{article_url}#comments"
    return render_to_string("comments/_crisis.html", {
        "crisis_resources": settings.COMMENTS_CRISIS_RESOURCES, "landed": landed, "back": back,
        "csrf_value": get_token(request),  # never on a shared page: a session with crisis help is the reader's own
    })


def context(request, article, *, form: CommentForm | None = None, refusal: str = "", show_crisis: bool = False) -> dict:
    """Return what the section template shows for this reader.

    `form` is a refused post's bound form: it keeps the reader's text, and the comment it
    replies to is the one its validation found (no second lookup). `refusal` is why it was
    refused before its fields were checked (closed, too many posts, an expired session);
    `show_crisis` is set when its text used crisis language.
    """
    if form is None:
        form, reply_to = reply_form(request, article)
    else:
        reply_to = _refused_reply_to(form)
    viewer = request.user
    # Moderators see every pending comment in place, with its buttons; their page is never a shared one.
    # Moderators are staff (they work in the admin too), so a reader's page spends no query on permissions.
    moderator = viewer.is_authenticated and viewer.is_staff and viewer.has_perm("comments.moderate_comment")
    viewer_id = viewer.pk if viewer.is_authenticated else None
    session = request.session
    own_ids = tree.own_pending_ids(session)
    asked = _page_number(request, article, own_ids, viewer_id, moderator)
    threads, page = tree.visible_threads(
        article=article, own_pending_ids=own_ids, page=asked, viewer_id=viewer_id, moderating=moderator,
        author_user_ids={author.user_id for author in article.credited_authors() if author.user_id})
    if page is not None and str(page.number) != str(asked):
        pagecache.unshare(request)  # e.g. past the last page: shown, but not kept as that page
    comments_open = moderation.is_open(article)
    account_block = readers.posting_refusal(viewer)  # "login", "confirm", "suspended": a prompt instead of the form
    article_url = article.get_absolute_url()
    moderate = ({"url": reverse("comments:moderation"), "csrf": get_token(request), "back": article_url}
                if moderator else None)

    # Crisis help goes where the reader lands: at the form of a refused post, at their comment, and
    # on other pages of the session above the comments, until they hide it.
    landing = ids.parse(request.GET.get("comment"))
    notes, crisis_at_form, crisis_above = {}, "", ""
    kept = crisis_help(session)
    if show_crisis:
        crisis_at_form = _crisis_box(request, article_url, at=None, landed=False)  # the error summary takes the focus
    elif kept is not None:
        at = kept["comment"]
        if at and tree.find(threads, at) is not None:
            notes[at] = _crisis_box(request, article_url, at=at, landed=at == landing)
        else:
            crisis_above = _crisis_box(request, article_url, at=None, landed=False)
    reported = set(session.get(REPORTED_SESSION_KEY, ()))
    report_note = session.get(REPORT_NOTE_SESSION_KEY)
    if report_note and report_note["comment"] not in notes and tree.find(threads, report_note["comment"]):
        notes[report_note["comment"]] = render_to_string("comments/_reported.html", report_note)
        del session[REPORT_NOTE_SESSION_KEY]
    return {
        "article": article,
        "article_url": article_url,
        "comments_html": render.render_threads(
            threads, tz=timezone.get_current_timezone(),
            viewer_id=viewer_id, can_reply=comments_open,
            moderate=moderate, dosing_note=settings.COMMENTS_DOSING_NOTE, notes=notes, reported=reported),
        "comment_page": page,
        "page_query": PAGE_QUERY,
        "comments_open": comments_open,
        "form": form,
        "refusal": refusal,
        "kept_text": form["body"].value() if not comments_open or account_block else "",
        "reply_to": reply_to,
        "reply_excerpt": excerpt(reply_to) if reply_to is not None else "",
        "crisis_at_form": crisis_at_form,
        "crisis_above": crisis_above,
        "user": viewer,
        "posting_as": display_name(viewer) if viewer_id else "",
        # Why this reader may not post ("login", "confirm", "suspended"): a prompt shows instead of the form.
        "account_block": account_block,
        "trust_after": settings.COMMENTS_TRUST_AFTER_APPROVED,
        # Written out rather than {% csrf_token %}: an inclusion tag copies the page's own token over ours.
        "csrf_value": get_token(request) if own_form(request) else "",
    }
