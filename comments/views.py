from django.contrib import messages
from django.shortcuts import redirect

from articles.views import ArticleDetailView

from . import moderation, tree
from .models import Comment


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class CommentCreateView(ArticleDetailView):
    """Take a comment or reply posted from an article page."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_comment_form(request.POST)
        if not form.is_valid():
            # The page again, with the reason beside the field and the reader's text kept.
            return self.render_to_response(self.get_context_data(form=form), status=400)
        comment = form.build_comment(
            ip_address=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")
        )
        moderation.submit(comment=comment, user=request.user)
        if comment.status == Comment.Status.PENDING:
            tree.remember_own_pending(request.session, comment)
            messages.info(request, "Thank you. Your comment is awaiting moderation.")
        else:
            messages.success(request, "Thank you. Your comment is published.")
        return redirect(comment.get_absolute_url())
