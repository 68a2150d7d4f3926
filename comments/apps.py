from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"

    def ready(self):
        from healthsite import pagecache

        from . import section
        from .models import Comment

        # A comment shows on its article's page only.
        pagecache.watch(Comment, page="article")
        # Each page of an article's comments is the same for every anonymous reader.
        pagecache.share_variants(section.PAGE_QUERY)
