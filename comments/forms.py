from django import forms
from django.conf import settings

from .models import Comment


class CommentForm(forms.Form):
    name = forms.CharField(max_length=80, required=False, label="Name",
                           help_text="Optional. Shown with your comment.")
    email = forms.EmailField(label="Email", help_text="Required. Never shown publicly.")
    body = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 6}),
                           max_length=settings.COMMENTS_MAX_LENGTH)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, article, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.user = user
        if user is not None and user.is_authenticated:
            # Logged-in posters are known already: no name or email asked.
            del self.fields["name"]
            del self.fields["email"]

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError("Please write something before posting.", code="empty")
        return body

    def clean_parent(self):
        parent_id = self.cleaned_data.get("parent")
        if parent_id is None:
            return None
        parent = Comment.objects.filter(pk=parent_id).select_related("article").first()
        if parent is None:
            raise forms.ValidationError(
                "The comment you are replying to does not exist.", code="parent_missing")
        if parent.article_id != self.article.pk:
            raise forms.ValidationError(
                "The comment you are replying to belongs to another article.", code="parent_other_article")
        if not parent.is_approved:
            raise forms.ValidationError(
                "The comment you are replying to is not published, so it cannot take replies.",
                code="parent_not_approved")
        return parent

    def build_comment(self, *, ip_address=None, user_agent="") -> Comment:
        """Return an unsaved comment from the cleaned form."""
        data = self.cleaned_data
        if self.user is not None and self.user.is_authenticated:
            name = self.user.get_full_name() or self.user.get_username()
            email = self.user.email
        else:
            name, email = data["name"].strip(), data["email"]
        return Comment(
            article=self.article, parent=data.get("parent"), name=name, email=email, body=data["body"],
            ip_address=ip_address, user_agent=user_agent[:300],
        )
