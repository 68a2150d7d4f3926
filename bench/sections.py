"""What the benchmark scripts share: the run's record and their sections of BENCHMARKS.md."""

import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def commit() -> str:
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return found.stdout.strip() or "none"


def record() -> str:
    """Return the date, host, commit and load of this run, as the sections show them."""
    uname = os.uname()
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return (f"date: {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}\n"
            f"host: {uname.sysname} {uname.release} {uname.machine}; cores: {os.cpu_count()}\n"
            f"commit: {commit()}\nload average at the start: {load} (1, 5, 15 minutes)")


def write(marker: str, text: str) -> None:
    """Put the section that starts with `marker` into BENCHMARKS.md in place of the last one, leaving the others."""
    path = ROOT / "BENCHMARKS.md"
    page = path.read_text()
    if marker in page:
        before, rest = page.split(marker, 1)
        after = rest[rest.index("<!-- "):] if "<!-- " in rest else ""
    else:
        before, after = page, ""
    path.write_text(f"{before.rstrip()}\n\n{text}" + (f"\n{after}" if after else ""))
