# Ported unchanged from the benchmark peer (shared bench-peer/articles/workload.py): the same seed
# gives the same tree and bodies in both implementations.
"""Deterministic generator for the standard "thread-N" workload (seed 42).

Framework-free on purpose: any implementation (this peer, or our own
django-mptt project) can import or port it and get the same comments.

Spec
----
* one article: title ARTICLE_TITLE, body of exactly 1,500 lorem words in
  15 paragraphs of 100 words (own stream: Random(seed + 1000));
* N approved comments from rng = Random(seed), created in index order
  i = 0..N-1:
  - exactly N // 5 are top-level (20%): index 0 plus N//5 - 1 indices drawn
    with rng.sample(range(1, N), N//5 - 1);
  - every other comment is a reply whose parent is drawn uniformly
    (rng.randrange) from the already-created comments of depth < 4
    (depth 0 = top-level), so the deepest comment has depth 4 (5 levels);
  - name: rng.choice(FIRST_NAMES) (50 names); email: "<name>.<i>@example.com";
  - body: exactly rng.randint(300, 800) characters of lorem sentences
    (6-14 words each); 1 in 10 bodies (i % 10 == 9) contain the http URL
    "http://example.com/ref/<i>" at a random word position (inside the
    same length budget);
  - created: 2013-01-01 00:00:00 UTC + i minutes.
* Display order: top-level comments newest first, replies under their parent
  oldest first (depth-first); expected_display_order() gives it.
"""

import datetime as _dt
import random

SEED = 42
ARTICLE_TITLE = "The benchmark article"
ARTICLE_SLUG = "benchmark-article"
MAX_DEPTH = 4
START = _dt.datetime(2013, 1, 1, tzinfo=_dt.timezone.utc)

FIRST_NAMES = [
    "Ada", "Alan", "Alice", "Amir", "Anna", "Ben", "Bianca", "Carlos", "Chen",
    "Chloe", "Daniel", "Dara", "Elena", "Emil", "Eva", "Farah", "Felix",
    "Grace", "Hana", "Hugo", "Ines", "Ivan", "Jade", "James", "Jonas", "Karin",
    "Kofi", "Lara", "Leo", "Lina", "Marco", "Maya", "Mei", "Nadia", "Noah",
    "Olga", "Omar", "Paula", "Priya", "Quinn", "Rafael", "Rosa", "Sam",
    "Sofia", "Tariq", "Uma", "Victor", "Wen", "Yusuf", "Zoe",
]
assert len(FIRST_NAMES) == 50 and len(set(FIRST_NAMES)) == 50

LOREM = (
    "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod "
    "tempor incididunt ut labore et dolore magna aliqua enim ad minim veniam "
    "quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo "
    "consequat duis aute irure in reprehenderit voluptate velit esse cillum "
    "fugiat nulla pariatur excepteur sint occaecat cupidatat non proident sunt "
    "culpa qui officia deserunt mollit anim id est laborum curabitur pretium "
    "tincidunt lacus nulla gravida orci a odio nullam varius turpis et commodo "
    "pharetra est eros bibendum elit nec luctus magna felis sollicitudin mauris "
    "integer in mauris eu nibh euismod gravida"
).split()


def _text(rng, length):
    """Lorem sentences (6-14 words each), cut to exactly `length` chars,
    ending with a period."""
    out = ""
    while len(out) < length:
        n = rng.randint(6, 14)
        s = " ".join(rng.choice(LOREM) for _ in range(n)).capitalize() + "."
        out = s if not out else out + " " + s
    out = out[:length]
    return out[:-1] + "."


def _body(rng, i):
    target = rng.randint(300, 800)
    if i % 10 != 9:
        return _text(rng, target)
    url = f"http://example.com/ref/{i}"
    words = _text(rng, target - len(url) - 1).split(" ")
    words.insert(rng.randrange(1, len(words)), url)
    text = " ".join(words)
    assert len(text) == target
    return text


def generate_article(seed=SEED):
    rng = random.Random(seed + 1000)  # own stream, independent of comments
    paragraphs = []
    for _ in range(15):
        words = [rng.choice(LOREM) for _ in range(100)]
        paragraphs.append(" ".join(words).capitalize() + ".")
    return {
        "title": ARTICLE_TITLE,
        "slug": ARTICLE_SLUG,
        "body": "\n\n".join(paragraphs),
        "publish": START,
    }


def generate_comments(n, seed=SEED):
    """Return a list of n dicts: index, parent (index or None), depth, name,
    email, body, created."""
    rng = random.Random(seed)
    n_top = max(1, n // 5)
    top = {0} | set(rng.sample(range(1, n), n_top - 1)) if n > 1 else {0}
    comments = []
    eligible = []  # indices with depth < MAX_DEPTH
    for i in range(n):
        if i in top:
            parent, depth = None, 0
        else:
            parent = eligible[rng.randrange(len(eligible))]
            depth = comments[parent]["depth"] + 1
        name = rng.choice(FIRST_NAMES)
        c = {
            "index": i,
            "parent": parent,
            "depth": depth,
            "name": name,
            "email": f"{name.lower()}.{i}@example.com",
            "body": _body(rng, i),
            "created": START + _dt.timedelta(minutes=i),
        }
        comments.append(c)
        if depth < MAX_DEPTH:
            eligible.append(i)
    return comments


def expected_display_order(comments):
    """Indices in display order: top-level newest first, children oldest
    first, depth-first."""
    children = {}
    roots = []
    for c in comments:
        if c["parent"] is None:
            roots.append(c["index"])
        else:
            children.setdefault(c["parent"], []).append(c["index"])
    out = []

    def walk(i):
        out.append(i)
        for ch in children.get(i, ()):
            walk(ch)

    for r in reversed(roots):
        walk(r)
    return out


def stats(comments):
    depths = {}
    for c in comments:
        depths[c["depth"]] = depths.get(c["depth"], 0) + 1
    roots = {}
    for c in comments:
        root = c["index"]
        while comments[root]["parent"] is not None:
            root = comments[root]["parent"]
        roots[root] = roots.get(root, 0) + 1
    sizes = sorted(roots.values())
    lens = [len(c["body"]) for c in comments]
    return {
        "n": len(comments),
        "top_level": depths.get(0, 0),
        "by_depth": dict(sorted(depths.items())),
        "largest_thread": sizes[-1],
        "median_thread": sizes[len(sizes) // 2],
        "with_url": sum("http://" in c["body"] for c in comments),
        "body_len_min": min(lens),
        "body_len_max": max(lens),
        "body_chars_total": sum(lens),
    }


if __name__ == "__main__":
    import json
    import sys

    for n in [int(a) for a in sys.argv[1:]] or [100, 1000, 10000]:
        print(n, json.dumps(stats(generate_comments(n))))
