from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from articles.views import public_articles

from .models import Author


class AuthorDetailView(ListView):
    """An author's page: photo, credentials, bio, links, and their articles."""

    paginate_by = 10
    template_name = "authors/author_detail.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author.objects.prefetch_related("social_links"), slug=self.kwargs["slug"])
        return public_articles().filter(authors=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)
