"""In-process measurements of the benchmark article page (run by bench/run.sh).

    python bench/inprocess.py N [--threads-per-page K] [--viewer anonymous|reader|verified|moderator]

Prints one JSON object: queries for one GET (warm), render median and p90 of 30 GETs after
3 warm-ups (django.test.Client, DEBUG off, page cache bypassed), page bytes, and the median
of 20 POSTs of a reply through the view (parents as the peer draws them). Also checks that every comment
is on the page once, in the workload's display order.
"""

import argparse
import json
import math
import random
import os
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthsite.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles.models import Article  # noqa: E402
from comments import antispam, workload  # noqa: E402
from comments.models import Comment  # noqa: E402

WARMUPS, REPS = 3, 30


def pct(values, p):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def client_for(viewer: str, article) -> Client:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    client = Client()
    if viewer == "anonymous":
        return client
    User = get_user_model()
    user, _ = User.objects.get_or_create(username=f"bench-{viewer}", defaults={"email": f"{viewer}@example.com"})
    if viewer == "moderator":
        user.groups.add(Group.objects.get(name="Moderators"))
    if viewer == "verified":  # a confirmed address and a display name: shown verified, by the joined name
        from allauth.account.models import EmailAddress

        from comments.models import Reader

        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        Reader.objects.update_or_create(user=user, defaults={"display_name": "bench reader"})
    client.force_login(user)
    if viewer in ("reader", "verified"):  # a reader with pending comments of their own on the page
        session = client.session
        mine = []
        for i in range(3):
            c = Comment(article=article, user=user, name="bench reader", body=f"Pending {i}", status="pending")
            from comments import moderation

            moderation._save_in_tree(c)
            mine.append(c.pk)
        session["comments_own_pending"] = mine
        session.save()
    return client


def check_order(n, html: str) -> str:
    specs = workload.generate_comments(n)
    first_pk = Comment.objects.filter(article__slug=workload.ARTICLE_SLUG).order_by("pk").values_list("pk", flat=True)[0]
    expected = [first_pk + i for i in workload.expected_display_order(specs)]
    found = [int(x) for x in re.findall(r'id="comment-(\d+)"', html)]
    found = [pk for pk in found if pk < first_pk + n]
    return "ok" if found == expected else f"order mismatch: {len(found)} ids on the page, {len(expected)} expected"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int)
    parser.add_argument("--threads-per-page", type=int, default=0)
    parser.add_argument("--viewer", default="anonymous")
    args = parser.parse_args()
    article = Article.objects.get(slug=workload.ARTICLE_SLUG)
    url = article.get_absolute_url()
    result = {"n": args.n, "threads_per_page": args.threads_per_page, "viewer": args.viewer}
    with override_settings(COMMENTS_THREADS_PER_PAGE=args.threads_per_page, PAGE_CACHE_SECONDS=0,
                           EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                           COMMENTS_RATE_LIMITS=[(60, 10**9)], COMMENTS_MIN_SECONDS=0):
        client = client_for(args.viewer, article)
        for _ in range(WARMUPS):
            response = client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        html = response.content.decode()
        result["queries"] = len(queries)
        result["bytes"] = len(response.content)
        if args.threads_per_page == 0 and args.viewer == "anonymous":
            result["order"] = check_order(args.n, html)
        times = []
        for _ in range(REPS):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        result["render_median_ms"] = round(statistics.median(times), 2)
        result["render_p90_ms"] = round(pct(times, 90), 2)
        if args.viewer == "anonymous":
            # As the peer's bench_post.py: parents drawn uniformly from the comments of level < 4
            # with Random(43); 2 warm-ups, then 20 timed posts; the 302 is not followed.
            eligible = list(Comment.objects.filter(article=article, level__lt=4).order_by("pk")
                            .values_list("pk", flat=True))
            rng = random.Random(43)
            body = workload._text(random.Random(44), 480)
            post_times = []
            poster = Client()
            with override_settings(COMMENTS_MAX_FORM_AGE=10**12):
                for i in range(2 + 20):
                    data = {"name": "Bench", "email": "bench@example.com", "body": f"{body} {i}",
                            "parent": eligible[rng.randrange(len(eligible))],
                            "timestamp": antispam.form_timestamp(0)}
                    start = time.perf_counter()
                    response = poster.post(url + "comments/", data)
                    elapsed = (time.perf_counter() - start) * 1000
                    assert response.status_code == 302, response.content[:500]
                    if i >= 2:
                        post_times.append(elapsed)
            Comment.objects.filter(article=article, name="Bench").delete()
            result["post_median_ms"] = round(statistics.median(post_times), 2)
            result["post_p90_ms"] = round(pct(post_times, 90), 2)
    if args.viewer in ("reader", "verified"):
        Comment.objects.filter(article=article, name="bench reader").delete()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
