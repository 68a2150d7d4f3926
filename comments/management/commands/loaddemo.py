from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from comments import demo
from articles import revisions
from articles.models import Article, ArticleAuthor, Blog, Topic
from authors.models import Author, SocialLink
from comments.models import Comment, Reader


class Command(BaseCommand):
    help = "Create (or bring back to the seed) the demo blog, author, article and comments. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Also create or reset the staff users editor, author, moderator and reviewer (a clinician), and "
                 "the verified reader reader (Jordan R.), with this password.",
        )

    @transaction.atomic
    def handle(self, *args, password=None, **options):
        blog, _ = Blog.objects.update_or_create(slug=demo.BLOG["slug"], defaults=demo.BLOG)
        author = self.load_author()
        article = self.load_article(blog, author)
        revisions.record_seed(article)  # its v/1/, once: a reload keeps it
        self.load_comments(article)
        self.stdout.write(f"Demo article: {article.canonical_url()}")
        if password:
            self.load_staff(password, author)
            self.load_reader(password)
            self.load_reviewer(password)

    def load_author(self) -> Author:
        author = Author.objects.filter(slug=demo.AUTHOR["slug"]).first() or Author(slug=demo.AUTHOR["slug"])
        for field, value in demo.AUTHOR.items():
            setattr(author, field, value)
        author.save()
        for position, (label, url) in enumerate(demo.SOCIAL_LINKS):
            SocialLink.objects.update_or_create(author=author, label=label, defaults={"url": url, "position": position})
        return author

    def load_article(self, blog: Blog, author: Author) -> Article:
        article = Article.objects.filter(blog=blog, slug=demo.ARTICLE["slug"]).first() or Article(blog=blog)
        for field, value in demo.ARTICLE.items():
            setattr(article, field, value)
        article.status = Article.Status.PUBLISHED
        article.save()
        ArticleAuthor.objects.update_or_create(article=article, author=author, defaults={"position": 0})
        for name, slug in demo.TOPICS:
            topic, _ = Topic.objects.update_or_create(slug=slug, defaults={"name": name})
            article.topics.add(topic)
        return article

    def load_comments(self, article: Article) -> None:
        by_time = {}
        for seed in demo.COMMENTS:
            parent = by_time.get(seed.get("reply_to"))
            comment = Comment.objects.filter(article=article, created_at=seed["created_at"]).first()
            if comment is None:
                comment = Comment(article=article, created_at=seed["created_at"], parent=parent)
            comment.body = seed["body"]
            comment.status = Comment.Status.APPROVED
            comment.save()
            by_time[seed["created_at"]] = comment

    def load_staff(self, password: str, author: Author) -> None:
        User = get_user_model()
        for username, (group_name, first, last) in demo.STAFF.items():
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.email = f"{username}@example.com"
            user.is_staff = True
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=group_name))
            self.confirm_address(user)
            if username == "author":
                author.user = user
                author.save()
            self.stdout.write(f"Login: {username} / {password} ({group_name})")

    def confirm_address(self, user) -> None:
        """Mark the user's address confirmed, as if they had followed the emailed link."""
        EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).delete()
        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})

    def load_reader(self, password: str) -> None:
        User = get_user_model()
        user, _ = User.objects.get_or_create(username=demo.READER["username"])
        user.email = demo.READER["email"]
        user.is_staff = False
        user.set_password(password)
        user.save()
        self.confirm_address(user)
        Reader.objects.update_or_create(user=user, defaults={"display_name": demo.READER["display_name"]})
        self.stdout.write(f"Login: {user.username} / {password} (verified reader {demo.READER['display_name']}, "
                          f"{user.email})")

    def load_reviewer(self, password: str) -> None:
        """The clinician `reviewer`: group Reviewers, an author profile with credentials."""
        User = get_user_model()
        seed = demo.REVIEWER
        user, _ = User.objects.get_or_create(username=seed["username"])
        user.first_name, user.last_name = seed["given_names"], seed["family_name"]
        user.email = f"{user.username}@example.com"
        user.is_staff = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name="Reviewers"))
        self.confirm_address(user)
        profile = {key: value for key, value in seed.items() if key != "username"}
        Author.objects.update_or_create(slug=profile.pop("slug"), defaults={**profile, "user": user})
        self.stdout.write(f"Login: {user.username} / {password} (Reviewers: {seed['display_name']}, "
                          f"{seed['credentials']})")
