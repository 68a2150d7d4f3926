from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import ListView, TemplateView

from articles.views import ArticleDetailView

from healthsite import ids
from healthsite.clientip import client_ip

from . import antispam, crisis, moderation, notifications, numbers, queue, readers, section, tree
from .forms import CommentBodyForm, CommentForm, LogFilterForm, ReportForm
from .models import Comment, ModerationEvent

# What a reader whose CSRF cookie expired (or was cleared) reads above their kept text.
EXPIRED_SESSION = "Your session had expired; press Post again."
# What a reader reads whose form went without its token (no script asked for one on a shared page).
PRESS_AGAIN = "Press Post comment once more to send your comment: this form needed a moment to get ready."
CLOSED = "Comments are closed on this article, so your comment was not posted."


class CommentCreateView(ArticleDetailView):
    """Take a comment or reply posted from an article page."""

    http_method_names = ["get", "post"]

    def get_object(self, queryset=None):
        if self.request.method == "POST":  # the page itself is only rendered again on a refusal
            return get_object_or_404(self.article_queryset(), **self.article_lookup())
        return super().get_object(queryset)

    def get(self, request, *args, **kwargs):
        """Send a reader who followed a relative link from a refused post back to the article page."""
        query = request.GET.urlencode()
        return redirect(self.get_object().get_absolute_url() + (f"?{query}" if query else ""))

    def refuse(self, form, status, refusal="", *, written=False):
        """Show the page again, at the form, with the reason and the reader's text kept.

        `refusal` is the reason for a post refused before its fields were checked (closed, too
        many posts, an expired session); otherwise the form's own errors say why. `written`: the
        reader only has to press Post again (see CommentForm.kept).
        """
        show_crisis = crisis.is_crisis(form.data.get("body", ""))
        if show_crisis:
            section.remember_crisis(self.request.session)
        if refusal:
            form = form.kept(written=written)
        context = self.get_context_data(comment_form=form, comment_refusal=refusal, show_crisis=show_crisis)
        return self.render_to_response(context, status=status)

    @classmethod
    def csrf_failure(cls, request, *args, **kwargs):
        """Answer a post without a token it could check: the form again, the text kept, to press Post once more.

        healthsite.views.csrf_failure calls this for a failed check of this address's token: a
        form from a shared page whose script did not ask for a token (none was sent), or a session
        whose CSRF cookie expired or was cleared. The page carries a fresh token (get_token sets a
        new cookie) and a form time that takes the post at once, so pressing Post again works.
        """
        view = cls()
        view.setup(request, *args, **kwargs)
        view.object = view.get_object()
        form = CommentForm(request.POST, article=view.object, user=request.user)
        if not moderation.is_open(view.object):
            return view.refuse(form, 403, CLOSED)
        sent_token = request.POST.get("csrfmiddlewaretoken") or request.META.get("HTTP_X_CSRFTOKEN")
        return view.refuse(form, 403, EXPIRED_SESSION if sent_token else PRESS_AGAIN, written=True)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = CommentForm(request.POST, article=self.object, user=request.user)
        if not moderation.is_open(self.object):
            return self.refuse(form, 403, CLOSED)
        refusal = readers.posting_refusal(request.user)
        if refusal:
            return self.refuse(form, 403, readers.REFUSALS[refusal])
        if antispam.over_rate_limit(client_ip(request)):
            return self.refuse(form, 429, "You have posted several comments in a short time. "
                                          "Please wait a few minutes, then post again: your text is kept below.")
        if not form.is_valid():
            return self.refuse(form, 400)
        comment = form.build_comment(
            ip_address=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")
        )
        try:
            moderation.submit(comment=comment, user=request.user)
        except ValidationError as refusal:
            form.add_error(None, refusal)
            return self.refuse(form, 400)
        if comment.urgent:
            section.remember_crisis(request.session, comment)
        if comment.status == Comment.Status.PENDING:
            tree.remember_own_pending(request.session, comment)
        if comment.status == Comment.Status.APPROVED:
            messages.success(request, "Thank you. Your comment is published.")
        else:  # a blocklisted comment (spam) reads the same: nothing tells a spammer which rule caught it
            messages.info(request, "Thank you. Your comment is awaiting moderation.")
        return redirect(comment.get_absolute_url())


class FormTokenView(View):
    """The comment form's CSRF token and signed form time, which its script asks for when the reader starts writing.

    Shared pages carry neither (see section.own_form); this answer is the reader's own: it sets the
    CSRF cookie, and no cache keeps it.
    """

    http_method_names = ["get"]

    def get(self, request):
        response = JsonResponse({"csrfmiddlewaretoken": get_token(request), "timestamp": antispam.form_timestamp()})
        response["Cache-Control"] = "private, no-store"
        return response


class ReportView(View):
    """A reader flags a comment for the moderators (once per reader), saying why."""

    def confirm(self, request, comment, *, form=None, status=200, refusal=None):
        return render(request, "comments/confirm.html", {
            "comment": comment, "action": "report", "button": "Report to the moderators", "refusal": refusal,
            "question": "Report this comment to the moderators? They will read it again and may remove it.",
            "form": form or ReportForm(),
        }, status=status)

    def get(self, request, pk):
        return self.confirm(request, get_object_or_404(Comment.objects.public().select_related("article"), pk=pk))

    def post(self, request, pk):
        comment = get_object_or_404(Comment.objects.public().select_related("article"), pk=pk)
        if readers.is_suspended(request.user):
            return self.confirm(request, comment, status=403, refusal=(
                "Your account is suspended, so you cannot report comments."))
        form = ReportForm(request.POST)
        if not form.is_valid():
            return self.confirm(request, comment, form=form, status=400)
        if not request.session.session_key:
            request.session.save()
        session_key = request.session.session_key
        if antispam.over_report_limit(ip=client_ip(request), session_key=session_key):
            return self.confirm(request, comment, form=form, status=429, refusal=(
                "You have sent several reports in a short time, so this one was not taken. "
                "Please try again in an hour; the moderators have your earlier reports."))
        # Reported now or before, the reader lands back at the comment, which thanks them and reads "Reported".
        taken = moderation.report(comment=comment, user=request.user, session_key=session_key,
                                  ip_address=client_ip(request), reason=form.cleaned_data["reason"],
                                  details=form.cleaned_data["details"])
        section.remember_reported(request.session, comment, again=not taken)
        return redirect(comment.get_absolute_url())


class CrisisHelpHideView(View):
    """A reader hides the crisis help their session was shown (a POST: it works without JavaScript)."""

    http_method_names = ["post"]

    def post(self, request):
        section.forget_crisis(request.session)
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()) or not back.startswith("/"):
            back = reverse("articles:home")
        return redirect(back)


class OwnCommentMixin:
    def get_comment(self, request, pk) -> Comment:
        comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
        if not request.user.is_authenticated or comment.user_id != request.user.pk or comment.is_removed:
            raise Http404("No comment of yours here.")
        return comment


class CommentEditView(OwnCommentMixin, View):
    """A logged-in poster edits their comment within the edit window, while it has no replies."""

    template_name = "comments/comment_edit.html"

    def dispatch(self, request, pk):
        self.comment = self.get_comment(request, pk)
        if readers.is_suspended(request.user):
            return render(request, self.template_name, {"comment": self.comment, "suspended": True}, status=403)
        if not moderation.can_edit(comment=self.comment, user=request.user):
            return render(request, self.template_name, {"comment": self.comment, "too_late": True}, status=403)
        return super().dispatch(request, pk)

    def get(self, request, pk):
        form = CommentBodyForm(initial={"body": self.comment.body})
        return render(request, self.template_name, {"comment": self.comment, "form": form})

    def post(self, request, pk):
        form = CommentBodyForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"comment": self.comment, "form": form}, status=400)
        moderation.edit(comment=self.comment, user=request.user, body=form.cleaned_data["body"])
        if self.comment.status == Comment.Status.PENDING:
            tree.remember_own_pending(request.session, self.comment)
            messages.info(request, "Your comment is saved and awaiting moderation.")
        else:
            messages.success(request, "Your comment is saved.")
        return redirect(self.comment.get_absolute_url())


class CommentDeleteView(OwnCommentMixin, View):
    """A logged-in poster removes their own comment (a soft delete that keeps replies in place)."""

    def get(self, request, pk):
        comment = self.get_comment(request, pk)
        return render(request, "comments/confirm.html", {
            "comment": comment, "action": "delete", "button": "Delete my comment",
            "question": "Delete this comment? Any replies stay, under “This comment was removed”.",
        })

    def post(self, request, pk):
        comment = self.get_comment(request, pk)
        moderation.remove(comment=comment, user=request.user)
        messages.success(request, "Your comment was removed.")
        return redirect(comment.article.get_absolute_url() + "#comments")


@method_decorator(csrf_exempt, name="dispatch")  # the signed token is the credential (RFC 8058 one-click)
class UnsubscribeView(View):
    template_name = "comments/unsubscribe.html"

    def dispatch(self, request, token):
        try:
            self.email = notifications.email_from_token(token)
        except signing.SignatureExpired:
            days = settings.COMMENTS_UNSUBSCRIBE_MAX_AGE // 86400
            return render(request, self.template_name, {"expired": True, "max_age_days": days}, status=410)
        if self.email is None:
            return render(request, self.template_name, {"invalid": True}, status=400)
        return super().dispatch(request, token)

    def get(self, request, token):
        return render(request, self.template_name, {"email": self.email})

    def post(self, request, token):
        Comment.objects.filter(email__iexact=self.email, notify_replies=True).update(notify_replies=False)
        return render(request, self.template_name, {"email": self.email, "done": True})


# The moderation desk: the queue, reported comments, the log and the numbers (moderators only).


def _wants_json(request) -> bool:
    """Return True for the queue script's requests, which take a JSON answer instead of a redirect."""
    return request.headers.get("Accept", "").startswith("application/json")


def _plural(n: int) -> str:
    return f"{n} comment{'s' if n != 1 else ''}"


class DeskMixin(PermissionRequiredMixin):
    """A page of the moderation desk: moderators only, paginated as the queue is, with its tab marked."""

    permission_required = "comments.moderate_comment"
    desk_tab = ""

    def get_paginate_by(self, queryset):
        return settings.COMMENTS_QUEUE_PER_PAGE

    def get_context_data(self, **kwargs):
        return super().get_context_data(desk_tab=self.desk_tab, **kwargs)


class ModerationQueueView(DeskMixin, ListView):
    """The moderators' queue: pending comments, urgent first, then oldest; every moderation act is posted here.

    A POST names an action and one comment (`action=approve:12`) or several (`action=approve`,
    `ids=12&ids=13`), and `next`, a page of this site to go back to (the article page, the
    reported list); the queue script asks for JSON instead of a redirect.
    """

    template_name = "moderation/queue.html"
    desk_tab = "queue"
    # action: (domain function, what the message says was done)
    actions = {
        "approve": (moderation.approve, "approved"),
        "reject": (moderation.reject, "rejected"),
        "spam": (moderation.mark_spam, "marked as spam"),
        "handled": (moderation.mark_handled, "marked handled"),
        "dismiss": (moderation.dismiss_reports, "kept: reports dismissed"),
        "remove": (moderation.take_down, "removed"),
    }
    reply_problem = None  # (comment id, text, message) of a refused reply, shown again with the text

    def get_queryset(self):
        # Only the ids are paginated: a page deep in a long queue is read off the queue's index,
        # and only its own 50 comments are then fetched whole.
        return Comment.objects.moderation_queue().values_list("pk", flat=True)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page_ids = list(context["object_list"])
        found = queue.with_context(Comment.objects.filter(pk__in=page_ids)).in_bulk()
        context["object_list"] = [found[pk] for pk in page_ids if pk in found]
        queue.add_histories(context["object_list"])
        context["urgent_published"] = list(queue.with_context(
            Comment.objects.urgent_unhandled().filter(status=Comment.Status.APPROVED).order_by("created_at"))[:20])
        context["select_all"] = self.request.GET.get("select") == "all"
        context["reply_problem"] = self.reply_problem
        context["urgent_minutes"] = settings.COMMENTS_URGENT_MINUTES
        return context

    def post(self, request):
        action, _, single = request.POST.get("action", "").partition(":")
        if action == "reply":
            return self.reply(request, ids.parse(single))
        chosen = [ids.parse(value) for value in ([single] if single else request.POST.getlist("ids"))]
        if action not in self.actions or not chosen or None in chosen:
            return self.answer(request, "Choose one or more comments and an action.", [], ok=False)
        act, done = self.actions[action]
        comments = list(Comment.objects.filter(pk__in=chosen).select_related("article__blog", "parent"))
        for comment in comments:
            act(comment=comment, by=request.user)
        if len(comments) == 1 and single:
            message = f"The comment by {comments[0].poster_name} was {done}."
        else:
            message = f"{_plural(len(comments))} {done}."
        return self.answer(request, message, [comment.pk for comment in comments])

    def reply(self, request, pk):
        parent = Comment.objects.select_related("article__blog", "parent").filter(pk=pk).first() if pk else None
        if parent is None:
            return self.answer(request, "That comment does not exist any more.", [], ok=False)
        text = request.POST.get(f"reply-{parent.pk}", "")
        form = CommentBodyForm({"body": text})
        try:
            if not form.is_valid():
                raise ValidationError(form.errors["body"][0], code="invalid_reply")
            reply = moderation.reply(parent=parent, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as refusal:
            message = f"Your reply was not published: {refusal.messages[0]}"
            if _wants_json(request):
                return JsonResponse({"message": message, "done": []}, status=400)
            self.reply_problem = (parent.pk, text, message)
            response = self.get(request)
            response.status_code = 400
            return response
        return self.answer(request, f"Your reply to {parent.poster_name} is published, and their comment approved.",
                           [parent.pk], reply_url=reply.get_absolute_url())

    def answer(self, request, message: str, done: list[int], *, ok: bool = True, **extra):
        """Say what was done: JSON for the queue script, else a message and a redirect back."""
        if _wants_json(request):
            return JsonResponse({"message": message, "done": done, **extra}, status=200 if ok else 400)
        messages.add_message(request, messages.SUCCESS if ok else messages.ERROR, message)
        back = request.POST.get("next", "")
        if not (back.startswith("/") and url_has_allowed_host_and_scheme(
                back, allowed_hosts={request.get_host()}, require_https=request.is_secure())):
            back = reverse("comments:moderation") + f"?page={ids.parse(request.GET.get('page')) or 1}"
        return redirect(back)


class ReportedView(DeskMixin, ListView):
    """Published comments that readers reported, before their reports weigh enough to hide them."""

    template_name = "moderation/reported.html"
    desk_tab = "reported"

    def get_queryset(self):
        return queue.with_context(Comment.objects.reported()).order_by("-report_weight", "-last_report", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for comment in context["object_list"]:
            comment.reasons = queue.reason_counts(comment.standing_reports)
        context["weight_to_hide"] = settings.COMMENTS_REPORT_WEIGHT_TO_HIDE
        return context


class ModerationLogView(DeskMixin, ListView):
    """Every moderation act, newest first, filterable by moderator, act and day."""

    template_name = "moderation/log.html"
    desk_tab = "log"

    def get_queryset(self):
        moderators = (ModerationEvent.objects.by_moderators().values_list("moderator_pk")
                      .annotate(name=Max("moderator_name")).order_by("name"))
        self.filters = LogFilterForm(self.request.GET or None, moderators=moderators)
        return self.filters.filter(ModerationEvent.objects.select_related("comment__article__blog"))

    def get_context_data(self, **kwargs):
        return super().get_context_data(filters=self.filters, **kwargs)


class ModerationNumbersView(DeskMixin, TemplateView):
    """The queue now and the last 30 days in figures, with a chart drawn on the server."""

    template_name = "moderation/numbers.html"
    desk_tab = "numbers"

    def get_context_data(self, **kwargs):
        figures = numbers.summary()
        return super().get_context_data(figures=figures, chart=numbers.chart(figures["days"]), **kwargs)
