"""The moderators' blocklist (to spam) and hold list (kept pending), matched through case, accents and look-alikes."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from comments import moderation, rules
from comments.models import Comment, ModerationEvent, ModerationRule
from tests.adminforms import form_data
from tests.factories import ArticleFactory, UserFactory, comment_form_data

pytestmark = pytest.mark.django_db
Kind, Effect = ModerationRule.Kind, ModerationRule.Effect


def rule(kind, value, effect=Effect.SPAM):
    return ModerationRule.objects.create(kind=kind, value=rules.clean_value(kind, value), effect=effect)


def comment(**fields):
    defaults = {"name": "Sam", "email": "sam@example.com", "body": "A kind word.", "ip_address": "198.51.100.7"}
    return Comment(article=ArticleFactory(), **{**defaults, **fields})


@pytest.mark.parametrize("kind, value, stored", [
    (Kind.WORD, "  Cheap   Pills ", "Cheap Pills"),
    (Kind.EMAIL, "Spammer@Example.COM", "spammer@example.com"),
    (Kind.EMAIL, "@Example.com", "@example.com"),
    (Kind.EMAIL, "example.com", "@example.com"),
    (Kind.IP, "203.0.113.9/24", "203.0.113.0/24"),
    (Kind.IP, "2001:db8::1", "2001:db8::1/128"),
    (Kind.LINK, "https://www.Spam.example/buy", "www.spam.example"),
    (Kind.LINK, "xn--bcher-kva.de", "bucher.de"),
])
def test_rule_values_are_stored_in_one_form(kind, value, stored):
    assert rules.clean_value(kind, value) == stored


@pytest.mark.parametrize("kind, value, message", [
    (Kind.WORD, "  ", "Write what the rule matches."),
    (Kind.WORD, "!!!", "A word rule needs at least one letter or digit."),
    (Kind.EMAIL, "not an address", "Write an email address (ann@example.com) or a domain (@example.com)."),
    (Kind.IP, "300.1.1.1", "Write an IP address (203.0.113.7) or a network (203.0.113.0/24, 2001:db8::/32)."),
    (Kind.LINK, "nodot", "Write a domain (example.com); its subdomains match too."),
])
def test_bad_rule_values_are_refused_with_a_message(kind, value, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        rules.clean_value(kind, value)


@pytest.mark.parametrize("text", [
    "Buy CHEAP PILLS now",
    "Buy chéap pílls now",  # accents
    "Buy ch\u200beap pi\u200dlls now",  # zero-width characters
    "Buy \u0441heap pills now",  # Cyrillic с
    "Buy cheap\n pills now",  # any spacing
    "ｃｈｅａｐ ｐｉｌｌｓ",  # fullwidth
])
def test_a_word_matches_through_case_accents_invisible_characters_and_lookalikes(text):
    rule(Kind.WORD, "cheap pills")
    assert rules.check(comment(body=text)).spam is not None


@pytest.mark.parametrize("text", ["Cheapest pills", "cheap pillsbury dough", "cheap, pills"])
def test_a_word_matches_whole_words_only(text):
    rule(Kind.WORD, "cheap pills")
    assert rules.check(comment(body=text)).spam is None


def test_a_word_in_the_posters_name_matches():
    rule(Kind.WORD, "casino")
    assert rules.check(comment(name="Best Casino Deals")).spam is not None


@pytest.mark.parametrize("value, email, matches", [
    ("spammer@example.com", "SPAMMER@example.com", True),
    ("spammer@example.com", "other@example.com", False),
    ("@example.com", "anyone@example.com", True),
    ("@example.com", "anyone@mail.example.com", True),
    ("@example.com", "anyone@notexample.com", False),
    ("@example.com", "anyone@\u0435xample.com", True),  # Cyrillic е
])
def test_email_rules_match_the_address_or_the_domain_and_its_subdomains(value, email, matches):
    rule(Kind.EMAIL, value)
    assert (rules.check(comment(email=email)).spam is not None) is matches


@pytest.mark.parametrize("value, ip, matches", [
    ("203.0.113.0/24", "203.0.113.200", True),
    ("203.0.113.0/24", "203.0.114.1", False),
    ("203.0.113.7", "203.0.113.7", True),
    ("203.0.113.7", "::ffff:203.0.113.7", True),  # IPv4-mapped
    ("2001:db8::/32", "2001:db8:1::5", True),
    ("2001:db8::/32", "203.0.113.7", False),
])
def test_ip_rules_match_an_address_or_a_network(value, ip, matches):
    rule(Kind.IP, value)
    assert (rules.check(comment(ip_address=ip)).spam is not None) is matches


@pytest.mark.parametrize("body, matches", [
    ("Visit https://spam.example/offer", True),
    ("Visit https://shop.spam.example/offer", True),
    ("Visit www.spam.example today", True),
    ("Visit spam.example/offer", True),
    ("Visit https://\u0455pam.example/", True),  # Cyrillic ѕ
    ("Visit https://notspam.example/", False),
    ("The word spam.example without a link scheme is still a link", True),
    ("Visit https://example.org/spam.example", False),
])
def test_link_rules_match_the_domain_of_any_link_and_its_subdomains(body, matches):
    rule(Kind.LINK, "spam.example")
    assert (rules.check(comment(body=body)).spam is not None) is matches


def test_the_first_matching_rule_of_each_list_is_named():
    block = rule(Kind.WORD, "casino")
    hold = rule(Kind.EMAIL, "@example.com", effect=Effect.HOLD)
    verdict = rules.check(comment(body="casino night"))
    assert (verdict.spam, verdict.hold) == (block, hold)
    assert str(block) == "Blocklist: send to spam: word or phrase “casino”"


def test_no_rules_no_query(django_assert_num_queries):
    made = comment()
    with django_assert_num_queries(1):
        assert rules.check(made) == rules.Verdict()


@pytest.fixture
def trusted():
    user = UserFactory(username="trusted", first_name="Tess", last_name="Trusted")
    user.user_permissions.add(Permission.objects.get(codename="post_without_approval"))
    return user


def test_a_blocklisted_comment_goes_to_spam_and_the_site_logs_why(client, mailoutbox):
    rule(Kind.WORD, "casino")
    article = ArticleFactory()
    response = client.post(article.get_absolute_url() + "comments/", comment_form_data(body="Best CASINO here"))
    assert response.status_code == 302
    stored = Comment.objects.get()
    assert stored.status == Comment.Status.SPAM
    event = ModerationEvent.objects.get()
    assert (event.action, event.moderator_name, event.status_before, event.status_after, event.note) == (
        "blocked", "", "pending", "spam", "Blocklist: send to spam: word or phrase “casino”")
    assert mailoutbox == []  # nothing for the moderators to do
    page = client.get(response["Location"])
    assert "Your comment is awaiting moderation" in page.content.decode()  # the poster is told nothing more
    assert "Best CASINO here" not in page.content.decode()


def test_the_hold_list_keeps_a_trusted_posters_comment_pending(trusted):
    rule(Kind.WORD, "refund", effect=Effect.HOLD)
    made = comment(body="Ask for a Refund")
    moderation.submit(comment=made, user=trusted)
    assert made.status == Comment.Status.PENDING
    event = ModerationEvent.objects.get()
    assert (event.action, event.status_before, event.status_after, event.note) == (
        "held", "approved", "pending", "Hold list: keep for review: word or phrase “refund”")


def test_a_blocklisted_comment_in_crisis_is_held_for_a_person_not_sent_to_spam():
    rule(Kind.WORD, "casino")
    made = comment(body="I lost everything at the casino and I want to die")
    moderation.submit(comment=made, user=None)
    assert (made.status, made.urgent) == (Comment.Status.PENDING, True)
    assert ModerationEvent.objects.get().note == (
        "Blocklist: send to spam: word or phrase “casino” (crisis language: held for a person to read)")


def test_an_edit_is_checked_again(trusted):
    made = comment(body="All fine")
    moderation.submit(comment=made, user=trusted)
    assert made.status == Comment.Status.APPROVED
    rule(Kind.LINK, "spam.example")
    moderation.edit(comment=made, user=trusted, body="Now see https://spam.example/")
    made.refresh_from_db()
    assert made.status == Comment.Status.SPAM
    assert ModerationEvent.objects.get().action == "blocked"


def test_moderators_keep_the_lists_in_the_admin(desk_client, desk_moderator):
    page = desk_client.get("/admin/comments/moderationrule/add/")
    assert page.status_code == 200
    data = {**form_data(page.content), "effect": "spam", "kind": "link", "value": "HTTPS://Spam.Example/x",
            "note": "Pharmacy spam"}
    assert desk_client.post("/admin/comments/moderationrule/add/", data).status_code == 302
    saved = ModerationRule.objects.get()
    assert (saved.value, saved.created_by) == ("spam.example", desk_moderator)
    again = desk_client.post("/admin/comments/moderationrule/add/", {**data, "value": "spam.example"})
    assert again.status_code == 200
    assert "Moderation rule with this Effect, Kind and Value already exists." in again.content.decode()
    wrong = desk_client.post("/admin/comments/moderationrule/add/", {**data, "kind": "ip", "value": "nowhere"})
    assert "Write an IP address (203.0.113.7)" in wrong.content.decode()
    assert desk_client.post(f"/admin/comments/moderationrule/{saved.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not ModerationRule.objects.exists()


def test_only_moderators_see_or_change_the_lists(db):
    editor = UserFactory(username="ed", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(editor)
    made = rule(Kind.WORD, "casino")
    assert client.get("/admin/comments/moderationrule/").status_code == 403
    assert client.post("/admin/comments/moderationrule/add/", {"effect": "spam", "kind": "word",
                                                                "value": "x"}).status_code == 403
    assert client.post(f"/admin/comments/moderationrule/{made.pk}/delete/", {"post": "yes"}).status_code == 403
    assert list(ModerationRule.objects.values_list("value", flat=True)) == ["casino"]
