from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from comments.models import Comment, Report


class Command(BaseCommand):
    help = ("Erase the IP addresses and user agents of comments, and the addresses of reports, "
            "older than COMMENTS_IP_RETENTION_DAYS.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Override COMMENTS_IP_RETENTION_DAYS.")

    def handle(self, *args, days=None, **options):
        days = settings.COMMENTS_IP_RETENTION_DAYS if days is None else days
        cutoff = timezone.now() - timedelta(days=days)
        erased = (
            Comment.objects.filter(created_at__lt=cutoff)
            .exclude(ip_address__isnull=True, user_agent="")
            .update(ip_address=None, user_agent="")
        )
        reports = Report.objects.filter(created_at__lt=cutoff, ip_address__isnull=False).update(ip_address=None)
        self.stdout.write(f"Erased the IP address and user agent of {erased} comment(s) and the address of "
                          f"{reports} report(s) older than {days} days.")
