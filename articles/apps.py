from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from healthsite import pagecache
        from .models import Article, ArticleAuthor, Blog, Topic, PublishedVersion, ReviewRequest, ReviewSignoff

        # Any of these shows on every article page (titles, related articles, tags, credits).
        for model in (Blog, Topic, Article, ArticleAuthor):
            pagecache.watch(model)
        # The update history, the cite box's versions and "Review pending" show on their article's page.
        for model in (PublishedVersion, ReviewRequest, ReviewSignoff):
            pagecache.watch(model, page="article")
