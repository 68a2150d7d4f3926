"""Turn bench/run.sh's results into BENCHMARKS.md (markdown on stdout).

    python bench/report.py RESULTS_DIR
"""

import glob
import json
import os
import re
import sys


def load(path):
    """Return the JSON object on the last line of one of our result files."""
    with open(path) as f:
        return json.loads(f.read().strip().splitlines()[-1])


def wrk(path):
    if not os.path.exists(path):
        return None
    text = open(path).read()
    out = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))}
    for p in ("50", "99"):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        if m:
            out[f"p{p}_ms"] = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    out["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"curl: \d+ (\d+)\)", text)
    out["bytes"] = int(m.group(1)) if m else None
    return out


def fmt_ms(v):
    return f"{v:,.1f} ms"


def ratio(a, b):
    return f"{a / b:.3f}" if a is not None and b else "n/a"


def main():
    res = sys.argv[1]
    env = open(os.path.join(res, "env.txt")).read().strip()
    sizes = sorted(int(re.search(r"(\d+)\.json$", p).group(1)) for p in glob.glob(os.path.join(res, "ours-whole-*.json")))
    ours = {n: load(os.path.join(res, f"ours-whole-{n}.json")) for n in sizes}
    paged = {n: load(os.path.join(res, f"ours-paged-{n}.json")) for n in sizes}
    viewers = {(v, n): load(os.path.join(res, f"ours-{v}-{n}.json")) for v in ("reader", "moderator") for n in sizes}
    peer, peer_post = {}, {}
    for n in sizes:
        p = os.path.join(res, "peer", f"inprocess-{n}.json")
        if os.path.exists(p):
            peer[n] = json.load(open(p))
        p = os.path.join(res, "peer", f"post-{n}.json")
        if os.path.exists(p):
            peer_post[n] = json.load(open(p))

    lines = ["# Benchmarks: the article page against django-comments-xtd", "",
             "Produced by `bash bench/run.sh` (this file is its output; the raw figures stay in",
             "`/tmp/healthsite-bench/results/`). Same machine, same run, same \"thread-N\" workload (seed 42,",
             "`manage.py makethread N`, ported from the peer's `workload.py`), SQLite, DEBUG off.",
             "In-process times: `django.test.Client` GETs of the whole page, 3 warm-ups then median and p90",
             "of 30; our page cache is off for them (`PAGE_CACHE_SECONDS=0`). Ratios are ours / peer.", "",
             "```", env, "```", "",
             "## Whole thread on one page (`COMMENTS_THREADS_PER_PAGE = 0`)", "",
             "| N | queries ours / peer | render median ours / peer | ratio (goal ≤ 0.1) | p90 ours | bytes ours / peer | ratio (goal ≤ 0.5) | order check |",
             "|---|---|---|---|---|---|---|---|"]
    for n in sizes:
        o, p = ours[n], peer.get(n, {})
        lines.append(
            f"| {n:,} | {o['queries']} / {p.get('queries_warm', 'n/a')} | {fmt_ms(o['render_median_ms'])} / "
            f"{fmt_ms(p['median_ms']) if p else 'n/a'} | {ratio(o['render_median_ms'], p.get('median_ms'))} | "
            f"{fmt_ms(o['render_p90_ms'])} | {o['bytes']:,} / {p.get('response_bytes', 0):,} | "
            f"{ratio(o['bytes'], p.get('response_bytes'))} | {o.get('order', '')} |")
    lines += ["", "## Default pagination (50 threads a page)", "",
              "| N | queries | render median | p90 | bytes | ratio to the peer's whole-thread time (goal < 0.02) |",
              "|---|---|---|---|---|---|"]
    for n in sizes:
        o, p = paged[n], peer.get(n, {})
        lines.append(f"| {n:,} | {o['queries']} | {fmt_ms(o['render_median_ms'])} | {fmt_ms(o['render_p90_ms'])} | "
                     f"{o['bytes']:,} | {ratio(o['render_median_ms'], p.get('median_ms'))} |")
    lines += ["", "## Queries by viewer (whole thread; goal: constant in N, at most 10)", "",
              "| viewer | " + " | ".join(f"N = {n:,}" for n in sizes) + " |", "|---|" + "---|" * len(sizes)]
    lines.append("| anonymous | " + " | ".join(str(ours[n]["queries"]) for n in sizes) + " |")
    for v in ("reader", "moderator"):
        label = "logged-in reader with 3 pending comments" if v == "reader" else "moderator"
        lines.append(f"| {label} | " + " | ".join(str(viewers[(v, n)]["queries"]) for n in sizes) + " |")
    lines += ["", "## Posting a reply (HTTP POST through the view: 2 warm-ups, median of 20, parents drawn as the peer draws them)", "",
              "| N | ours median (p90) | peer median (p90) | ours / peer |", "|---|---|---|---|"]
    for n in sizes:
        o, p = ours[n], peer_post.get(n)
        lines.append(f"| {n:,} | {fmt_ms(o['post_median_ms'])} ({fmt_ms(o['post_p90_ms'])}) | "
                     f"{fmt_ms(p['median_ms']) + ' (' + fmt_ms(p['p90_ms']) + ')' if p else 'n/a'} | "
                     f"{ratio(o['post_median_ms'], p['median_ms'] if p else None)} |")
    if sizes:
        lo, hi = ours[sizes[0]]["post_median_ms"], ours[sizes[-1]]["post_median_ms"]
        lines.append(f"\nPOST median at N = {sizes[-1]:,} / at N = {sizes[0]:,}: {hi / lo:.2f} (goal ≤ 1.5).")

    http = {name: wrk(os.path.join(res, f"wrk-{name}.txt")) for name in
            ["ours-uncached-1000", "ours-cached-1000", "ours-whitenoise-same-bytes"]}
    peer_http = wrk(os.path.join(res, "peer", "wrk-article-thread-1000.txt"))
    if any(http.values()):
        backend = open(os.path.join(res, "cache-backend.txt")).read().strip()
        lines += ["", "## Over HTTP (gunicorn, 2 sync workers, `wrk -t2 -c8 -d10s`, thread-1,000, whole thread)", "",
                  f"Page cache backend: {backend}.", "",
                  "| target | req/s | p50 | p99 | bytes | non-2xx |", "|---|---|---|---|---|---|"]
        for name, label in [("ours-uncached-1000", "ours, uncached (`PAGE_CACHE_SECONDS=0`)"),
                            ("ours-cached-1000", "ours, page cache"),
                            ("ours-whitenoise-same-bytes", "whitenoise serving the same bytes as a static file")]:
            w = http[name]
            if w:
                lines.append(f"| {label} | {w['rps']:,.1f} | {w.get('p50_ms', 0):.2f} ms | {w.get('p99_ms', 0):.2f} ms | "
                             f"{w['bytes'] or 0:,} | {w['non2xx']} |")
        if peer_http:
            lines.append(f"| peer (django-comments-xtd), uncached | {peer_http['rps']:,.1f} | "
                         f"{peer_http.get('p50_ms', 0):.2f} ms | {peer_http.get('p99_ms', 0):.2f} ms | "
                         f"{peer_http['bytes'] or 0:,} | {peer_http['non2xx']} |")
        if http["ours-cached-1000"] and http["ours-whitenoise-same-bytes"]:
            lines.append(f"\nCached page / whitenoise, same bytes: "
                         f"{http['ours-cached-1000']['rps'] / http['ours-whitenoise-same-bytes']['rps']:.2f} (goal ≥ 0.9; one run: the bench/scale.py section below alternates five).")
    lines += ["", "## Where the time and the bytes go", "",
              "- Profiled with cProfile at N = 10,000 before the rewrite: one `{% include %}` of a comment template per",
              "  comment cost about 0.4 ms each. Comment threads are now built in Python from each comment's stored",
              "  body HTML (`comments/render.py`), from one query whose rows skip Django's per-value converters",
              "  (`comments/tree.py`); what is left is fetching the rows and building one string per comment.",
              "- Page bytes: the bodies alone (300 to 800 characters, 564 bytes of HTML on average) are 38 % of the",
              "  peer's bytes per comment. What every comment must also carry (its `comment-<id>` anchor, poster",
              "  name with \"(not verified)\", the house date, \"In reply to by ...\" on replies, a Reply link that",
              "  works without JavaScript and a Report link) is about 140 bytes more, which leaves under 30 bytes",
              "  of tags per comment for the 1/2 goal; our markup is about 290 bytes a comment. Closing it would",
              "  take stripping the class names and wrappers the stylesheet and screen readers use, or moving",
              "  Report behind the comment's own page.",
              "- Cached page over HTTP: whitenoise hands the file to the kernel (`sendfile`); a cached page is",
              "  written from memory by the worker. Profiled with cProfile (hits through Django's WSGI handler,",
              "  in-process), a hit went through every middleware (sessions, auth, messages, allauth, the",
              "  redirects fallback), the URL resolver and the view before the page cache answered, and Django's",
              "  Redis client built a new `redis.Redis` (with its table of reply parsers) for every cache call,",
              "  about as costly as the round trip to Redis itself. Now `healthsite/fastpath.py` answers a hit",
              "  right after whitenoise for a reader with no session or messages cookie (the X-Frame-Options",
              "  and CSP middleware still add their headers, compared with a miss's in",
              "  `tests/healthsite/test_fastpath.py`), and `healthsite/cache.py` keeps one client per",
              "  connection pool. After that, cProfile put a quarter of a hit in the one Redis round trip for the",
              "  page's versions and a seventh in django-csp building its policy for every response. Now the",
              "  versions are kept in each process and Redis tells it when one changes (client tracking:",
              "  `Tracked` in `healthsite/cache.py`, `tests/healthsite/test_tracked.py`), and the policy of a",
              "  cached page is built once per path. A hit through Django's WSGI handler, in-process on the seed",
              "  page, went from 160 to 111 µs, with whitenoise at 57 µs in the same runs (3,000 calls after a",
              "  warm-up, the file handed to a stand-in for sendfile). Over HTTP the cached page is now served as fast",
              "  as whitenoise serves the same bytes: see the bench/scale.py section below. The same script on the",
              "  commit before these changes (916a538), run right after it on the same machine, gave medians of",
              "  0.80 (SQLite: 1,690 to 1,771 cached req/s against 2,070 to 2,232) and 0.81 (PostgreSQL + Redis).",
              "- POST: a reply is one short transaction (the advisory lock on PostgreSQL; WAL and immediate",
              "  transactions on SQLite) whose cost is the django-mptt shift of one thread's lft/rght values, so it",
              "  does not grow with the article's other threads."]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
