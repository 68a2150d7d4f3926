"""Write a large WordPress export for measuring `manage.py import_wxr` (deterministic for a seed).

    python bench/wxr.py /tmp/wxr-bench.xml [--posts 5000] [--comments 100000] [--seed 42]
    python bench/wxr.py --report DIR     # the BENCHMARKS.md section from bench/wxr.sh's results in DIR

Posts: five paragraphs of lorem text written as WordPress stores them (blank lines, no <p>),
a category among 10 (the blog) and two tags among 30, by one of 20 authors, published one a day
from 2010. Comments: spread over the posts (20 each on average); about a third start a thread,
the others reply to one of the latest comments of their post, so threads run up to 10 deep;
85 % approved, 8 % pending, 5 % spam, 2 % trash; every 50th post also has a pingback.
Needs only the standard library (run it with any Python 3.11).
"""

import argparse
import datetime
import json
import platform
import random
import re
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from comments.workload import LOREM  # noqa: E402  (the benchmark's own word list; no Django needed)

MAX_DEPTH = 9  # level 0 to 9: ten levels
START = datetime.datetime(2010, 1, 1, 9, 0)
STATUSES = ["1"] * 85 + ["0"] * 8 + ["spam"] * 5 + ["trash"] * 2
SITE = "http://old.example.com"


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def sentences(rng: random.Random, count: int) -> str:
    return " ".join(" ".join(rng.choice(LOREM) for _ in range(rng.randint(6, 14))).capitalize() + "."
                    for _ in range(count))


def comment_counts(rng: random.Random, posts: int, comments: int) -> list[int]:
    """Split the comments over the posts, unevenly (some posts draw long discussions)."""
    weights = [rng.paretovariate(1.5) for _ in range(posts)]
    total = sum(weights)
    counts = [int(comments * w / total) for w in weights]
    for i in range(comments - sum(counts)):
        counts[i % posts] += 1
    return counts


def write(out, *, posts: int, comments: int, seed: int) -> dict:
    """Write the export; return what it holds (comments by depth, statuses, pingbacks)."""
    rng = random.Random(seed)
    stats = {"posts": posts, "comments": comments, "depths": Counter(), "statuses": Counter(), "pingbacks": 0}
    w = out.write
    w('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
      'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
      'xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
      'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<title>Benchmark blog</title>\n'
      f"<link>{SITE}</link>\n<wp:wxr_version>1.2</wp:wxr_version>\n<wp:base_site_url>{SITE}</wp:base_site_url>\n"
      f"<wp:base_blog_url>{SITE}</wp:base_blog_url>\n")
    for a in range(20):
        w(f"<wp:author><wp:author_id>{a + 1}</wp:author_id><wp:author_login>{cdata(f'writer{a}')}</wp:author_login>"
          f"<wp:author_display_name>{cdata(f'Writer Number{a}')}</wp:author_display_name>"
          f"<wp:author_first_name>{cdata('Writer')}</wp:author_first_name>"
          f"<wp:author_last_name>{cdata(f'Number{a}')}</wp:author_last_name></wp:author>\n")
    for c in range(10):
        w(f"<wp:category><wp:term_id>{c + 1}</wp:term_id><wp:category_nicename>category-{c}</wp:category_nicename>"
          f"<wp:cat_name>{cdata(f'Category {c}')}</wp:cat_name></wp:category>\n")
    comment_id = 1
    for p, count in enumerate(comment_counts(rng, posts, comments)):
        post_id = p + 1
        published = START + datetime.timedelta(days=p, minutes=rng.randint(0, 600))
        title = sentences(rng, 1)[:-1][:70]
        slug = f"post-{post_id}-" + "-".join(title.lower().split()[:4])
        body = "\n\n".join(sentences(rng, 4) for _ in range(5))
        tags = rng.sample(range(30), 2)
        w(f"<item><title>{cdata(title)}</title><link>{SITE}/{published:%Y/%m}/{slug}/</link>"
          f"<dc:creator>{cdata(f'writer{p % 20}')}</dc:creator><content:encoded>{cdata(body)}</content:encoded>"
          f"<excerpt:encoded>{cdata('')}</excerpt:encoded><wp:post_id>{post_id}</wp:post_id>"
          f"<wp:post_date>{published - datetime.timedelta(hours=5):%Y-%m-%d %H:%M:%S}</wp:post_date>"
          f"<wp:post_date_gmt>{published:%Y-%m-%d %H:%M:%S}</wp:post_date_gmt>"
          f"<wp:comment_status>open</wp:comment_status><wp:post_name>{slug}</wp:post_name>"
          f"<wp:status>publish</wp:status><wp:post_type>post</wp:post_type><wp:post_password></wp:post_password>"
          f'<category domain="category" nicename="category-{p % 10}">{cdata(f"Category {p % 10}")}</category>'
          + "".join(f'<category domain="post_tag" nicename="tag-{t}">{cdata(f"Tag {t}")}</category>' for t in tags))
        depths: list[tuple[int, int]] = []  # (comment id, depth) of this post's comments
        for i in range(count):
            if not depths or rng.random() < 0.3:
                parent, depth = 0, 0
            else:
                eligible = [d for d in depths[-6:] if d[1] < MAX_DEPTH] or [depths[0]]
                parent, parent_depth = rng.choice(eligible)
                depth = parent_depth + 1
            depths.append((comment_id, depth))
            stats["depths"][depth] += 1
            status = rng.choice(STATUSES)
            stats["statuses"][status] += 1
            moment = published + datetime.timedelta(hours=1 + i)
            name = rng.choice(LOREM).capitalize()
            w(f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id><wp:comment_author>{cdata(name)}"
              f"</wp:comment_author><wp:comment_author_email>{name.lower()}.{comment_id}@example.com"
              f"</wp:comment_author_email><wp:comment_author_IP>192.0.2.{comment_id % 250 + 1}</wp:comment_author_IP>"
              f"<wp:comment_date>{moment - datetime.timedelta(hours=5):%Y-%m-%d %H:%M:%S}</wp:comment_date>"
              f"<wp:comment_date_gmt>{moment:%Y-%m-%d %H:%M:%S}</wp:comment_date_gmt>"
              f"<wp:comment_content>{cdata(sentences(rng, rng.randint(2, 6)))}</wp:comment_content>"
              f"<wp:comment_approved>{status}</wp:comment_approved><wp:comment_type></wp:comment_type>"
              f"<wp:comment_parent>{parent}</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id>"
              "</wp:comment>\n")
            comment_id += 1
        if p % 50 == 0:
            stats["pingbacks"] += 1
            w(f"<wp:comment><wp:comment_id>{10_000_000 + p}</wp:comment_id><wp:comment_author>Elsewhere"
              "</wp:comment_author><wp:comment_content>Linked</wp:comment_content><wp:comment_approved>1"
              "</wp:comment_approved><wp:comment_type>pingback</wp:comment_type><wp:comment_parent>0"
              "</wp:comment_parent></wp:comment>\n")
        w("</item>\n")
    w("</channel>\n</rss>\n")
    return stats


def _time(err: str) -> dict:
    """Read /usr/bin/time -v's figures."""
    def field(name):
        return re.search(rf"{re.escape(name)}: (.+)", err).group(1).strip()
    wall = [float(x) for x in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")]
    return {"wall": sum(x * 60 ** i for i, x in enumerate(reversed(wall))),
            "cpu": float(field("User time (seconds)")) + float(field("System time (seconds)")),
            "rss_mb": int(field("Maximum resident set size (kbytes)")) / 1024}


def report(folder: Path) -> str:
    """Return the BENCHMARKS.md section for bench/wxr.sh's results in `folder`."""
    stats = json.loads((folder / "export.xml.json").read_text())
    depths = {int(k): v for k, v in stats["depths"].items()}
    size_mb = (folder / "export.xml").stat().st_size / 1e6
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    lines = [
        "## Moving in: `import_wxr` at scale", "",
        "Produced by `bash bench/wxr.sh` (with `PG_URL=postgres://user:pass@host:5432` for PostgreSQL too).",
        f"`bench/wxr.py` writes a WordPress export (WXR 1.2, {size_mb:,.0f} MB, seed 42) of "
        f"{stats['posts']:,} posts and {stats['comments']:,} comments: threads up to "
        f"{max(depths) + 1} levels deep ({', '.join(f'{depths[d]:,} at level {d}' for d in sorted(depths) if d >= 5)}),",
        f"{stats['statuses']['1']:,} approved, {stats['statuses']['0']:,} pending, {stats['statuses']['spam']:,} spam, "
        f"{stats['statuses']['trash']:,} in the trash, and {stats['pingbacks']:,} pingbacks. It is imported into an",
        "empty database, then imported again unchanged. Figures from `/usr/bin/time -v` around",
        "`manage.py import_wxr`; the machine's 2 cores were shared with other work, so the CPU time",
        "(user + system) is the steadier figure and the wall time the one a publisher waits.", "",
        "```",
        f"date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"host: {platform.system()} {platform.release()} {platform.machine()}",
        f"python: {platform.python_version()}; sqlite: {sqlite3.sqlite_version}",
        f"commit: {commit}",
        "```", "",
        "| database | run | wall | CPU | peak memory (max RSS) | posts | comments |",
        "|---|---|---|---|---|---|---|",
    ]
    for database, name in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
        for run, label in ((1, "first import"), (2, "again, unchanged")):
            err = folder / f"{database}-{run}.err"
            if not err.exists():
                continue
            figures, out = _time(err.read_text()), (folder / f"{database}-{run}.txt").read_text()
            posts = re.search(r"^Posts: ([\d,]*\d) \(created ([\d,]*\d)", out, re.M)
            comments = re.search(r"^Comments: ([\d,]*\d) \(created ([\d,]*\d)", out, re.M)
            minutes, seconds = divmod(figures["wall"], 60)
            lines.append(f"| {name} | {label} | {int(minutes)} min {seconds:.0f} s | {figures['cpu']:.0f} s | "
                         f"{figures['rss_mb']:.0f} MB | {posts.group(1)} ({posts.group(2)} created) | "
                         f"{comments.group(1)} ({comments.group(2)} created) |")
    lines.append("")
    for database, name in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
        tree = folder / f"{database}-tree.txt"
        if tree.exists():
            lines.append(f"{name}, `check_comment_tree` after both imports: \"{tree.read_text().strip()}\"  ")
    lines += [
        "", "Where the time goes (cProfile of a 200-post, 4,000-comment export on SQLite, 8.5 s in all under the",
        "profiler): 36 % is the site's own bleach sanitizing of each comment and article body (the same work",
        "a posted comment costs), 26 % the articles (their saves, slugs, topics and redirects), 20 % the",
        "comments' `bulk_create` (one per tree level for every 5,000 comments, as `makethread` writes its",
        "threads), 9 % reading the XML; laying out the trees is under 1 %. Memory stays flat: the file is",
        "streamed and each post's element is dropped once read, so peak memory does not grow with the file.",
        "The second import reads every item again and writes nothing: each item's fingerprint matches the",
        "one stored at the first import (three queries a post). Where wall time is far above CPU time, the",
        "import was waiting for the cores or the database server, shared with other work at the time.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, nargs="?")
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--report", type=Path, metavar="DIR")
    args = parser.parse_args()
    if args.report:
        sys.stdout.write(report(args.report))
        return
    with args.path.open("w", encoding="utf-8") as out:
        stats = write(out, posts=args.posts, comments=args.comments, seed=args.seed)
    Path(f"{args.path}.json").write_text(json.dumps(stats))


if __name__ == "__main__":
    main()
