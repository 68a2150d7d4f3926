"""The Celery application: settings from Django's (CELERY_*), tasks from each app's tasks.py.

    celery --app healthsite worker    the jobs queued by healthsite.jobs.enqueue
    celery --app healthsite beat      the periodic ones, CELERY_BEAT_SCHEDULE
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthsite.settings")

app = Celery("healthsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
