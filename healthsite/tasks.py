"""Jobs of the shared parts: sending the outbox, sweeping it, and renditions of large uploads."""

from celery import shared_task

from . import images, outbox


@shared_task(name="healthsite.tasks.send_mail")
def send_mail(pk: int) -> bool:
    return outbox.send(pk)


@shared_task(name="healthsite.tasks.sweep_outbox")
def sweep_outbox() -> int:
    return outbox.sweep()


@shared_task(name="healthsite.tasks.make_renditions", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def make_renditions(name: str, widths: list[int], square: bool, old: str) -> None:
    images.make_renditions(name, widths, square=square)
    if old and old != name:
        images.discard(old)
