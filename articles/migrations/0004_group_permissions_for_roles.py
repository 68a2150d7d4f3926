"""Give the groups their exact permissions for the publishing roles (SPEC "Moderation and roles").

Editors gain `change_any_article`, which lifts the admin's "only your own articles" scope. The
article and author permissions of each group are then set to exactly these lists (Moderators: none),
so one granted by hand is taken back. Authors keep add, change and publish: the admin narrows them to
their own articles and their own profile. Permissions of other apps (comments) are left as they are.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORIAL = [("articles", ["blog", "topic", "article", "articleauthor"]), ("authors", ["author", "sociallink"])]

GROUPS = {
    "Authors": [
        "articles.view_blog", "articles.view_topic",
        "articles.view_article", "articles.add_article", "articles.change_article", "articles.publish_article",
        "articles.view_articleauthor", "articles.add_articleauthor", "articles.change_articleauthor",
        "articles.delete_articleauthor",
        "authors.view_author", "authors.change_author",
        "authors.view_sociallink", "authors.add_sociallink", "authors.change_sociallink", "authors.delete_sociallink",
    ],
    "Editors": [
        f"{app}.{action}_{model}"
        for app, models in EDITORIAL for model in models for action in ["view", "add", "change", "delete"]
    ] + ["articles.publish_article", "articles.change_any_article"],
    "Moderators": [],
}
PUBLISHING_APPS = ["articles", "authors"]
ADDED = {"Editors": ["articles.change_any_article"]}


def _permission(Permission, full):
    app_label, codename = full.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def set_permissions(apps, schema_editor):
    # Permissions are made after migrations by default; make the new one now so a group can hold it.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    assign_permissions(apps)


def assign_permissions(apps):
    """Give each group exactly its article and author permissions."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [_permission(Permission, full) for full in codenames]
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label__in=PUBLISHING_APPS).exclude(pk__in=[p.pk for p in wanted])
        )
        group.permissions.add(*wanted)


def remove_added(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ADDED.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(*[_permission(Permission, full) for full in codenames])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_article_change_any_article_permission"),
    ]
    operations = [migrations.RunPython(set_permissions, remove_added)]
