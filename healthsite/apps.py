from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HealthsiteConfig(AppConfig):
    name = "healthsite"
    verbose_name = "healthsite"

    def ready(self):
        from . import groups

        post_migrate.connect(groups.apply, dispatch_uid="healthsite.groups.apply")
