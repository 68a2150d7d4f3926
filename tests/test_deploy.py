"""Production settings: `check --deploy` is clean, and start-up refuses a missing secret key."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    # DJANGO_DEBUG is given so that a developer's .env (read by the settings) cannot change the answer.
    clean = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "DJANGO_DEBUG": "0", **env}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_check_deploy_prints_no_warning_with_production_settings():
    result = manage("check", "--deploy", DJANGO_SECRET_KEY="a-long-random-production-key-" + "x7Qp" * 10,
                    DJANGO_ALLOWED_HOSTS="www.example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNING" not in result.stderr


def test_production_start_up_refuses_a_missing_secret_key():
    result = manage("check", DJANGO_ALLOWED_HOSTS="www.example.org")
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_models_and_migrations_agree():
    result = manage("makemigrations", "--check", "--dry-run", DJANGO_SECRET_KEY="makemigrations-check-key")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "No changes detected"
