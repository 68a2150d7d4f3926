"""Create the Authors, Editors and Moderators groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = {
    "Authors": [
        "articles.view_blog", "articles.view_topic",
        "articles.view_article", "articles.add_article", "articles.change_article", "articles.publish_article",
        "articles.view_articleauthor", "articles.add_articleauthor", "articles.change_articleauthor",
        "articles.delete_articleauthor",
        "authors.view_author", "authors.change_author",
        "authors.view_sociallink", "authors.add_sociallink", "authors.change_sociallink", "authors.delete_sociallink",
        "comments.post_without_approval",
    ],
    "Editors": [
        f"{app}.{action}_{model}"
        for app, models in [("articles", ["blog", "topic", "article", "articleauthor"]),
                            ("authors", ["author", "sociallink"])]
        for model in models
        for action in ["view", "add", "change", "delete"]
    ] + ["articles.publish_article", "comments.post_without_approval"],
    "Moderators": [
        "comments.view_comment", "comments.change_comment", "comments.moderate_comment",
        "comments.post_without_approval",
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are made after migrations by default; make them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    make_groups(apps)


def make_groups(apps):
    """Create the groups with their first permissions (0004 sets the article and author ones)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for full in codenames:
            app_label, codename = full.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("authors", "0001_initial"),
        ("comments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_groups, delete_groups)]
