"""The article admin's form: a new article's blog is the only blog when there is one."""

import pytest
from bs4 import BeautifulSoup

from tests.factories import BlogFactory

pytestmark = pytest.mark.django_db


def chosen_blog(admin_client) -> str | None:
    page = BeautifulSoup(admin_client.get("/admin/articles/article/add/").content, "html.parser")
    selected = page.select_one("#id_blog option[selected]")
    return selected["value"] or None if selected else None  # "---------" is the empty value


def test_new_article_is_in_the_only_blog(admin_client):
    blog = BlogFactory()
    assert chosen_blog(admin_client) == str(blog.pk)


def test_new_article_asks_for_a_blog_when_there_are_several(admin_client):
    BlogFactory(), BlogFactory()
    assert chosen_blog(admin_client) is None


def test_a_blog_named_in_the_address_wins(admin_client):
    BlogFactory()
    other = BlogFactory()
    page = BeautifulSoup(admin_client.get(f"/admin/articles/article/add/?blog={other.pk}").content, "html.parser")
    assert page.select_one("#id_blog option[selected]")["value"] == str(other.pk)
