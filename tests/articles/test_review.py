"""Medical review: asked for by an editor or author, signed off only by the named reviewer, cleared by a new body."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from reversion.models import Version

from articles import review
from articles.models import Article, ReviewRequest, ReviewSignoff
from tests.adminforms import form_data
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

REQUESTS = "/admin/articles/reviewrequest/"
NOV_2 = datetime.datetime(2026, 11, 2, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture
def people(staff, time_machine):
    time_machine.move_to(NOV_2, tick=False)
    michele = AuthorFactory(display_name="Michele Rosenthal", slug="michele")
    dana = AuthorFactory(display_name="Dana Lee", slug="dana", credentials="MD")
    sam = AuthorFactory(display_name="Sam Park", slug="sam", credentials="PhD")
    olga = AuthorFactory(display_name="Olga Other", slug="olga")
    users = {
        "author": staff("author", "Authors", author=michele),
        "reviewer": staff("reviewer", "Reviewers", author=dana),
        "other reviewer": staff("sam", "Reviewers", author=sam),
        "editor": staff("editor", "Editors"),
        "moderator": staff("moderator", "Moderators"),
    }
    return {
        "users": users, "michele": michele, "dana": dana, "sam": sam,
        "own": ArticleFactory(title="Sleep After Trauma", body="<p>Take 10 mg at night.</p>", authors=[michele],
                              published_at=NOV_2 - datetime.timedelta(days=1)),
        "other": ArticleFactory(title="Other piece", authors=[olga]),
    }


def as_(role, people) -> Client:
    client = Client()
    client.force_login(people["users"][role])
    return client


def ask(people, article=None, reviewer="dana", by="author"):
    return review.ask(review_request=ReviewRequest(article=article or people["own"], reviewer=people[reviewer]),
                      by=people["users"][by])


def sign_off_url(request):
    return f"{REQUESTS}{request.pk}/sign-off/"


def sign_off(client, request):
    """Open the sign-off page and sign the revision it shows, as a reviewer would."""
    page = client.get(sign_off_url(request))
    assert page.status_code == 200
    return client.post(sign_off_url(request), form_data(page.content))


def edit(client, article, **changes):
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_data(client.get(url).content)
    data.update(changes)
    assert client.post(url, data).status_code == 302
    article.refresh_from_db()


def review_line(article) -> str:
    soup = BeautifulSoup(Client().get(article.get_absolute_url()).content, "html.parser")
    line = soup.select_one(".medical-review")
    return " ".join(line.get_text().split()) if line else ""


# Asking

def test_an_author_asks_a_reviewer_in_the_admin_and_the_page_says_review_pending(people):
    client = as_("author", people)
    page = client.get(f"{REQUESTS}add/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert [str(a) for a in form.fields["article"].queryset] == ["Sleep After Trauma"]  # their own articles
    assert sorted(str(a) for a in form.fields["reviewer"].queryset) == ["Dana Lee", "Sam Park"]  # Reviewers only
    response = client.post(f"{REQUESTS}add/", {"article": people["own"].pk, "reviewer": people["dana"].pk})
    assert response.status_code == 302
    request = ReviewRequest.objects.get()
    assert (request.article, request.reviewer, request.requested_by, request.is_open) == (
        people["own"], people["dana"], people["users"]["author"], True)
    assert len(Version.objects.get_for_object(people["own"])) == 1  # the text to sign off is a revision
    assert review_line(people["own"]) == "Review pending"


@pytest.mark.parametrize("article, reviewer, message", [
    ("other", "dana", "Select a valid choice."),  # not the author's article
    ("own", "michele", "Select a valid choice."),  # not a reviewer
])
def test_an_author_asks_only_about_their_articles_and_only_reviewers(people, article, reviewer, message):
    client = as_("author", people)
    response = client.post(f"{REQUESTS}add/", {"article": people[article].pk, "reviewer": people[reviewer].pk})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReviewRequest.objects.exists()


def test_a_reviewer_is_not_asked_twice_while_the_request_is_open(people):
    ask(people)
    response = as_("editor", people).post(f"{REQUESTS}add/", {"article": people["own"].pk, "reviewer": people["dana"].pk})
    assert "Dana Lee has been asked already." in response.content.decode()
    assert ReviewRequest.objects.count() == 1


@pytest.mark.parametrize("role, sees", [
    ("reviewer", ["Sleep After Trauma — Dana Lee"]),
    ("other reviewer", ["Other piece — Sam Park"]),
    ("author", ["Sleep After Trauma — Dana Lee"]),
    ("editor", ["Other piece — Sam Park", "Sleep After Trauma — Dana Lee"]),
])
def test_each_sees_the_requests_naming_them_or_on_their_articles(people, role, sees):
    ask(people)
    ask(people, article=people["other"], reviewer="sam", by="editor")
    response = as_(role, people).get(REQUESTS)
    assert response.status_code == 200
    assert sorted(str(r) for r in response.context["cl"].result_list) == sees


@pytest.mark.parametrize("role, shown", [
    ("reviewer", "Read and sign off"), ("author", "Waiting for the reviewer"), ("editor", "Waiting for the reviewer")])
def test_the_list_offers_the_sign_off_only_to_the_named_reviewer(people, role, shown):
    ask(people)
    soup = BeautifulSoup(as_(role, people).get(REQUESTS).content, "html.parser")
    assert soup.select_one("#result_list td.field-sign_off").get_text() == shown


def test_moderators_have_no_review_requests(people):
    ask(people)
    assert as_("moderator", people).get(REQUESTS).status_code == 403


# Signing off: the permission matrix

@pytest.mark.parametrize("role, expected", [
    ("author", 403),          # an author cannot sign off, even on their own article
    ("editor", 403),          # editors ask; they do not sign
    ("other reviewer", 404),  # a reviewer not named does not even see the request
    ("moderator", 403),
])
def test_only_the_named_reviewer_signs_off(people, role, expected):
    request = ask(people)
    client = as_(role, people)
    assert client.get(sign_off_url(request)).status_code == expected
    revision = Version.objects.get_for_object(people["own"]).first().revision_id
    assert client.post(sign_off_url(request), {"revision": revision}).status_code == expected
    assert not ReviewSignoff.objects.exists()
    people["own"].refresh_from_db()
    assert people["own"].medically_reviewed_by is None


def test_the_named_reviewer_signs_off_the_revision_they_read(people):
    request = ask(people)
    client = as_("reviewer", people)
    page = client.get(sign_off_url(request)).content.decode()
    assert "Take 10 mg at night." in page
    response = sign_off(client, request)
    assert response.status_code == 302
    signoff = ReviewSignoff.objects.get()
    revision = Version.objects.get_for_object(people["own"]).first().revision
    assert (signoff.reviewer, signoff.revision, signoff.signed_at, signoff.cleared_at) == (
        people["dana"], revision, NOV_2, None)
    request.refresh_from_db()
    assert not request.is_open
    assert review_line(people["own"]) == "Medically reviewed by Dana Lee, MD on November 2, 2026"
    assert client.post(sign_off_url(request), {"revision": revision.pk}).status_code == 403  # signed: closed


def test_a_sign_off_and_its_clearing_replace_the_cached_page(people):
    request = ask(people)
    reader, url = Client(), people["own"].get_absolute_url()
    assert reader.get(url)["X-Page-Cache"] == "miss"
    assert reader.get(url)["X-Page-Cache"] == "hit"
    sign_off(as_("reviewer", people), request)
    response = reader.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Medically reviewed by" in response.content.decode()
    edit(as_("author", people), people["own"], body="<p>Take 20 mg at night.</p>")
    response = reader.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Review pending" in response.content.decode() and "Medically reviewed by" not in response.content.decode()


def test_a_sign_off_of_a_revision_that_is_no_longer_the_newest_is_refused(people):
    request = ask(people)
    client = as_("reviewer", people)
    old = Version.objects.get_for_object(people["own"]).first().revision_id
    edit(as_("author", people), people["own"], body="<p>Take 20 mg at night.</p>")
    response = client.post(sign_off_url(request), {"revision": old}, follow=True)
    assert "The article changed since you opened it: read the new text and sign off again." in response.content.decode()
    assert not ReviewSignoff.objects.exists()
    for bad in ("", "x", "99999999999999999999"):
        client.post(sign_off_url(request), {"revision": bad})
    assert not ReviewSignoff.objects.exists()


@pytest.mark.parametrize("role, named", [("author", "sam"), ("editor", "sam"), ("clinician author", "dana"),
                                         ("clinician author", "sam")])
def test_nobody_sets_reviewed_by_by_posting_the_article_form(people, role, named):
    from django.contrib.auth.models import Group

    article = people["own"]
    if role == "clinician author":  # a reviewer who writes too: even their own name comes only from a sign-off
        user = people["users"]["reviewer"]
        user.groups.add(Group.objects.get(name="Authors"))
        article.credits.create(author=people["dana"], position=1)
        role = "reviewer"
    client = as_(role, people)
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_data(client.get(url).content)
    data.update({"medically_reviewed_by": str(people[named].pk), "reviewed_on": "2026-11-01"})
    assert client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert (article.medically_reviewed_by, article.reviewed_on) == (None, None)
    assert review_line(article) == ""


# After the sign-off

@pytest.fixture
def signed(people):
    request = ask(people)
    assert sign_off(as_("reviewer", people), request).status_code == 302
    people["own"].refresh_from_db()
    return request


def test_a_change_of_the_body_clears_the_review_and_opens_the_request_again(people, signed):
    edit(as_("author", people), people["own"], body="<p>Take 20 mg at night.</p>")
    article = people["own"]
    assert (article.medically_reviewed_by, article.reviewed_on) == (None, None)
    assert ReviewSignoff.objects.get().cleared_at == NOV_2
    signed.refresh_from_db()
    assert signed.is_open
    assert review_line(article) == "Review pending"
    assert as_("reviewer", people).get(sign_off_url(signed)).status_code == 200  # theirs to sign again


def test_a_change_of_the_title_keeps_the_review(people, signed):
    edit(as_("author", people), people["own"], title="Sleep After Trauma, revised")
    assert review_line(people["own"]) == "Medically reviewed by Dana Lee, MD on November 2, 2026"


def test_an_editor_may_mark_a_change_minor_and_keep_the_review(people, signed):
    edit(as_("editor", people), people["own"], body="<p>Take 10 mg at night (with food).</p>", minor_change="on")
    assert review_line(people["own"]) == "Medically reviewed by Dana Lee, MD on November 2, 2026"


def test_an_author_cannot_mark_a_change_minor(people, signed):
    client = as_("author", people)
    url = f"/admin/articles/article/{people['own'].pk}/change/"
    assert 'name="minor_change"' not in client.get(url).content.decode()
    assert 'name="minor_change"' in as_("editor", people).get(url).content.decode()
    edit(client, people["own"], body="<p>Take 40 mg at night.</p>", minor_change="on")
    assert review_line(people["own"]) == "Review pending"


def test_restoring_an_older_body_clears_the_review(people, signed, time_machine):
    client = as_("author", people)
    edit(client, people["own"], body="<p>Take 20 mg at night.</p>")
    assert sign_off(as_("reviewer", people), signed).status_code == 302
    people["own"].refresh_from_db()
    assert people["own"].medically_reviewed_by == people["dana"]
    older = list(Version.objects.get_for_object(people["own"]))[-1]  # the 10 mg text
    url = f"/admin/articles/article/{people['own'].pk}/history/{older.pk}/"
    assert client.post(url, form_data(client.get(url).content)).status_code == 302
    people["own"].refresh_from_db()
    assert people["own"].body_html == "<p>Take 10 mg at night.</p>"
    assert review_line(people["own"]) == "Review pending"


# Reviews due

@pytest.mark.parametrize("months_ago, months, due", [(13, 12, True), (11, 12, False), (7, 6, True)])
def test_reviews_older_than_review_due_months_list_as_due(people, signed, settings, time_machine, months_ago, months,
                                                          due):
    settings.REVIEW_DUE_MONTHS = months
    time_machine.move_to(datetime.datetime(2026 + (11 + months_ago) // 12, (11 + months_ago) % 12 or 12, 2, 15,
                                           tzinfo=datetime.UTC), tick=False)
    response = as_("editor", people).get("/admin/articles/article/?review=due")
    assert [a.title for a in response.context["cl"].result_list] == (["Sleep After Trauma"] if due else [])


def test_the_review_filter_lists_pending_reviewed_and_never_reviewed(people):
    ask(people)
    client = as_("editor", people)
    listed = {value: [a.title for a in client.get(f"/admin/articles/article/?review={value}").context["cl"].result_list]
              for value in ("pending", "reviewed", "never")}
    assert listed == {"pending": ["Sleep After Trauma"], "reviewed": [], "never": ["Other piece"]}


@pytest.mark.parametrize("day, months, expected", [
    (datetime.date(2026, 11, 2), 12, datetime.date(2025, 11, 2)),
    (datetime.date(2026, 5, 31), 3, datetime.date(2026, 2, 28)),
    (datetime.date(2024, 5, 31), 3, datetime.date(2024, 2, 29)),
    (datetime.date(2026, 1, 15), 1, datetime.date(2025, 12, 15)),
])
def test_months_before(day, months, expected):
    assert review.months_before(day, months) == expected


def test_the_article_admin_lists_the_reviewer_read_only(people, signed):
    page = as_("editor", people).get(f"/admin/articles/article/{people['own'].pk}/change/")
    form = page.context["adminform"].form
    assert "medically_reviewed_by" not in form.fields
    assert "Dana Lee" in BeautifulSoup(page.content, "html.parser").select_one(".field-medically_reviewed_by").get_text()
    assert Article.objects.get(pk=people["own"].pk).reviewed_on == datetime.date(2026, 11, 2)
