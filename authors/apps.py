from django.apps import AppConfig


class AuthorsConfig(AppConfig):
    name = "authors"

    def ready(self):
        from healthsite import pagecache

        from .models import Author, SocialLink

        # Bylines, bio boxes, reviewers and citations show authors on every article page.
        pagecache.watch(Author)
        pagecache.watch(SocialLink)
