"""Configuration comes only from the environment and fails loudly (issue 2, Project and setup)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CONTINUUM = [sys.executable, "-m", "continuum"]
SRC = str(Path(__file__).resolve().parent.parent / "src")


def _run(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CONTINUUM_", "DJANGO_"))}
    clean.pop("SECRET_KEY", None)
    clean.pop("ALLOWED_HOSTS", None)
    clean.pop("DATABASE_URL", None)
    clean.update({"PYTHONPATH": SRC, "CONTINUUM_VAR_DIR": str(tmp_path), **env})
    return subprocess.run(  # noqa: S603 - fixed arguments, our own console script
        CONTINUUM + args, env=clean, capture_output=True, text=True, timeout=120, check=False
    )


PRODUCTION = {
    "SECRET_KEY": "k" * 20 + "production-like-secret-for-the-deploy-check" + "z" * 20,
    "ALLOWED_HOSTS": "continuum.example.org",
}


def test_deploy_check_with_production_settings_has_no_warnings(tmp_path):
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_secret_key_refuses_to_start(tmp_path):
    result = _run(["check"], {"ALLOWED_HOSTS": "continuum.example.org"}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start(tmp_path):
    result = _run(["check"], {"SECRET_KEY": PRODUCTION["SECRET_KEY"]}, tmp_path)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CONTINUUM_DEBUG", "maybe"),
        ("CONTINUUM_REQUIRE_2FA", "sometimes"),
        ("CONTINUUM_SESSION_IDLE_MINUTES", "half an hour"),
        ("CONTINUUM_API_TOKEN_DAYS", "0"),
    ],
)
def test_bad_values_stop_start_up_naming_the_variable(tmp_path, name, value):
    result = _run(["check"], {**PRODUCTION, name: value}, tmp_path)
    assert result.returncode != 0
    assert name in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text(PRODUCTION["SECRET_KEY"])
    env = {"SECRET_KEY_FILE": str(secret), "ALLOWED_HOSTS": "continuum.example.org"}
    result = _run(["check"], env, tmp_path)
    assert result.returncode == 0, result.stderr


def test_verify_audit_exit_status(tmp_path):
    """The console script as an operator's cron job runs it: exit 0 on an intact chain."""
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    assert _run(["migrate", "-v0"], env, tmp_path).returncode == 0
    result = _run(["verify_audit"], env, tmp_path)
    assert result.returncode == 0 and "intact" in result.stdout
