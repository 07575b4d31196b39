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
        CONTINUUM + args, env=clean, capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path
    )


PRODUCTION = {
    "SECRET_KEY": "k" * 20 + "production-like-secret-for-the-deploy-check" + "z" * 20,
    "ALLOWED_HOSTS": "continuum.example.org",
}


def collected_static(tmp_path: Path) -> None:
    """What `collectstatic` leaves for the deploy check to find (continuum.E002), without running it."""
    (tmp_path / "static").mkdir(exist_ok=True)
    (tmp_path / "static" / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')


def test_deploy_check_with_production_settings_has_no_warnings(tmp_path):
    collected_static(tmp_path)
    # With the audit chain's checkpoints configured (the check reads neither file, paths suffice).
    env = {
        **PRODUCTION,
        "CONTINUUM_AUDIT_CHECKPOINT_FILE": str(tmp_path / "checkpoints.jsonl"),
        "CONTINUUM_AUDIT_SIGNING_KEY_FILE": str(tmp_path / "signing.pem"),
    }
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
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


def test_a_missing_setting_is_one_line_naming_it_not_a_traceback(tmp_path):
    result = _run(["create_api_token", "prob.officer"], {"ALLOWED_HOSTS": "continuum.example.org"}, tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("continuum: SECRET_KEY is not set")


def test_continuum_env_in_the_current_folder_is_read_and_the_environment_wins(tmp_path):
    (tmp_path / "continuum.env").write_text(
        "# the demo's settings\nCONTINUUM_DEBUG=true\n\nCONTINUUM_API_TOKEN_DAYS=zero\n", encoding="utf-8"
    )
    # CONTINUUM_DEBUG=true from the file: no SECRET_KEY needed; the environment's value of the token days wins.
    assert _run(["check"], {"CONTINUUM_API_TOKEN_DAYS": "5"}, tmp_path).returncode == 0
    refused = _run(["check"], {}, tmp_path)
    assert refused.returncode == 2
    assert "CONTINUUM_API_TOKEN_DAYS='zero'" in refused.stderr


def test_a_bad_line_in_the_env_file_names_the_file_and_the_line(tmp_path):
    named = tmp_path / "elsewhere.env"
    named.write_text("CONTINUUM_DEBUG=true\nthis is not a setting\n", encoding="utf-8")
    result = _run(["check"], {"CONTINUUM_ENV_FILE": str(named)}, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == f"continuum: {named}, line 2: expected NAME=value."


def test_the_readmes_api_token_command_works_with_the_demos_settings_file(tmp_path):
    """README, API: ``key=$(continuum create_api_token prob.officer)`` after ``make demo``."""
    (tmp_path / "continuum.env").write_text("CONTINUUM_DEBUG=true\nCONTINUUM_REQUIRE_2FA=false\n", encoding="utf-8")
    for args in (
        ["migrate", "--noinput", "-v", "0"],
        ["create_organisation", "probation", "Probation", "probation"],
        ["create_user", "prob.officer", "--organisation", "probation", "--role", "case_manager"],
    ):
        done = _run(args, {"CONTINUUM_NEW_PASSWORD": "a long enough password 42"}, tmp_path)
        assert done.returncode == 0, done.stderr
    token = _run(["create_api_token", "prob.officer"], {}, tmp_path)
    assert token.returncode == 0, token.stderr
    assert len(token.stdout.strip()) >= 40 and token.stdout.count("\n") == 1


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
