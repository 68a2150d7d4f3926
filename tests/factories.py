import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, ArticleAuthor, Blog
from authors.models import Author
from comments.models import Comment


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = "Robin"
    last_name = "Reader"

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """UserFactory(verified=True): the user has confirmed their email address."""
        if create and extracted:
            EmailAddress.objects.update_or_create(user=self, email=self.email,
                                                  defaults={"verified": True, "primary": True})

    @factory.post_generation
    def display_name(self, create, extracted, **kwargs):
        """UserFactory(display_name="Jordan R."): the user has a reader profile with that name."""
        if create and extracted:
            from comments.models import Reader

            Reader.objects.update_or_create(user=self, defaults={"display_name": extracted})


class BlogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Blog

    title = factory.Sequence(lambda n: f"Blog {n}")
    slug = factory.Sequence(lambda n: f"blog-{n}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    display_name = factory.LazyAttribute(lambda a: f"{a.given_names} {a.family_name}")
    given_names = "Jane"
    family_name = factory.Sequence(lambda n: f"Writer{n}")
    slug = factory.Sequence(lambda n: f"author-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    blog = factory.SubFactory(BlogFactory)
    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=1))
    body = "<p>Body text.</p>"

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if not create:
            return
        for position, author in enumerate(extracted or [AuthorFactory()]):
            ArticleAuthor.objects.create(article=self, author=author, position=position)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    article = factory.SubFactory(ArticleFactory)
    name = "Sam"
    email = "sam@example.com"
    body = "A kind word."
    status = Comment.Status.APPROVED


def comment_form_data(*, served_seconds_ago: float = 10, **overrides) -> dict:
    """Return the fields a reader's browser posts, with a form served some seconds ago."""
    import time

    from comments import antispam

    return {
        "name": "Estrella",
        "email": "estrella@example.com",
        "body": "It helped me too.",
        "timestamp": antispam.form_timestamp(time.time() - served_seconds_ago),
        **overrides,
    }
