"""The permission matrix of the admin, through HTTP: role x action x own or another's object.

Roles: `author` (Authors group, Michele's profile), `contributor` (the Authors' rights less
publishing, with a profile of their own), `editor` (Editors), `moderator` (Moderators).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Blog, Topic
from authors.models import Author
from tests.adminforms import form_data
from tests.factories import ArticleFactory, AuthorFactory, BlogFactory

pytestmark = pytest.mark.django_db

ARTICLES = "/admin/articles/article/"
AUTHORS = "/admin/authors/author/"


@pytest.fixture
def world(staff):
    michele = AuthorFactory(display_name="Michele Rosenthal", slug="michele", credentials="MA")
    olga = AuthorFactory(display_name="Olga Other", slug="olga")
    casey = AuthorFactory(display_name="Casey Contributor", slug="casey")
    blog = BlogFactory(title="Trauma blog")
    w = {
        "blog": blog,
        "michele": michele,
        "olga": olga,
        "own": {
            "draft": ArticleFactory(blog=blog, title="Own draft", status="draft", authors=[michele]),
            "published": ArticleFactory(blog=blog, title="Own published", authors=[michele]),
        },
        "other": {
            "draft": ArticleFactory(blog=blog, title="Other draft", status="draft", authors=[olga]),
            "published": ArticleFactory(blog=blog, title="Other published", authors=[olga]),
        },
        "users": {
            "author": staff("author", "Authors", author=michele),
            "contributor": staff("contributor", "Authors", author=casey, without=["publish_article"]),
            "editor": staff("editor", "Editors"),
            "moderator": staff("moderator", "Moderators"),
        },
    }
    return w


def login(client, world, role):
    client.force_login(world["users"][role])
    return client


# Article changelist: which titles each role sees.
@pytest.mark.parametrize(
    "role, status, sees",
    [
        ("author", 200, {"Own draft", "Own published"}),
        ("editor", 200, {"Own draft", "Own published", "Other draft", "Other published"}),
        ("moderator", 403, set()),
    ],
)
def test_article_changelist_shows_each_role_its_articles(client, world, role, status, sees):
    response = login(client, world, role).get(ARTICLES)
    assert response.status_code == status
    if status == 200:
        listed = {article.title for article in response.context["cl"].result_list}
        assert listed == sees
        page = response.content.decode()
        for title in {"Own draft", "Own published", "Other draft", "Other published"} - sees:
            assert title not in page


# Article change page, GET: own and another author's, draft and published.
@pytest.mark.parametrize(
    "role, whose, expected",
    [
        ("author", "own", 200), ("author", "other", 404),
        ("editor", "own", 200), ("editor", "other", 200),
        ("moderator", "own", 403), ("moderator", "other", 403),
    ],
)
@pytest.mark.parametrize("state", ["draft", "published"])
def test_article_change_page_opens_only_for_its_authors_and_editors(client, world, role, whose, expected, state):
    article = world[whose][state]
    response = login(client, world, role).get(f"{ARTICLES}{article.pk}/change/")
    assert response.status_code == expected
    if expected == 200:
        assert response.context["has_change_permission"] is True


# Article change page, POST: the edit is saved only where the page opens.
@pytest.mark.parametrize(
    "role, whose, expected",
    [
        ("author", "own", 302), ("author", "other", 404),
        ("editor", "own", 302), ("editor", "other", 302),
        ("moderator", "own", 403), ("moderator", "other", 403),
    ],
)
def test_article_edit_is_saved_only_by_its_authors_and_editors(client, admin_client, world, role, whose, expected):
    article = world[whose]["draft"]
    data = form_data(admin_client.get(f"{ARTICLES}{article.pk}/change/").content)
    data["title"] = "Retitled"
    response = login(client, world, role).post(f"{ARTICLES}{article.pk}/change/", data)
    assert response.status_code == expected
    article.refresh_from_db()
    assert (article.title == "Retitled") is (expected == 302)


def new_article_data(client, world, **fields) -> dict:
    data = form_data(client.get(f"{ARTICLES}add/").content)
    local = timezone.localtime()
    data.update({
        "blog": str(world["blog"].pk), "title": "Fresh piece", "slug": "fresh-piece", "body": "<p>New.</p>",
        "published_at_0": local.strftime("%Y-%m-%d"), "published_at_1": local.strftime("%H:%M:%S"),
    })
    data.update(fields)
    return data


# Adding an article, and publishing it.
@pytest.mark.parametrize(
    "role, status, expected, created",
    [
        ("author", "published", 302, "published"),
        ("author", "draft", 302, "draft"),
        ("contributor", "published", 200, None),
        ("contributor", "draft", 302, "draft"),
        ("editor", "published", 302, "published"),
    ],
)
def test_adding_an_article_publishes_only_with_the_publish_permission(client, world, role, status, expected, created):
    login(client, world, role)
    data = new_article_data(client, world, status=status)
    if role == "editor":  # an editor names the authors; an author is credited by themself
        data.update({"credits-TOTAL_FORMS": "1", "credits-0-author": str(world["olga"].pk), "credits-0-position": "0"})
    response = client.post(f"{ARTICLES}add/", data)
    assert response.status_code == expected
    article = Article.objects.filter(slug="fresh-piece").first()
    if created is None:
        assert article is None
        assert "You can save this article as a draft; an editor publishes it." in response.content.decode()
    else:
        assert article.status == created


def test_moderator_cannot_open_the_add_article_page(client, world):
    assert login(client, world, "moderator").get(f"{ARTICLES}add/").status_code == 403


def test_an_authors_new_article_credits_them(client, world):
    login(client, world, "author")
    assert client.post(f"{ARTICLES}add/", new_article_data(client, world)).status_code == 302
    article = Article.objects.get(slug="fresh-piece")
    assert article.credited_authors() == [world["michele"]]
    assert client.get(f"{ARTICLES}{article.pk}/change/").status_code == 200


def test_an_author_who_removes_their_credit_stays_credited(client, world):
    login(client, world, "author")
    article = world["own"]["draft"]
    data = form_data(client.get(f"{ARTICLES}{article.pk}/change/").content)
    data["credits-0-DELETE"] = "on"
    assert client.post(f"{ARTICLES}{article.pk}/change/", data).status_code == 302
    assert article.credited_authors() == [world["michele"]]


def test_author_without_publish_permission_keeps_a_published_article_published(client, world):
    casey = Author.objects.get(slug="casey")
    article = ArticleFactory(blog=world["blog"], title="Casey's", authors=[casey])
    login(client, world, "contributor")
    data = form_data(client.get(f"{ARTICLES}{article.pk}/change/").content)
    data["title"] = "Casey's, revised"
    assert client.post(f"{ARTICLES}{article.pk}/change/", data).status_code == 302
    article.refresh_from_db()
    assert (article.title, article.status) == ("Casey's, revised", "published")


# Deleting articles: Authors hold no delete permission.
@pytest.mark.parametrize(
    "role, whose, expected",
    [("author", "own", 403), ("author", "other", 404), ("editor", "other", 302), ("moderator", "own", 403)],
)
def test_only_editors_delete_articles(client, world, role, whose, expected):
    article = world[whose]["draft"]
    response = login(client, world, role).post(f"{ARTICLES}{article.pk}/delete/", {"post": "yes"})
    assert response.status_code == expected
    assert Article.objects.filter(pk=article.pk).exists() is (expected != 302)


# Blogs and topics: authors may look, only editors change.
@pytest.mark.parametrize("model, factory_field", [("blog", "title"), ("topic", "name")])
@pytest.mark.parametrize(
    "role, list_status, add_status, edit_status",
    [("author", 200, 403, 403), ("editor", 200, 200, 302), ("moderator", 403, 403, 403)],
)
def test_blogs_and_topics_are_changed_by_editors_only(
    client, admin_client, world, model, factory_field, role, list_status, add_status, edit_status
):
    obj = world["blog"] if model == "blog" else Topic.objects.create(name="PTSD", slug="ptsd")
    url = f"/admin/articles/{model}/"
    data = form_data(admin_client.get(f"{url}{obj.pk}/change/").content)
    data[factory_field] = "Renamed"
    login(client, world, role)
    assert client.get(url).status_code == list_status
    assert client.get(f"{url}add/").status_code == add_status
    assert client.post(f"{url}{obj.pk}/change/", data).status_code == edit_status
    obj.refresh_from_db()
    assert (getattr(obj, factory_field) == "Renamed") is (edit_status == 302)


def test_author_adding_a_blog_is_refused(client, world):
    login(client, world, "author")
    assert client.post("/admin/articles/blog/add/", {"title": "Mine", "slug": "mine"}).status_code == 403
    assert not Blog.objects.filter(slug="mine").exists()


# Author profiles: an author sees and edits their own only.
@pytest.mark.parametrize(
    "role, listed",
    [("author", {"Michele Rosenthal"}), ("editor", {"Michele Rosenthal", "Olga Other", "Casey Contributor"})],
)
def test_author_changelist_shows_own_profile_to_authors(client, world, role, listed):
    response = login(client, world, role).get(AUTHORS)
    assert response.status_code == 200
    assert {a.display_name for a in response.context["cl"].result_list} == listed


def test_moderator_sees_no_author_admin(client, world):
    assert login(client, world, "moderator").get(AUTHORS).status_code == 403


@pytest.mark.parametrize(
    "role, whose, expected",
    [("author", "michele", 302), ("author", "olga", 404), ("editor", "olga", 302), ("moderator", "michele", 403)],
)
def test_author_profiles_are_edited_by_their_owner_and_editors(client, admin_client, world, role, whose, expected):
    profile = world[whose]
    data = form_data(admin_client.get(f"{AUTHORS}{profile.pk}/change/").content)
    data["credentials"] = "PhD"
    response = login(client, world, role).post(f"{AUTHORS}{profile.pk}/change/", data)
    assert response.status_code == expected
    profile.refresh_from_db()
    assert (profile.credentials == "PhD") is (expected == 302)


@pytest.mark.parametrize("role, expected", [("author", 403), ("editor", 200), ("moderator", 403)])
def test_only_editors_add_author_profiles(client, world, role, expected):
    assert login(client, world, role).get(f"{AUTHORS}add/").status_code == expected


def test_author_cannot_move_their_profile_to_another_account(client, world):
    login(client, world, "author")
    michele = world["michele"]
    data = form_data(client.get(f"{AUTHORS}{michele.pk}/change/").content)
    data["user"] = str(world["users"]["editor"].pk)
    assert client.post(f"{AUTHORS}{michele.pk}/change/", data).status_code == 302
    michele.refresh_from_db()
    assert michele.user == world["users"]["author"]


# Attribution: an author credits only themself; "Medically reviewed by" comes only from a sign-off
# (tests/articles/test_review.py): no admin form sets it.
NOT_YOURS_TO_CREDIT = "You can credit only yourself as an author; an editor adds co-authors."


@pytest.fixture
def reviewer(world, staff):
    """An author who is a clinician: Authors group, a profile with credentials, an article of her own."""
    dana = AuthorFactory(display_name="Dana Lee", slug="dana", credentials="MD")
    world["dana"] = dana
    world["sam"] = AuthorFactory(display_name="Sam Park", slug="sam", credentials="PhD")  # a clinician without a login
    world["users"]["reviewer"] = staff("reviewer", "Authors", author=dana)
    world["own"]["reviewer"] = ArticleFactory(blog=world["blog"], title="Dana's draft", status="draft", authors=[dana])
    world["michele"].credentials = ""  # in these tests Michele is an author, not a clinician
    world["michele"].save()
    return dana


def autocomplete(client, model_name, field_name, term=""):
    return client.get("/admin/autocomplete/", {
        "app_label": "articles", "model_name": model_name, "field_name": field_name, "term": term})


@pytest.mark.parametrize(
    "role, credits, reviewers",
    [
        ("author", ["Michele Rosenthal"], []),
        ("reviewer", ["Dana Lee"], ["Dana Lee"]),
        ("editor", ["Casey Contributor", "Dana Lee", "Michele Rosenthal", "Olga Other", "Sam Park"], []),
    ],
)
def test_autocomplete_offers_each_role_only_whom_it_may_name(client, world, reviewer, role, credits, reviewers):
    login(client, world, role)
    response = autocomplete(client, "articleauthor", "author")
    assert response.status_code == 200
    assert sorted(r["text"] for r in response.json()["results"]) == credits
    assert autocomplete(client, "article", "medically_reviewed_by").json()["results"] == []  # no one picks a reviewer


def test_autocomplete_finds_no_other_author_for_an_author_by_name(client, world, reviewer):
    login(client, world, "author")
    assert autocomplete(client, "articleauthor", "author", "Olga").json()["results"] == []


def test_autocomplete_is_closed_to_moderators(client, world, reviewer):
    login(client, world, "moderator")
    assert autocomplete(client, "articleauthor", "author").status_code == 403
    assert autocomplete(client, "article", "medically_reviewed_by").status_code == 403


@pytest.mark.parametrize(
    "role, credits, reviewers",
    [("author", ["Michele Rosenthal"], []), ("reviewer", ["Dana Lee"], ["Dana Lee"]), ("editor", None, [])],
)
def test_the_forms_choices_hold_only_whom_the_role_may_name(client, world, reviewer, role, credits, reviewers):
    response = login(client, world, role).get(f"{ARTICLES}add/")
    form = response.context["adminform"].form
    credit_form = response.context["inline_admin_formsets"][0].formset.empty_form
    if credits is None:  # an editor credits anyone
        assert credit_form.fields["author"].queryset.count() == Author.objects.count()
    else:
        assert [str(a) for a in credit_form.fields["author"].queryset] == credits
    assert "medically_reviewed_by" not in form.fields and "reviewed_on" not in form.fields


@pytest.mark.parametrize("role", ["author", "reviewer"])
def test_an_author_cannot_credit_another_author_on_a_new_article(client, world, reviewer, role):
    login(client, world, role)
    data = new_article_data(client, world, status="published")
    data.update({"credits-TOTAL_FORMS": "1", "credits-0-author": str(world["olga"].pk), "credits-0-position": "0"})
    response = client.post(f"{ARTICLES}add/", data)
    assert response.status_code == 200
    assert NOT_YOURS_TO_CREDIT in response.content.decode()
    assert not Article.objects.filter(slug="fresh-piece").exists()


def test_an_author_cannot_add_a_coauthor_to_their_article(client, world, reviewer):
    login(client, world, "author")
    article = world["own"]["draft"]
    data = form_data(client.get(f"{ARTICLES}{article.pk}/change/").content)
    data.update({"credits-TOTAL_FORMS": "2", "credits-1-author": str(world["olga"].pk), "credits-1-position": "1",
                 "status": "published"})
    response = client.post(f"{ARTICLES}{article.pk}/change/", data)
    assert response.status_code == 200
    assert NOT_YOURS_TO_CREDIT in response.content.decode()
    article.refresh_from_db()
    assert (article.credited_authors(), article.status) == ([world["michele"]], "draft")


def test_an_author_cannot_turn_a_coauthors_credit_into_someone_elses(client, world, reviewer):
    article = ArticleFactory(blog=world["blog"], authors=[world["michele"], world["olga"]])
    login(client, world, "author")
    data = form_data(client.get(f"{ARTICLES}{article.pk}/change/").content)
    assert data["credits-1-author"] == str(world["olga"].pk)
    data["credits-1-author"] = str(reviewer.pk)
    response = client.post(f"{ARTICLES}{article.pk}/change/", data)
    assert response.status_code == 200
    assert NOT_YOURS_TO_CREDIT in response.content.decode()
    assert article.credited_authors() == [world["michele"], world["olga"]]


def test_an_author_keeps_the_coauthors_an_editor_credited(client, world, reviewer):
    article = ArticleFactory(blog=world["blog"], authors=[world["michele"], world["olga"]])
    login(client, world, "author")
    data = form_data(client.get(f"{ARTICLES}{article.pk}/change/").content)
    data["title"] = "Revised together"
    assert client.post(f"{ARTICLES}{article.pk}/change/", data).status_code == 302
    article.refresh_from_db()
    assert (article.title, article.credited_authors()) == ("Revised together", [world["michele"], world["olga"]])


def test_an_editor_credits_any_author(client, world, reviewer):
    login(client, world, "editor")
    article = world["own"]["draft"]
    data = form_data(client.get(f"{ARTICLES}{article.pk}/change/").content)
    data.update({"credits-TOTAL_FORMS": "2", "credits-1-author": str(world["olga"].pk), "credits-1-position": "1"})
    assert client.post(f"{ARTICLES}{article.pk}/change/", data).status_code == 302
    assert article.credited_authors() == [world["michele"], world["olga"]]


def review_data(client, article, reviewer_pk, day="2024-05-03"):
    data = form_data(client.get(f"{ARTICLES}{article.pk}/change/").content)
    data.update({"medically_reviewed_by": str(reviewer_pk) if reviewer_pk else "", "reviewed_on": day})
    return data


@pytest.mark.parametrize(
    "role, whose, named",
    [
        ("author", "own draft", "dana"),        # an author naming a clinician who never reviewed it
        ("author", "own draft", "michele"),     # ... or themself, without credentials
        ("editor", "other draft", "dana"),      # editors ask for reviews; they do not give them
        ("reviewer", "reviewer", "dana"),       # a clinician naming themself: only a sign-off does it
        ("reviewer", "reviewer", "sam"),        # ... or another clinician
    ],
)
def test_medical_review_cannot_be_set_by_posting_the_article_form(client, world, reviewer, role, whose, named):
    article = world["own"]["reviewer"] if whose == "reviewer" else world[whose.split()[0]][whose.split()[1]]
    login(client, world, role)
    response = client.post(f"{ARTICLES}{article.pk}/change/", review_data(client, article, world[named].pk))
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.medically_reviewed_by, article.reviewed_on) == (None, None)


def test_moderators_cannot_post_credits_or_reviews(client, admin_client, world, reviewer):
    article = world["other"]["draft"]
    data = review_data(admin_client, article, reviewer.pk)
    data.update({"credits-TOTAL_FORMS": "2", "credits-1-author": str(world["michele"].pk), "credits-1-position": "1"})
    response = login(client, world, "moderator").post(f"{ARTICLES}{article.pk}/change/", data)
    assert response.status_code == 403
    article.refresh_from_db()
    assert (article.medically_reviewed_by, article.credited_authors()) == (None, [world["olga"]])


# Staff preview of drafts on the public page.
@pytest.mark.parametrize(
    "role, whose, expected",
    [
        (None, "own", 404), ("author", "own", 200), ("author", "other", 404),
        ("editor", "other", 200), ("moderator", "own", 404),
    ],
)
def test_draft_preview_is_shown_to_who_may_edit_it(client, world, role, whose, expected):
    if role:
        login(client, world, role)
    response = client.get(world[whose]["draft"].get_absolute_url())
    assert response.status_code == expected
    if expected == 200:
        assert "Draft preview" in response.content.decode()


def test_scheduled_article_preview_says_when_it_goes_live(client, world):
    article = ArticleFactory(blog=world["blog"], authors=[world["michele"]],
                             published_at=timezone.now() + timedelta(days=2))
    response = login(client, world, "author").get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Scheduled: readers see it from" in response.content.decode()


def test_published_article_has_no_preview_banner_for_staff(client, world):
    response = login(client, world, "editor").get(world["own"]["published"].get_absolute_url())
    assert response.status_code == 200
    assert "Draft preview" not in response.content.decode()


def test_admin_links_to_the_article_on_the_site(client, world):
    article = world["own"]["draft"]
    page = login(client, world, "author").get(f"{ARTICLES}{article.pk}/change/").content.decode()
    assert "View on site" in page
    response = client.get(f"/admin/r/{response_ct(article)}/{article.pk}/")
    assert response.status_code == 302 and response["Location"].endswith(article.get_absolute_url())


# "View on site" (/admin/r/<content type>/<id>/): only for what the user works on, only to this site.
@pytest.mark.parametrize(
    "role, target, expected",
    [
        ("author", "own draft", "redirect"), ("author", "other draft", 404), ("author", "other published", 404),
        ("author", "own profile", "redirect"), ("author", "other profile", 404), ("author", "blog", "redirect"),
        ("editor", "other draft", "redirect"), ("editor", "other profile", "redirect"),
        ("moderator", "own draft", 404), ("moderator", "other published", 404), ("moderator", "own profile", 404),
        ("moderator", "comment on a published article", "redirect"), ("moderator", "comment on a draft", 404),
        ("editor", "comment on a draft", "redirect"),
        ("author", "social link", 404), ("editor", "social link", 404), ("editor", "user", 404),
    ],
)
def test_view_on_site_redirects_only_to_pages_the_user_may_see(client, world, role, target, expected):
    from django.contrib.auth.models import Permission

    from authors.models import SocialLink
    from tests.factories import CommentFactory

    world["users"]["editor"].user_permissions.add(Permission.objects.get(codename="view_comment"))

    objects = {
        "own draft": lambda: world["own"]["draft"], "other draft": lambda: world["other"]["draft"],
        "other published": lambda: world["other"]["published"],
        "own profile": lambda: world["michele"], "other profile": lambda: world["olga"], "blog": lambda: world["blog"],
        "comment on a published article": lambda: CommentFactory(article=world["other"]["published"]),
        "comment on a draft": lambda: CommentFactory(article=world["other"]["draft"]),
        "social link": lambda: SocialLink.objects.create(author=world["michele"], label="Site", url="https://evil.example/"),
        "user": lambda: world["users"]["author"],
    }
    obj = objects[target]()
    response = login(client, world, role).get(f"/admin/r/{response_ct(obj)}/{obj.pk}/")
    if expected == "redirect":
        assert response.status_code == 302
        assert response["Location"] == obj.get_absolute_url()
    else:
        assert response.status_code == expected
        assert "Location" not in response


def test_author_admin_offers_view_on_site_for_the_profile_only(client, world):
    import re

    from authors.models import SocialLink

    SocialLink.objects.create(author=world["michele"], label="Site", url="https://example.org/")
    page = login(client, world, "author").get(f"{AUTHORS}{world['michele'].pk}/change/").content.decode()
    assert re.findall(r'href="(/admin/r/[^"]+)"', page) == [f"/admin/r/{response_ct(world['michele'])}/{world['michele'].pk}/"]


@pytest.mark.parametrize("path", ["abc/1/", "999999/1/", "{ct}/abc/", "{ct}/999999/", "{ct}/1/extra/"])
def test_view_on_site_answers_404_for_nonsense(client, world, path):
    login(client, world, "editor")
    ct = response_ct(world["own"]["draft"])
    assert client.get("/admin/r/" + path.format(ct=ct)).status_code == 404


def test_view_on_site_asks_anonymous_visitors_to_log_in(client, world):
    article = world["own"]["published"]
    response = client.get(f"/admin/r/{response_ct(article)}/{article.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")


def test_comment_admin_article_filter_names_no_draft_to_moderators(client, world):
    from tests.factories import CommentFactory

    CommentFactory(article=world["other"]["published"])
    CommentFactory(article=world["own"]["draft"])  # a comment left while the article was public
    response = login(client, world, "moderator").get("/admin/comments/comment/")
    assert response.status_code == 200
    article_filter = next(f for f in response.context["cl"].filter_specs if f.title == "article")
    assert [c["display"] for c in article_filter.choices(response.context["cl"])] == ["All", "Other published"]
    assert "Other draft" not in response.content.decode()  # a draft without comments is named nowhere
    chosen = client.get("/admin/comments/comment/", {"article": world["other"]["published"].pk})
    assert [c.article for c in chosen.context["cl"].result_list] == [world["other"]["published"]]


def test_comment_admin_article_filter_lists_drafts_with_comments_to_editors(client, world, staff):
    from django.contrib.auth.models import Permission

    from tests.factories import CommentFactory

    CommentFactory(article=world["other"]["published"])
    CommentFactory(article=world["own"]["draft"])
    editor = world["users"]["editor"]
    editor.user_permissions.add(Permission.objects.get(codename="view_comment"))
    response = login(client, world, "editor").get("/admin/comments/comment/")
    article_filter = next(f for f in response.context["cl"].filter_specs if f.title == "article")
    assert {c["display"] for c in article_filter.choices(response.context["cl"])} == {
        "All", "Other published", "Own draft"}


def response_ct(obj) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def group_permissions(name) -> set[str]:
    from django.contrib.auth.models import Group

    return {f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=name).permissions.all()
            if p.content_type.app_label in ("articles", "authors")}


def test_groups_hold_exactly_their_publishing_permissions():
    assert group_permissions("Authors") == {
        "articles.view_blog", "articles.view_topic", "articles.view_article", "articles.add_article",
        "articles.change_article", "articles.publish_article", "articles.view_articleauthor",
        "articles.add_articleauthor", "articles.change_articleauthor", "articles.delete_articleauthor",
        "authors.view_author", "authors.change_author", "authors.view_sociallink", "authors.add_sociallink",
        "authors.change_sociallink", "authors.delete_sociallink",
        "articles.view_reviewrequest", "articles.add_reviewrequest",
    }
    editors = group_permissions("Editors")
    assert {"articles.change_any_article", "articles.publish_article", "articles.delete_article",
            "articles.add_blog", "articles.change_topic", "authors.add_author", "authors.delete_author",
            "articles.add_reviewrequest"} <= editors
    assert "articles.add_reviewsignoff" not in editors  # editors ask for reviews; Reviewers sign them off
    assert len(editors) == 30  # view/add/change/delete on seven models, publish, change_any
    assert group_permissions("Reviewers") == {
        "articles.view_reviewrequest", "articles.add_reviewsignoff", "authors.view_author", "authors.change_author"}
    assert group_permissions("Moderators") == set()
