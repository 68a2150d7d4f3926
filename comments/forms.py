from django import forms
from django.conf import settings

from healthsite import ids

from . import antispam
from .models import Comment, display_name, reader_of
from .text import single_line

TIMESTAMP_MESSAGES = {
    "too_fast": "That was very quick: please read your comment over once, then post it again.",
    "expired": "This form was open for too long. Your text is kept below: please post it again.",
    "tampered": "This form could not be checked. Your text is kept below: please post it again.",
    "reused": "This form was posted already. Your text is kept below: please post it again.",
}


class CommentBodyForm(forms.Form):
    body = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 6}),
                           max_length=settings.COMMENTS_MAX_LENGTH,
                           error_messages={"required": "Please write something before posting."},
                           help_text=f"Plain text, {settings.COMMENTS_MAX_LENGTH:,} characters at most. "
                                     "Web addresses become links.")

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError("Please write something before posting.", code="empty")
        return body


class CommentForm(CommentBodyForm):
    name = forms.CharField(max_length=80, required=False, label="Name",
                           help_text="Optional. Shown with your comment.")
    email = forms.EmailField(label="Email", help_text="Required. Never shown publicly.")
    notify_replies = forms.BooleanField(required=False, label="Email me replies")
    parent = forms.CharField(required=False, widget=forms.HiddenInput)
    timestamp = forms.CharField(widget=forms.HiddenInput)
    # A honeypot: hidden from people, filled in by bots.
    website = forms.CharField(required=False, label="Leave this field empty",
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    field_order = ["name", "email", "body", "notify_replies", "website", "parent", "timestamp"]

    def __init__(self, *args, article, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.user = user
        if user is not None and user.is_authenticated:
            # Logged-in posters are known already: no name or email asked; replies by mail as their profile says.
            del self.fields["name"]
            del self.fields["email"]
            reader = reader_of(user)
            self.fields["notify_replies"].initial = reader.notify_replies if reader else False
        # Every rendering of the form carries a fresh signed time.
        self.fields["timestamp"].initial = antispam.form_timestamp()
        if self.is_bound:
            self.posted_timestamp = self.data.get("timestamp", "")
            self.data = self.data.copy()
            self.data["timestamp"] = self.fields["timestamp"].initial

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != antispam.HONEYPOT_FIELD]

    def clean_name(self):
        # A line break in a name would pass for a header line in the moderators' mail.
        return single_line(self.cleaned_data["name"])

    def clean_parent(self):
        raw = self.cleaned_data.get("parent")
        if not raw:
            return None
        parent_id = ids.parse(raw)
        parent = Comment.objects.filter(pk=parent_id).first() if parent_id else None
        if parent is None:
            raise forms.ValidationError(
                "The comment you are replying to does not exist.", code="parent_missing")
        if parent.article_id != self.article.pk:
            raise forms.ValidationError(
                "The comment you are replying to belongs to another article.", code="parent_other_article")
        if not parent.is_public:
            raise forms.ValidationError(
                "The comment you are replying to is not published, so it cannot take replies.",
                code="parent_not_approved")
        return parent

    def clean(self):
        cleaned = super().clean()
        if self.data.get(antispam.HONEYPOT_FIELD):
            raise forms.ValidationError(
                "Your comment looks automated, so it was not posted. Please leave the last field empty.",
                code="honeypot")
        problem = antispam.timestamp_problem(self.posted_timestamp)
        if not problem and not self.errors and not antispam.claim_form(self.posted_timestamp,
                                                                       article_id=self.article.pk):
            problem = "reused"
        if problem:
            raise forms.ValidationError(TIMESTAMP_MESSAGES[problem], code=f"timestamp_{problem}")
        # The same body posted again is refused by moderation.submit, under the lock that orders posts.
        return cleaned

    def build_comment(self, *, ip_address=None, user_agent="") -> Comment:
        """Return an unsaved comment from the cleaned form."""
        data = self.cleaned_data
        if self.user is not None and self.user.is_authenticated:
            name = single_line(display_name(self.user))[:80]
            email = self.user.email
        else:
            name, email = data["name"], data["email"]
        return Comment(
            article=self.article, parent=data.get("parent"), name=name, email=email, body=data["body"],
            notify_replies=data.get("notify_replies", False), ip_address=ip_address, user_agent=user_agent[:300],
        )
