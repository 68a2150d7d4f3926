# The Celery application is made when Django starts, so a queued task always goes to its broker.
from .celery import app as celery_app

__all__ = ["celery_app"]
