from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"

    def ready(self):
        from healthsite import pagecache

        from .models import Comment

        # A comment shows on its article's page only.
        pagecache.watch(Comment, page="article")
