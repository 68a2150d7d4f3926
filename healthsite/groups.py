"""The staff groups and their permissions, defined once and applied after every migrate.

Each group holds exactly the permissions listed here: one granted to a group by hand is taken
back at the next migrate, and a new group is one more entry. The admin narrows what Authors
may do to their own articles and profile (articles/roles.py). Permissions are named
"app_label.codename", so this module imports no app.
"""

from django.apps import apps as installed_apps
from django.contrib.auth.management import create_permissions

_EDITORIAL = [("articles", ["blog", "topic", "article", "articleauthor", "reviewrequest"]),
              ("authors", ["author", "sociallink"])]

GROUPS = {
    "Authors": [
        "articles.view_blog", "articles.view_topic",
        "articles.view_article", "articles.add_article", "articles.change_article", "articles.publish_article",
        "articles.view_articleauthor", "articles.add_articleauthor", "articles.change_articleauthor",
        "articles.delete_articleauthor",
        "authors.view_author", "authors.change_author",
        "authors.view_sociallink", "authors.add_sociallink", "authors.change_sociallink", "authors.delete_sociallink",
        "articles.view_reviewrequest", "articles.add_reviewrequest",
        "comments.post_without_approval",
    ],
    "Editors": [
        f"{app}.{action}_{model}"
        for app, models in _EDITORIAL for model in models for action in ["view", "add", "change", "delete"]
    ] + ["articles.publish_article", "articles.change_any_article", "comments.post_without_approval"],
    # Clinicians: they sign off the reviews they are asked for (articles/review.py) and edit their own profile.
    "Reviewers": [
        "articles.view_reviewrequest", "articles.add_reviewsignoff",
        "authors.view_author", "authors.change_author",
    ],
    "Moderators": [
        "comments.view_comment", "comments.change_comment", "comments.moderate_comment",
        "comments.post_without_approval", "comments.view_reader",
    ],
}


def apply(*, apps=installed_apps, using="default", **kwargs) -> None:
    """Give every group exactly its permissions (a post_migrate receiver; safe to run again)."""
    for app_config in installed_apps.get_app_configs():  # apps migrated after the sender, too
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        wanted = set(codenames)
        found = [
            permission for permission in
            Permission.objects.using(using).filter(codename__in={c.split(".")[1] for c in wanted})
            .select_related("content_type")
            if f"{permission.content_type.app_label}.{permission.codename}" in wanted
        ]
        group.permissions.set(found)
