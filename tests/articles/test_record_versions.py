"""`manage.py record_versions`: version 1 for published articles that have none (older or imported ones)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client

from articles.models import Article, PublishedVersion
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def record() -> str:
    out = io.StringIO()
    call_command("record_versions", stdout=out)
    return out.getvalue().strip()


def test_published_articles_without_a_version_get_version_1_dated_at_their_publication(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 2, 14, 0, tzinfo=datetime.UTC), tick=False)
    older = ArticleFactory(title="Grounding", body="<p>Name five things you can see.</p>",
                           published_at=datetime.datetime(2019, 3, 4, 15, 0, tzinfo=datetime.UTC))
    draft = ArticleFactory(status=Article.Status.DRAFT)
    cited = ArticleFactory()
    PublishedVersion.objects.create(article=cited, number=1, published_at=cited.published_at, title=cited.title,
                                    summary="", body_html=cited.body_html)

    assert "This version" not in Client().get(older.get_absolute_url()).content.decode()  # and the page is cached
    assert record() == "Recorded version 1 of 1 published article."
    [version] = older.published_versions.all()
    assert (version.number, version.published_at, version.title) == (1, older.published_at, "Grounding")
    assert version.body_html == older.body_html and version.revision_id is not None
    assert not draft.published_versions.exists()
    assert list(cited.published_versions.values_list("number", flat=True)) == [1]

    page = Client().get(older.get_absolute_url() + "v/1/")
    assert page.status_code == 200 and "Name five things you can see." in page.content.decode()
    assert "This version" in Client().get(older.get_absolute_url()).content.decode()
    assert record() == "Recorded version 1 of 0 published articles."  # once only
    assert older.published_versions.count() == 1
