"""demo_setup creates a superuser with a published password: never on production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_demo_setup_refuses_production_settings(settings):
    settings.SETTINGS_MODULE = "config.settings.production"
    with pytest.raises(CommandError, match="refuses to run on production settings"):
        call_command("demo_setup", claims=10, files=1)
    assert not get_user_model().objects.filter(username="demo").exists()


def test_demo_setup_exits_non_zero_under_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "denials.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'never.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "demo_setup", "--claims", "10"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "refuses to run on production settings" in result.stderr
    assert not (tmp_path / "never.sqlite3").exists()
