from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from healthsite import pagecache
        from .models import Article, ArticleAuthor, Blog, Topic

        # Any of these shows on every article page (titles, related articles, tags, credits).
        for model in (Blog, Topic, Article, ArticleAuthor):
            pagecache.watch(model)
