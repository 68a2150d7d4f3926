from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.urls import register_converter


class HealthsiteConfig(AppConfig):
    name = "healthsite"
    verbose_name = "healthsite"

    def ready(self):
        from . import checks, groups, ids  # noqa: F401 (checks registers itself)

        post_migrate.connect(groups.apply, dispatch_uid="healthsite.groups.apply")
        register_converter(ids.Converter, "pk")
