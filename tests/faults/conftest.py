"""Fault tests: real servers killed, stopped and starved, and a nothing-lost check after.

The live tests run gunicorn (``sinmun.wsgi``, like ``sinmun serve``) in subprocesses on
127.0.0.1, on a copy of a site prepared once per session (migrated, the demo paper, an
editor account, static files collected). Private PostgreSQL and Redis servers are started
for the tests that stop them; the machine's own servers are never touched.

How many kill rounds: ``SINMUN_FAULT_ROUNDS`` (CI default 2; ``scripts/faults.sh`` runs
10 and, with ``SINMUN_FAULTS_FULL=1``, the PostgreSQL backup under load too).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

from tests.support.servers import REPO, LiveProcess, admin_session, free_port, port_open

SINMUN = [sys.executable, "-m", "sinmun.ops.cli"]
ROUNDS = int(os.environ.get("SINMUN_FAULT_ROUNDS", "2"))
# The long runs (PostgreSQL backup under load: two migrations) only with scripts/faults.sh.
FULL = os.environ.get("SINMUN_FAULTS_FULL") == "1"
EDITOR = ("editor", "editor-password-4821")


def base_env(data_dir: Path, **extra: str) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "SINMUN_MEDIA_ROOT"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="sinmun.settings.base",
        SINMUN_DATA_DIR=str(data_dir),
        SINMUN_SECRET_KEY="faults-test-key-" + "x" * 30,
        SINMUN_SCHEDULER="off",
        SINMUN_ALLOWED_HOSTS="127.0.0.1,localhost",
        SINMUN_LOG_LEVEL="ERROR",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def sinmun(env: dict, *args: str, timeout: float = 300, check: bool = True):
    result = subprocess.run(
        [*SINMUN, *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"sinmun {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def python_in_site(env: dict, code: str, timeout: float = 120) -> str:
    """Run ``code`` in a Django process of the site; return its stdout."""
    script = "import django; django.setup()\n" + code
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(f"site script failed:\n{result.stderr[-3000:]}")
    return result.stdout


CREATE_EDITOR = f"""
from django.contrib.auth.models import User
User.objects.create_superuser({EDITOR[0]!r}, "editor@example.com", {EDITOR[1]!r})
"""


def prepare_site(env: dict) -> None:
    Path(env["SINMUN_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    sinmun(env, "migrate", "--no-input", "-v", "0")
    sinmun(env, "demo")
    python_in_site(env, CREATE_EDITOR)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite site with the demo paper, an editor and collected static files."""
    data = tmp_path_factory.mktemp("faults-template")
    env = base_env(data)
    prepare_site(env)
    sinmun(env, "collectstatic", "--no-input", "-v", "0")
    return data


def copy_site(template: Path, target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in ("sinmun.sqlite3",):
        source = template / name
        connection = sqlite3.connect(source)
        copy = sqlite3.connect(target / name)
        connection.backup(copy)
        copy.close()
        connection.close()
    return target


# --- the nothing-lost check --------------------------------------------------------------

SNAPSHOT = r"""
import hashlib, json
from django.utils.html import strip_tags
from wagtail.models import Revision
from sinmun.articles.models import Article

def text(body):
    if isinstance(body, str):
        body = json.loads(body)
    return " ".join(strip_tags(b["value"]) for b in body if b["type"] == "paragraph")

articles = {}
for a in Article.objects.order_by("pk"):
    raw = a.body.raw_data
    articles[a.pk] = {
        "title": a.title,
        "body_sha": hashlib.sha256(json.dumps(list(raw), sort_keys=True, default=str).encode()).hexdigest(),
        "text": text(list(raw)),
        "latest_revision": a.latest_revision_id,
        "live_revision": a.live_revision_id,
    }
revisions = {}
for r in Revision.objects.filter(base_content_type__model="article").order_by("pk"):
    revisions[r.pk] = {
        "object_id": int(r.object_id),
        "title": r.content.get("title"),
        "text": text(r.content.get("body") or "[]"),
    }
print(json.dumps({"articles": articles, "revisions": revisions}, ensure_ascii=False))
"""


def snapshot(env: dict) -> dict:
    data = json.loads(python_in_site(env, SNAPSHOT).strip().splitlines()[-1])
    data["articles"] = {int(k): v for k, v in data["articles"].items()}
    data["revisions"] = {int(k): v for k, v in data["revisions"].items()}
    return data


def untouched_identical(before: dict, after: dict, touched: set[int]) -> None:
    """Articles nobody edited keep the same count, body checksums and revisions."""
    keep = [pk for pk in before["articles"] if pk not in touched]
    for pk in keep:
        assert after["articles"].get(pk) == before["articles"][pk], pk
    old = {k: v for k, v in before["revisions"].items() if v["object_id"] not in touched}
    new = {k: v for k, v in after["revisions"].items() if v["object_id"] not in touched}
    assert new == old
    assert set(before["articles"]) <= set(after["articles"])


def sqlite_integrity(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# --- gunicorn -----------------------------------------------------------------------------


class Gunicorn(LiveProcess):
    """gunicorn with sinmun's WSGI app (what ``sinmun serve`` runs after migrating), on a
    site prepared beforehand; ready when it serves robots.txt."""

    ready_path = "/robots.txt"

    def __init__(self, env: dict, *, workers: int = 2, log: Path | None = None):
        port = free_port()
        self.workers = workers
        super().__init__(
            env=env,
            port=port,
            log=log or Path(env["SINMUN_DATA_DIR"]) / f"gunicorn-{port}.log",
        )

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "sinmun.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--timeout",
            "30",
            "--graceful-timeout",
            "5",
            "--preload",
        ]

    def is_ready(self, status: int) -> bool:
        return status == 200

    def start(self, timeout: float = 120) -> Gunicorn:
        return super().start(timeout)


def editor_session(base_url: str) -> requests.Session:
    return admin_session(base_url, *EDITOR)


def edit_form(article: dict, *, title: str, text: str) -> dict:
    """What the browser posts when an editor changes an article and presses 발행."""
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    data = nested_form_data(
        {
            "title": title,
            "subtitle": "",
            "section": article["section"],
            "reporter": article["reporter"] or "",
            "body": streamfield([("paragraph", rich_text(f"<p>{text}</p>"))]),
            "tags": "",
            "go_live_at": "",
            "expire_at": "",
        }
    )
    data["action-publish"] = "action-publish"
    return data


# --- private PostgreSQL and Redis (never the machine's own servers) -----------------------

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _as_postgres(args: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: run them as the postgres user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


class PrivatePostgres:
    """A throw-away PostgreSQL cluster in a temp folder on its own loopback port."""

    def __init__(self):
        # Not under pytest's tmp folder: that one is private to root, and the server runs
        # as the postgres user.
        workdir = Path(tempfile.mkdtemp(prefix="sinmun-faults-pg-"))
        self.workdir = workdir
        self.dir = workdir / "pgdata"
        self.socket_dir = workdir / "pgsock"
        self.port = free_port()
        self.log = workdir / "postgres.log"

    @staticmethod
    def available() -> bool:
        return (PG_BIN / "initdb").exists() and (os.geteuid() != 0 or shutil.which("runuser"))

    def _chown(self, path: Path) -> None:
        if os.geteuid() == 0:
            shutil.chown(path, "postgres", "postgres")

    def init(self) -> PrivatePostgres:
        for path in (self.workdir, self.socket_dir):
            path.mkdir(parents=True, exist_ok=True)
            self._chown(path)
        self.workdir.chmod(0o755)
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(self.dir),
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                    "-E",
                    "UTF8",
                    "--no-sync",
                ]
            ),
            check=True,
            capture_output=True,
        )
        self.log.touch()
        self._chown(self.log)
        return self

    def start(self) -> None:
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "pg_ctl"),
                    "-D",
                    str(self.dir),
                    "-l",
                    str(self.log),
                    "-w",
                    "-o",
                    f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 "
                    "-c fsync=on",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.dir), "-m", mode, "-w", "stop"]),
            check=False,
            capture_output=True,
        )

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.workdir, ignore_errors=True)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


class PrivateRedis:
    """redis-server on its own loopback port, without persistence (the worst case)."""

    def __init__(self, workdir: Path):
        self.dir = workdir
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while not port_open(self.port):
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"
