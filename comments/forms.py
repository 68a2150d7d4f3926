import time as clock
from datetime import datetime, time, timedelta

from django import forms
from django.conf import settings
from django.utils import timezone

from healthsite import ids

from . import antispam
from .models import Comment, ModerationEvent, Report, display_name, reader_of
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
    # What a reader typed, shown again when a post is refused before its fields are checked.
    KEPT_FIELDS = ("name", "email", "body", "notify_replies", "parent")

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
        # Every rendering of the form for one reader carries a fresh signed time (a shared page's form
        # has none: its script asks /comments/token/ for one, see section.own_form).
        self.fields["timestamp"].initial = antispam.form_timestamp()
        if self.is_bound:
            self.posted_timestamp = self.data.get("timestamp", "")
            self.data = self.data.copy()
            self.data["timestamp"] = self.fields["timestamp"].initial

    def kept(self, *, written: bool = False) -> "CommentForm":
        """Return an unchecked form showing what this post held: for a refusal that came before any check.

        Checking the fields (which rendering a bound form does) would list errors beside the one
        reason that matters, and use up the form's single-use timestamp. `written`: the reader wrote
        the text before this form came back to them to press Post again (their page had no token
        yet, or their session had expired), so its time counts as served `COMMENTS_MIN_SECONDS`
        ago and pressing Post again at once is accepted; it is single-use like any other.
        """
        initial = {name: self.data[name] for name in self.KEPT_FIELDS if name in self.data}
        if written:
            initial["timestamp"] = antispam.form_timestamp(clock.time() - settings.COMMENTS_MIN_SECONDS)
        return CommentForm(article=self.article, user=self.user, initial=initial)

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


class ReportForm(forms.Form):
    """Why a reader reports a comment; a report sent without a reason counts as "Something else"."""

    reason = forms.ChoiceField(label="What is wrong with this comment?", choices=Report.Reason.choices,
                               widget=forms.RadioSelect, required=False)
    details = forms.CharField(label="Anything the moderators should know (optional)", required=False,
                              max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_reason(self):
        return self.cleaned_data["reason"] or Report.Reason.OTHER

    def clean_details(self):
        return single_line(self.cleaned_data["details"])


class LogFilterForm(forms.Form):
    """The moderation log's filters: who, which act, from and to which day (in the site's time zone)."""

    SITE = "site"

    moderator = forms.ChoiceField(required=False, label="Moderator")
    action = forms.ChoiceField(required=False, label="Act",
                               choices=[("", "Every act")] + ModerationEvent.Action.choices)
    since = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, moderators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["moderator"].choices = (
            [("", "Everyone"), (self.SITE, "The site (rules, reminders)")]
            + [(str(pk), name) for pk, name in moderators]
        )

    def filter(self, events):
        """Return the events that the valid filters choose (all of them when nothing is chosen)."""
        if not self.is_valid():
            return events
        data = self.cleaned_data
        if data["moderator"] == self.SITE:
            events = events.filter(moderator_pk__isnull=True)
        elif data["moderator"]:
            events = events.filter(moderator_pk=int(data["moderator"]))
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["since"]:
            events = events.filter(created_at__gte=_start_of(data["since"]))
        if data["until"]:
            events = events.filter(created_at__lt=_start_of(data["until"] + timedelta(days=1)))
        return events


def _start_of(day):
    """Return the moment a day begins in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))
