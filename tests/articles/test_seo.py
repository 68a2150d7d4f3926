"""SEO title, meta description and social image: optional, falling back to title, summary and lead image."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Article
from tests.adminforms import form_data
from tests.articles.test_cite_page import json_ld
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

SEED_URL = "http://127.0.0.1:8000/blogs/traumaptsdblog/2012/10/baclofen-in-ptsd-treatment/"
SEED_SUMMARY = ("A study of baclofen in PTSD points at GABA, the brain's own calming neurotransmitter, and at safe "
                "ways to increase it without the drug.")


def head(client, article):
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")

    def meta(**attrs):
        tag = page.head.find("meta", attrs=attrs)
        return tag["content"] if tag else None
    return {
        "title": page.title.text, "description": meta(name="description"),
        "og:title": meta(property="og:title"), "og:description": meta(property="og:description"),
        "og:image": meta(property="og:image"), "og:image:alt": meta(property="og:image:alt"),
        "twitter:card": meta(name="twitter:card"),
    }


def test_the_seed_page_keeps_its_head_when_the_fields_are_empty(client, demo):
    assert head(client, demo) == {
        "title": "Baclofen in PTSD Treatment | HealthyPlace", "description": SEED_SUMMARY,
        "og:title": "Baclofen in PTSD Treatment", "og:description": SEED_SUMMARY,
        "og:image": None, "og:image:alt": None, "twitter:card": "summary",
    }


def test_set_fields_replace_title_description_and_image(client, demo):
    demo.seo_title = "Baclofen for PTSD: what a study found"
    demo.meta_description = "A muscle relaxant eased PTSD symptoms in a small study."
    out = io.BytesIO()
    Image.new("RGB", (1300, 700), "navy").save(out, "JPEG")
    demo.social_image = SimpleUploadedFile("share.jpg", out.getvalue())
    demo.social_image_alt = "A bottle of pills beside a notebook"
    demo.save()
    stem = demo.social_image.name[:-4]
    assert head(client, demo) == {
        "title": "Baclofen for PTSD: what a study found | HealthyPlace",
        "description": "A muscle relaxant eased PTSD symptoms in a small study.",
        "og:title": "Baclofen for PTSD: what a study found",
        "og:description": "A muscle relaxant eased PTSD symptoms in a small study.",
        "og:image": f"http://127.0.0.1:8000/media/renditions/{stem}-1200w.jpg",
        "og:image:alt": "A bottle of pills beside a notebook", "twitter:card": "summary_large_image",
    }
    # The article's own heading stays its title, and so does the JSON-LD headline (what it cites).
    page = BeautifulSoup(client.get(demo.get_absolute_url()).content, "html.parser")
    assert page.select_one("h1.article-title").text == "Baclofen in PTSD Treatment"
    posting = json_ld(page)
    assert posting["headline"] == "Baclofen in PTSD Treatment"
    assert posting["description"] == "A muscle relaxant eased PTSD symptoms in a small study."
    assert posting["image"] == f"http://127.0.0.1:8000/media/renditions/{stem}-1200w.jpg"


def test_without_a_social_image_shares_show_the_lead_image(client):
    out = io.BytesIO()
    Image.new("RGB", (900, 600), "olive").save(out, "JPEG")
    article = ArticleFactory(summary="", lead_image=SimpleUploadedFile("lead.jpg", out.getvalue()),
                             lead_image_alt="A calm lake")
    found = head(client, article)
    assert found["og:image"] == f"http://127.0.0.1:8000/media/renditions/{article.lead_image.name[:-4]}-900w.jpg"
    assert found["og:image:alt"] == "A calm lake"
    assert found["description"] == article.title  # no summary: the title
    posting = json_ld(BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser"))
    assert posting["image"] == found["og:image"] and "description" not in posting


@pytest.fixture
def editor(client, staff):
    client.force_login(staff("editor", "Editors"))
    return client


def test_a_meta_description_over_160_characters_is_refused_with_the_text_kept(editor):
    article = ArticleFactory()
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_data(editor.get(url).content)
    data["meta_description"] = "Calm " * 32 + "quiet"  # 165 characters
    response = editor.post(url, data)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one(".field-meta_description .errorlist").text == (
        "Ensure this value has at most 160 characters (it has 165).")
    assert page.select_one("#id_meta_description")["value"] == "Calm " * 32 + "quiet"
    article.refresh_from_db()
    assert article.meta_description == ""


def test_a_social_image_without_alt_text_is_refused(editor):
    article = ArticleFactory()
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_data(editor.get(url).content)
    out = io.BytesIO()
    Image.new("RGB", (600, 400), "navy").save(out, "PNG")
    data["social_image"] = SimpleUploadedFile("share.png", out.getvalue())
    response = editor.post(url, data)
    assert response.status_code == 200
    assert "Describe the social image for readers who cannot see it." in response.content.decode()
    assert not Article.objects.get().social_image


def test_the_admin_shows_the_search_result_preview_from_the_saved_values(editor):
    article = ArticleFactory(title="Sleep and PTSD", summary="Why nights are hard. " * 10,
                             authors=[AuthorFactory()])
    url = f"/admin/articles/article/{article.pk}/change/"
    preview = BeautifulSoup(editor.get(url).content, "html.parser").select_one(".search-preview")
    assert preview.select_one(".search-preview-title").text == "Sleep and PTSD | HealthyPlace"
    assert preview.select_one(".search-preview-url").text == "http://127.0.0.1:8000" + article.get_absolute_url()
    description = preview.select_one(".search-preview-description").text
    assert len(description) == 160 and description.endswith("…")
    Article.objects.filter(pk=article.pk).update(seo_title="Nights with PTSD", meta_description="Why sleep is hard.")
    preview = BeautifulSoup(editor.get(url).content, "html.parser").select_one(".search-preview")
    assert preview.select_one(".search-preview-title").text == "Nights with PTSD | HealthyPlace"
    assert preview.select_one(".search-preview-description").text == "Why sleep is hard."
    assert preview["data-site-name"] == "HealthyPlace"
