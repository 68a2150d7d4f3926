"""The shared article page's comment form in Chromium: the script asks for the token as the reader starts
writing, and the comment posts in one press; without a script, the second press posts it."""

import pytest
from django.core.management import call_command

from articles.models import Article
from comments.models import Comment
from comments.views import PRESS_AGAIN

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seed(live_server, e2e_settings):
    call_command("loaddemo", stdout=open("/dev/null", "w"))
    return live_server.url, Article.objects.get(slug="baclofen-in-ptsd-treatment")


def hidden(page, name: str) -> str:
    return page.get_attribute(f'#reply input[name="{name}"]', "value") or ""


def test_the_script_fetches_the_token_when_the_reader_writes_and_one_press_posts(seed, new_page):
    base, article = seed
    page = new_page()
    served = page.goto(base + article.get_absolute_url())
    assert served.headers["cache-control"].startswith("public") and "set-cookie" not in served.headers
    assert hidden(page, "csrfmiddlewaretoken") == "" and hidden(page, "timestamp") == ""
    assert page.context.cookies() == []
    with page.expect_response(lambda response: response.url.endswith("/comments/token/")) as token:
        page.fill("#id_email", "dana@example.com")
    assert token.value.status == 200
    page.fill("#id_body", "Posted with one press from the shared page.")
    page.wait_for_function("document.querySelector('#reply input[name=timestamp]').value !== ''")
    assert len(hidden(page, "csrfmiddlewaretoken")) == 64
    with page.expect_navigation():
        page.click("#reply button[type=submit]")
    comment = Comment.objects.get(body="Posted with one press from the shared page.")
    assert page.url.endswith(f"?comment={comment.pk}#comment-{comment.pk}")
    assert "Your comment is awaiting moderation" in page.content()


def test_a_press_before_the_token_came_waits_for_it(seed, new_page):
    base, article = seed
    page = new_page()
    page.goto(base + article.get_absolute_url())
    # The reader types and presses Post at once: the script holds the post until its token has come.
    page.evaluate("""() => {
        document.querySelector('#id_email').value = 'dana@example.com';
        document.querySelector('#id_body').value = 'Pressed before the token came.';
        document.querySelector('#reply button[type=submit]').click();
    }""")
    page.wait_for_url("**#comment-*")
    assert Comment.objects.filter(body="Pressed before the token came.").count() == 1


def test_without_a_script_the_second_press_posts(seed, new_page, settings):
    settings.COMMENTS_MIN_SECONDS = 3
    base, article = seed
    page = new_page(java_script_enabled=False)
    page.goto(base + article.get_absolute_url())
    page.fill("#id_email", "dana@example.com")
    page.fill("#id_body", "Posted with no script, in two presses.")
    with page.expect_navigation() as first:
        page.click("#reply button[type=submit]")
    assert first.value.status == 403
    assert page.inner_text("#form-errors li") == PRESS_AGAIN
    assert page.input_value("#id_body") == "Posted with no script, in two presses."
    assert not Comment.objects.filter(body__startswith="Posted with no script").exists()
    with page.expect_navigation():
        page.click("#reply button[type=submit]")  # at once
    comment = Comment.objects.get(body__startswith="Posted with no script")
    assert comment.body == "Posted with no script, in two presses."
    assert page.url.endswith(f"#comment-{comment.pk}")
