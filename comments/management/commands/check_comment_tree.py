from django.core.management.base import BaseCommand, CommandError

from healthsite import pagecache
from comments import tree
from comments.models import Comment


class Command(BaseCommand):
    help = "Check the comment tree's consistency (nesting, levels, tree ids); --repair rebuilds it from the parents."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="Rebuild lft/rght/level/tree_id from each parent.")

    def handle(self, *args, repair=False, **options):
        problems = tree.problems()
        if not problems:
            self.stdout.write(f"The comment tree is consistent ({Comment.objects.count()} comments).")
            return
        for problem in problems[:50]:
            self.stdout.write(f"- {problem}")
        if not repair:
            raise CommandError(f"{len(problems)} problem(s) in the comment tree; run with --repair to rebuild it.")
        Comment.objects.rebuild()  # django-mptt: recomputes every node from parent links
        pagecache.changed(Comment)  # in update()s, which send no signal
        left = tree.problems()
        if left:
            raise CommandError(f"{len(left)} problem(s) remain after the rebuild: {left[:3]}")
        self.stdout.write(f"Repaired: {len(problems)} problem(s) fixed by rebuilding the tree.")
