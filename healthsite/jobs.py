"""Work done once a transaction has committed: by a Celery worker when CELERY_BROKER_URL is set, else here.

With no broker (the two-command start, the test suite) a job runs in this process right after the commit.
With one, it is queued after the commit; if the broker cannot take it, a job that a periodic sweep also
does (the outbox's mail) is left to the sweep, and any other job runs here at once, so none is lost.
"""

import logging
from importlib import import_module

from django.conf import settings
from django.db import transaction

from .celery import app

logger = logging.getLogger(__name__)


def enqueue(task_name: str, *args, swept: bool = False) -> None:
    """Run the task `task_name` with `args` once the current transaction commits (at once outside one).

    `swept`: a periodic job does this task's work too, so when the broker is down it is left for that job.
    """
    def dispatch():
        _dispatch(task_name, args, swept)

    dispatch.__qualname__ = f"job {task_name}{args!r}"  # what a failure's log line names
    transaction.on_commit(dispatch, robust=True)


def task(task_name: str):
    """Return the Celery task named by its dotted path ("healthsite.tasks.send_mail"), importing its module."""
    import_module(task_name.rpartition(".")[0])  # a web process has not imported every app's tasks
    return app.tasks[task_name]


def _dispatch(task_name: str, args: tuple, swept: bool) -> None:
    job = task(task_name)
    if settings.CELERY_BROKER_URL:
        try:
            job.apply_async(args)
            return
        except Exception:  # the broker is unreachable (kombu's OperationalError) or refused the message
            if swept:
                logger.exception("Could not queue %s%r; the periodic sweep will do it", task_name, args)
                return
            logger.exception("Could not queue %s%r; running it in this process", task_name, args)
    job(*args)
