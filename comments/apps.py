from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"

    def ready(self):
        from allauth.account.models import EmailAddress
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        from healthsite import pagecache

        from . import section
        from .models import Comment, Reader

        # A comment shows on its article's page only.
        pagecache.watch(Comment, page="article")
        # A poster's name, "(not verified)" and badges show on every page they commented on: their reader
        # name, a confirmed address, staff status and the groups that let them moderate. The last login
        # (saved at every login) shows nowhere.
        User = get_user_model()
        pagecache.watch(Reader, pages=lambda readers: section.poster_pages([r.user_id for r in readers]),
                        unshown=("notify_replies", "trust", "trust_changed_by", "trust_changed_at", "suspended",
                                 "suspension_changed_by", "suspension_changed_at"))
        pagecache.watch(EmailAddress, pages=lambda addresses: section.poster_pages([a.user_id for a in addresses]))
        pagecache.watch(User, pages=lambda users: section.poster_pages([u.pk for u in users]), unshown=("last_login",))
        pagecache.watch(Group, pages=lambda groups: section.poster_pages(
            User.objects.filter(groups__in=[g.pk for g in groups]).values_list("pk", flat=True)))
        # Each page of an article's comments is the same for every anonymous reader.
        pagecache.share_variants(section.PAGE_QUERY)
