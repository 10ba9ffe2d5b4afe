"""The site's time zone decides which day it is, for pages, tasks and Celery beat."""

import runpy
from pathlib import Path

from celery.schedules import crontab
from django.conf import settings

from config.celery_app import app

SETTINGS = Path(__file__).resolve().parent.parent / "config" / "settings"


def test_celery_beat_keeps_the_sites_time_zone():
    assert app.conf.timezone == settings.TIME_ZONE
    nightly = settings.CELERY_BEAT_SCHEDULE["worklist-nightly"]["schedule"]
    assert isinstance(nightly, crontab) and nightly.hour == {2}


def test_the_demo_runs_on_a_business_time_zone_and_the_environment_can_change_it(monkeypatch):
    monkeypatch.delenv("TIME_ZONE", raising=False)
    local = runpy.run_module("config.settings.local")
    assert local["TIME_ZONE"] == "America/Chicago"
    assert local["CELERY_TIMEZONE"] == local["TIME_ZONE"]
    monkeypatch.setenv("TIME_ZONE", "Pacific/Honolulu")
    local = runpy.run_module("config.settings.local")
    assert (local["TIME_ZONE"], local["CELERY_TIMEZONE"]) == ("Pacific/Honolulu",) * 2
