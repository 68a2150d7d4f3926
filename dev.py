#!/usr/bin/env python3
"""The two set-up commands of the README, on a machine with only Python 3.11+.

    python3 dev.py serve   install, migrate, load the demo content, serve http://127.0.0.1:8000/
    python3 dev.py test    install and run the whole test suite (extra arguments go to pytest)

Each creates or reuses the virtualenv .venv beside this file and reinstalls only when a
requirements file changed.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "healthsite-demo")


def run(*args: str, env: dict | None = None) -> None:
    result = subprocess.run(args, cwd=ROOT, env=env)
    if result.returncode:
        sys.exit(result.returncode)


def ensure_venv(requirements: str) -> None:
    """Create .venv if missing and install the requirements when they changed since last time."""
    if sys.version_info < (3, 11):
        sys.exit("healthsite needs Python 3.11 or newer.")
    if not PYTHON.exists():
        print("Creating the virtualenv .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    digest = hashlib.sha256(
        b"".join((ROOT / name).read_bytes() for name in sorted({"requirements.txt", requirements}))
    ).hexdigest()
    stamp = VENV / f".installed-{requirements}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    print(f"Installing {requirements} ...", flush=True)
    run(str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirements)
    stamp.write_text(digest)


def serve() -> None:
    ensure_venv("requirements.txt")
    env = {**os.environ, "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "1")}
    run(str(PYTHON), "manage.py", "migrate", "--no-input", env=env)
    run(str(PYTHON), "manage.py", "loaddemo", "--password", DEMO_PASSWORD, env=env)
    print("\nhealthsite is at http://127.0.0.1:8000/  (admin: http://127.0.0.1:8000/admin/)", flush=True)
    os.execve(str(PYTHON), [str(PYTHON), "manage.py", "runserver", "127.0.0.1:8000"], env)


def test(args: list[str]) -> None:
    ensure_venv("requirements-dev.txt")
    database = os.environ.get("DATABASE_URL", "").split(":", 1)[0] or "sqlite"
    print(f"Running the test suite on {database} ...", flush=True)
    os.execv(str(PYTHON), [str(PYTHON), "-m", "pytest", *args])


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "serve":
        serve()
    elif command == "test":
        test(sys.argv[2:])
    else:
        sys.exit(__doc__)
