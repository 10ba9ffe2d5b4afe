"""Shared fixtures. Tests marked ``postgres``, ``redis`` or ``celery_worker`` need that
service: outside CI they are skipped when it is missing; with CI=true they fail."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
ROOT = Path(__file__).resolve().parent.parent


def _missing(reason: str):
    if IN_CI:
        pytest.fail(f"CI requires this service: {reason}", pytrace=False)
    pytest.skip(reason)


def _redis_url() -> str | None:
    from django.conf import settings

    return settings.CELERY_BROKER_URL


def _redis_up(url: str | None) -> bool:
    if not url:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def pytest_runtest_setup(item):
    from django.conf import settings

    markers = {m.name for m in item.iter_markers()}
    engine = settings.DATABASES["default"]["ENGINE"]
    if {"postgres", "celery_worker"} & markers and "postgresql" not in engine:
        _missing(f"PostgreSQL (DATABASE_URL points at {engine})")
    if {"redis", "celery_worker"} & markers and not _redis_up(_redis_url()):
        _missing("Redis (set CELERY_BROKER_URL to a reachable Redis)")


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests empty every table when they end (a flush), seeded reference
    data included; put the catalog, teams, rules and policies back for the next one."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    from denials.catalog import catalog_sync
    from denials.models import ReasonCode, RemarkCode
    from worklist.defaults import install
    from worklist.models import Team

    if not ReasonCode.objects.exists():
        catalog_sync(ReasonCode, RemarkCode)
    if not Team.objects.exists():
        install(apps)


@pytest.fixture
def data_file():
    def _path(name: str) -> Path:
        return DATA / name

    return _path


# -- Personas: biller and teammate on the default team (AR follow-up), outsider on coding,
# a manager on no team, an integration account (API only). ``user`` is the biller.


@pytest.fixture
def user(db):
    """The biller persona (roles are explicit: in the "biller" group)."""
    from tests.factories import UserFactory

    return UserFactory(username="biller", roles=["biller"])


@pytest.fixture
def biller(user):
    from worklist.models import Team

    Team.objects.get(is_default=True).members.add(user)
    return user


@pytest.fixture
def teammate(db):
    from tests.factories import UserFactory

    return UserFactory(username="teammate", roles=["biller"], teams=["ar-follow-up"])


@pytest.fixture
def outsider(db):
    from tests.factories import UserFactory

    return UserFactory(username="outsider", roles=["biller"], teams=["coding"])


@pytest.fixture
def manager(db):
    from tests.factories import UserFactory

    return UserFactory(username="manager", roles=["manager"])


@pytest.fixture
def integration(db):
    from tests.factories import UserFactory

    return UserFactory(username="integration", roles=["integration"])


@pytest.fixture
def manager_client(manager):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user=manager)
    return client


@pytest.fixture
def api_client(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user=user)
    return client


@pytest.fixture
def token_client(user):
    from knox.models import AuthToken
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=user)[1]}")
    return client


def start_worker(name: str, *args: str) -> subprocess.Popen:
    """Start a real Celery worker process on Redis, booking into the test database."""
    from django.conf import settings
    from django.db import connection

    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
            f"{connection.settings_dict['NAME']}"
        ),
        "CELERY_BROKER_URL": _redis_url(),
        "CELERY_WORKER_LIVE": "1",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            f"--hostname={name}-{os.getpid()}@%h",
            *args,
        ],
        cwd=ROOT,
        env=env,
    )


def wait_for_worker(worker: subprocess.Popen, name: str) -> None:
    from config.celery_app import app

    deadline = time.monotonic() + 60
    destination = [_worker_name(name)]
    while not app.control.ping(destination=destination, timeout=1):
        if worker.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"the Celery worker {name} did not start", pytrace=False)


def wait_until_idle(timeout: float = 120) -> None:
    """Wait until the broker's default queue is empty and no worker runs, holds or has
    scheduled a task: only then may a test's database be flushed under the workers."""
    import redis

    from config.celery_app import app

    broker = redis.Redis.from_url(_redis_url())
    worker = _worker_name("test")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if broker.llen("default") + broker.llen("rescore") == 0:
            inspect = app.control.inspect(destination=[worker], timeout=2)
            replies = [inspect.active(), inspect.reserved(), inspect.scheduled()]
            # A worker too busy to answer in time is not idle: only its own empty lists are.
            if all(r is not None and r.get(worker) == [] for r in replies):
                return
        time.sleep(0.2)
    pytest.fail("the Celery workers did not go idle", pytrace=False)


def _worker_name(name: str) -> str:
    return f"{name}-{os.getpid()}@{os.uname().nodename}"


@pytest.fixture(scope="session")
def _celery_worker_process(django_db_setup, django_db_blocker):
    if not _redis_up(_redis_url()):
        _missing("Redis for the Celery worker")
    worker = start_worker("test", "--queues=default,rescore,analytics")
    try:
        wait_for_worker(worker, "test")
        yield worker
    finally:
        worker.terminate()
        worker.wait(timeout=30)


@pytest.fixture
def live_celery_worker(_celery_worker_process, transactional_db):
    """The session's live worker, for one test: tasks go through Redis to it instead of
    running in-process. Set up after the database fixture, so it is torn down first: the
    test ends only once the worker is idle, never flushing the tables under a task still
    writing to them; later tests run their tasks in-process again."""
    from config.celery_app import app

    app.conf.task_always_eager = False
    try:
        yield _celery_worker_process
        wait_until_idle()
    finally:
        app.conf.task_always_eager = True


@pytest.fixture
def broker_unreachable():
    """A context manager: inside it, tasks are published (not run eagerly) to a broker
    address where nothing listens, as when Redis is down. Restored on exit."""
    from contextlib import contextmanager

    from config.celery_app import app

    def reset_pools():
        # Publishing takes a producer from a pool per broker connection: drop ours so the
        # next publish connects to the broker address now configured.
        app._pool = None
        app.amqp._producer_pool = None

    @contextmanager
    def down():
        saved = app.conf.task_always_eager, os.environ.get("CELERY_BROKER_WRITE_URL")
        app.conf.task_always_eager = False
        # Celery publishes to the write URL; its environment variable wins over settings.
        os.environ["CELERY_BROKER_WRITE_URL"] = "redis://127.0.0.1:1/0"  # connection refused
        reset_pools()
        try:
            yield
        finally:
            app.conf.task_always_eager = saved[0]
            if saved[1] is None:
                os.environ.pop("CELERY_BROKER_WRITE_URL", None)
            else:
                os.environ["CELERY_BROKER_WRITE_URL"] = saved[1]
            reset_pools()

    return down
