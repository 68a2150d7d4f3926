from django.urls import path, register_converter

from . import views


class FourDigitYear:
    regex = r"[0-9]{4}"
    to_python = int

    def to_url(self, value):
        return f"{value:04d}"


class TwoDigitMonth:
    regex = r"0[1-9]|1[0-2]"
    to_python = int

    def to_url(self, value):
        return f"{value:02d}"


class CitationFormat:
    regex = "bib|ris|json"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FourDigitYear, "yyyy")
register_converter(TwoDigitMonth, "mm")
register_converter(CitationFormat, "citeformat")

# An article's canonical address; its comments, citations and feeds hang below it.
ARTICLE = "blogs/<slug:blog>/<yyyy:year>/<mm:month>/<slug:slug>/"

app_name = "articles"
urlpatterns = [
    path("", views.ArticleListView.as_view(), name="home"),
    path("blogs/<slug:blog>/", views.BlogDetailView.as_view(), name="blog"),
    path(ARTICLE, views.ArticleDetailView.as_view(), name="detail"),
    path(ARTICLE + "cite.<citeformat:fmt>", views.article_citation, name="cite"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic"),
]
