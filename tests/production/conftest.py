"""Live stacks for the production tests: sinmun serve (gunicorn) in subprocesses, nginx
with deploy/nginx's configuration, PostgreSQL and Redis. See tests/support/servers.py.

These tests need no Django test database: they talk HTTP to real servers.
"""

import re
import time

import pytest
import requests

from tests.support.servers import (
    admin_session,
    drop_postgres,
    fresh_postgres,
    fresh_redis,
    nginx_binary,
    postgres_available,
    redis_available,
)

# Our own names (docs: every engineer uses their own database and Redis number).
POSTGRES_DB = "sinmun_prod"
REDIS_DB = 8
STAFF = ("desk", "desk-password-1234")


@pytest.fixture(scope="session")
def need_nginx():
    if nginx_binary() is None:
        pytest.skip("nginx is not installed (run scripts/install-system-deps.sh)")


@pytest.fixture(scope="session")
def need_postgres_redis():
    missing = [
        n
        for n, ok in (("PostgreSQL", postgres_available()), ("Redis", redis_available()))
        if not ok
    ]
    if missing:
        pytest.skip(
            f"{' and '.join(missing)} not running on 127.0.0.1 (SINMUN_TEST_POSTGRES/SINMUN_TEST_REDIS)"
        )


@pytest.fixture(scope="module")
def postgres_redis(need_postgres_redis):
    """A fresh PostgreSQL database and an empty Redis database, dropped afterwards.

    The names are fixed (ours on a shared server), so two test runs on one machine (a
    whole-suite run next to a run of this folder) take turns: a file lock is held from
    creating the database to dropping it.
    """
    import fcntl

    with open("/tmp/sinmun-production-tests.lock", "w") as lock:  # noqa: S108
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            database_url = fresh_postgres(POSTGRES_DB)
            redis_url = fresh_redis(REDIS_DB)
            yield {"DATABASE_URL": database_url, "REDIS_URL": redis_url}
        finally:
            drop_postgres(POSTGRES_DB)
            fresh_redis(REDIS_DB)
            fcntl.flock(lock, fcntl.LOCK_UN)


def article_ids(html: str) -> list[int]:
    seen = []
    for number in re.findall(r'href="/article/(\d+)/"', html):
        if int(number) not in seen:
            seen.append(int(number))
    return seen


def create_staff(server) -> None:
    result = server.run(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        f"User.objects.create_superuser({STAFF[0]!r}, 'desk@example.com', {STAFF[1]!r})",
    )
    assert result.returncode == 0, result.stderr


def staff_session(base_url: str) -> requests.Session:
    """Sign in through the admin's login form, as a person would."""
    return admin_session(base_url, *STAFF, timeout=10)


PUBLISH_SCRIPT = """
import time
from sinmun.articles.models import Article
article = Article.objects.get(pk={pk})
article.title = {title!r}
article.save_revision(log_action=False).publish()
print("published", time.time(), flush=True)
"""


def publish_title(server, pk: int, title: str):
    """Publish a new title for article ``pk`` with the app's own code in another process
    (as the scheduler does for an embargo lift). Return (the wall-clock time it
    committed, the process, still finishing its purge)."""
    import subprocess

    from tests.support.servers import REPO, SINMUN

    process = subprocess.Popen(
        [*SINMUN, "shell", "-c", PUBLISH_SCRIPT.format(pk=pk, title=title)],
        env=server.env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = ""
    for line in process.stdout:  # the shell first says what it imported
        if line.startswith("published"):
            break
    if not line.startswith("published"):
        process.wait(timeout=30)
        raise AssertionError(f"publish failed: {line}{process.stderr.read()}")
    return float(line.split()[1]), process


def wait_for(predicate, *, timeout: float, interval: float = 0.02):
    """Poll ``predicate`` until it returns something true; return (value, seconds)."""
    start = time.monotonic()
    while True:
        value = predicate()
        if value:
            return value, time.monotonic() - start
        if time.monotonic() - start > timeout:
            return None, time.monotonic() - start
        time.sleep(interval)
