import datetime

from django.contrib.sitemaps.views import sitemap
from django.urls import path, register_converter

from healthsite import ids

from . import feeds, views
from .sitemaps import SITEMAPS


# The years an article's date and address may have: all but the calendar's first and last. Django finds
# `published_at__year` between the year's first and last moments in the site's time zone converted to UTC,
# and in year 1 east of Greenwich, or year 9999 west of it, that falls outside what a datetime holds.
YEARS = range(datetime.MINYEAR + 1, datetime.MAXYEAR)


class FourDigitYear:
    regex = r"[0-9]{4}"

    def to_python(self, value):
        if int(value) not in YEARS:
            raise ValueError(f"No article is dated in the year {value}.")  # no match: the address answers 404
        return int(value)

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
# A version number is read as ids are (healthsite/ids.py), under a name of its own: the admin imports this
# module before the healthsite app registers `pk`.
register_converter(type("VersionNumber", (ids.Converter,), {}), "version")

# An article's canonical address; its comments, citations and feeds hang below it.
ARTICLE = "blogs/<slug:blog>/<yyyy:year>/<mm:month>/<slug:slug>/"

app_name = "articles"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("blogs/", views.BlogListView.as_view(), name="blogs"),
    path("blogs/<slug:blog>/", views.BlogDetailView.as_view(), name="blog"),
    path(ARTICLE, views.ArticleDetailView.as_view(), name="detail"),
    path(ARTICLE + "cite.<citeformat:fmt>", views.article_citation, name="cite"),
    path(ARTICLE + "v/<version:number>/", views.ArticleVersionView.as_view(), name="version"),
    path(ARTICLE + "v/<version:number>/cite.<citeformat:fmt>", views.version_citation, name="version_cite"),
    path("topics/", views.TopicListView.as_view(), name="topics"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic"),
    path("authors/", views.AuthorListView.as_view(), name="authors"),
    path("authors/<slug:slug>/", views.AuthorDetailView.as_view(), name="author"),
    path("authors/<slug:slug>/feed/", feeds.AuthorFeed(), name="author_feed"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("blogs/<slug:blog>/feed/", feeds.BlogFeed(), name="blog_feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
