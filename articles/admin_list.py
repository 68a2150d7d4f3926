"""The editors' article list: author and state columns and filters, bulk publish, unpublish and schedule."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import format_lazy

from authors.models import Author

from . import bulk, roles
from .models import Article, ArticleAuthor
from .urls import YEARS


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("draft", "Draft"), ("scheduled", "Scheduled"), ("published", "Published")]

    def queryset(self, request, queryset):
        now = timezone.now()
        published = Q(status=Article.Status.PUBLISHED)
        return {
            "draft": queryset.filter(status=Article.Status.DRAFT),
            "scheduled": queryset.filter(published, published_at__gt=now),
            "published": queryset.filter(published, published_at__lte=now),
        }.get(self.value(), queryset)


class AuthorFilter(admin.SimpleListFilter):
    title = "author"
    parameter_name = "author"

    def lookups(self, request, model_admin):
        # Only the authors credited on articles this user works on: no names from others' drafts.
        credited = roles.articles_for(request.user, Article.objects.all()).values("credits__author")
        return [(str(a.pk), a.display_name) for a in Author.objects.filter(pk__in=credited).order_by("display_name")]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(credits__author_id=int(value))
        return queryset


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(
        label="Publish at", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=format_lazy("In the site's time zone ({}). Readers see the articles from then on.",
                              timezone.get_default_timezone_name()),
    )

    def clean_publish_at(self):
        moment = self.cleaned_data["publish_at"]
        if moment.year not in YEARS:
            raise ValidationError("Give a date between the years %(first)s and %(last)s.", code="year_out_of_range",
                                  params={"first": YEARS[0], "last": YEARS[-1]})
        if moment <= timezone.now():
            raise ValidationError("Give a time in the future; to publish now, use “Publish”.", code="not_future")
        return moment


def report(model_admin, request, outcome: bulk.Outcome, done: str) -> None:
    """Tell the user how many articles changed and which were refused, and why."""
    changed = len(outcome.changed)
    if changed:
        model_admin.message_user(request, f"{changed} article{'s' if changed != 1 else ''} {done}.", messages.SUCCESS)
    if outcome.refused:
        refusals = "; ".join(f"“{article.title}”: {reason}" for article, reason in outcome.refused)
        model_admin.message_user(request, f"Not {done}: {refusals}.", messages.WARNING)


class ArticleListAdmin:
    """ArticleAdmin's changelist: who wrote each article, its state, and the bulk actions."""

    actions = ["publish_selected", "unpublish_selected", "schedule_selected"]

    def get_queryset(self, request):
        credits = Prefetch("credits", queryset=ArticleAuthor.objects.select_related("author"))
        return super().get_queryset(request).prefetch_related(credits)

    @admin.display(description="Authors")
    def credited(self, article):
        return ", ".join(author.display_name for author in article.credited_authors())

    @admin.action(description="Publish the selected articles now", permissions=["change"])
    def publish_selected(self, request, queryset):
        report(self, request, bulk.publish(articles=queryset, by=request.user), "published")

    @admin.action(description="Unpublish the selected articles (back to drafts)", permissions=["change"])
    def unpublish_selected(self, request, queryset):
        report(self, request, bulk.unpublish(articles=queryset, by=request.user), "unpublished")

    @admin.action(description="Schedule the selected articles…", permissions=["change"])
    def schedule_selected(self, request, queryset):
        form = ScheduleForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            outcome = bulk.schedule(articles=queryset, by=request.user, at=form.cleaned_data["publish_at"])
            report(self, request, outcome, "scheduled")
            return None
        return TemplateResponse(request, "admin/articles/article/schedule.html", {
            **self.admin_site.each_context(request),
            "title": "Schedule articles", "opts": self.model._meta, "form": form, "articles": queryset,
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME), "action": "schedule_selected",
            "select_across": request.POST.get("select_across", "0"),
        }, status=400 if form.is_bound else 200)
