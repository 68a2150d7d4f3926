from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from healthsite import jobs


class Command(BaseCommand):
    help = ("Run a periodic job of CELERY_BEAT_SCHEDULE in this process, for a system scheduler (cron, a systemd "
            "timer) when there is no Celery beat. Without a name, list them.")

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", metavar="NAME", help="Entries of CELERY_BEAT_SCHEDULE, e.g. outbox-sweep.")

    def handle(self, *args, names=(), **options):
        schedule = settings.CELERY_BEAT_SCHEDULE
        if not names:
            for name, entry in schedule.items():
                when = entry["schedule"]
                when = f"every {when} seconds" if isinstance(when, int | float) else f"on {when}"
                self.stdout.write(f"{name}: {entry['task']}, {when}")
            return
        unknown = [name for name in names if name not in schedule]
        if unknown:
            raise CommandError(f"No periodic job {', '.join(unknown)}; there are {', '.join(schedule)}.")
        for name in names:
            result = jobs.task(schedule[name]["task"])()
            self.stdout.write(f"{name}: {result}")
