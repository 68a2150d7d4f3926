from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import ListView

from articles.views import ArticleDetailView

from healthsite import ids

from . import antispam, crisis, moderation, notifications, readers, tree
from .forms import CommentBodyForm, CommentForm
from .models import Comment


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


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

    def refuse(self, form, status, message=None):
        """Show the page again with the reason and the reader's text kept."""
        if message:
            form.add_error(None, message)
        body = form.data.get("body", "")
        context = self.get_context_data(comment_form=form, show_crisis=crisis.is_crisis(body))
        return self.render_to_response(context, status=status)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = CommentForm(request.POST, article=self.object, user=request.user)
        if not moderation.is_open(self.object):
            return self.refuse(form, 403, "Comments are closed on this article, so your comment was not posted.")
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
            request.session[moderation.CRISIS_SESSION_KEY] = True
        if comment.status == Comment.Status.PENDING:
            tree.remember_own_pending(request.session, comment)
            messages.info(request, "Thank you. Your comment is awaiting moderation.")
        else:
            messages.success(request, "Thank you. Your comment is published.")
        return redirect(comment.get_absolute_url())


class ReportView(View):
    """A reader flags a comment for the moderators (once per reader)."""

    def confirm(self, request, comment, *, status=200, refusal=None):
        return render(request, "comments/confirm.html", {
            "comment": comment, "action": "report", "button": "Report to the moderators", "refusal": refusal,
            "question": "Report this comment to the moderators? They will read it again and may remove it.",
        }, status=status)

    def get(self, request, pk):
        return self.confirm(request, get_object_or_404(Comment.objects.public().select_related("article"), pk=pk))

    def post(self, request, pk):
        comment = get_object_or_404(Comment.objects.public().select_related("article"), pk=pk)
        if readers.is_suspended(request.user):
            return self.confirm(request, comment, status=403, refusal=(
                "Your account is suspended, so you cannot report comments."))
        if not request.session.session_key:
            request.session.save()
        session_key = request.session.session_key
        if antispam.over_report_limit(ip=client_ip(request), session_key=session_key):
            return self.confirm(request, comment, status=429, refusal=(
                "You have sent several reports in a short time, so this one was not taken. "
                "Please try again in an hour; the moderators have your earlier reports."))
        if moderation.report(comment=comment, user=request.user, session_key=session_key,
                             ip_address=client_ip(request)):
            messages.info(request, "Thank you. A moderator will look at this comment.")
        else:
            messages.info(request, "You have reported this comment already.")
        return redirect(comment.get_absolute_url())


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


class ModerationQueueView(PermissionRequiredMixin, ListView):
    """The moderators' queue: pending comments, urgent first, then oldest."""

    permission_required = "comments.moderate_comment"
    template_name = "moderation/queue.html"
    paginate_by = 50
    actions = {"approve": moderation.approve, "reject": moderation.reject, "spam": moderation.mark_spam}

    def get_queryset(self):
        return (Comment.objects.moderation_queue().with_posters().select_related("article__blog", "user__reader")
                .prefetch_related(Prefetch("parent", queryset=Comment.objects.with_posters())))

    def get_context_data(self, **kwargs):
        # Published crisis comments (from trusted posters) stay listed until a moderator marks them handled.
        urgent = Comment.objects.urgent_unhandled().with_posters().select_related("article__blog")
        return super().get_context_data(urgent_published=urgent, **kwargs)

    def post(self, request):
        action, _, single = request.POST.get("action", "").partition(":")
        chosen = [ids.parse(value) for value in ([single] if single else request.POST.getlist("ids"))]
        if action not in self.actions or not chosen or None in chosen:
            messages.error(request, "Choose one or more comments and an action.")
            return redirect(reverse("comments:moderation"))
        comments = list(Comment.objects.filter(pk__in=chosen).select_related("article__blog", "parent"))
        for comment in comments:
            self.actions[action](comment=comment, by=request.user)
        done = {"approve": "approved", "reject": "rejected", "spam": "marked as spam"}[action]
        messages.success(request, f"{len(comments)} comment{'s' if len(comments) != 1 else ''} {done}.")
        return redirect(reverse("comments:moderation") + f"?page={request.GET.get('page', 1)}")
