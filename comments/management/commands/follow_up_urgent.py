from django.core.management.base import BaseCommand

from comments import urgent


class Command(BaseCommand):
    help = ("Alert every moderator again about crisis comments left unhandled for COMMENTS_URGENT_MINUTES, "
            "and log each alert. Run it every few minutes from a scheduler.")

    def handle(self, *args, **options):
        alerted = urgent.follow_up()
        self.stdout.write(f"{len(alerted)} urgent comment{'s' if len(alerted) != 1 else ''} followed up.")
