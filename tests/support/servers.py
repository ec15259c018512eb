# ruff: noqa: S603, S607 - starts our own servers and tools on loopback
"""Live servers for the production tests (tests/production) and the benchmarks (bench/):
``sinmun serve`` and nginx with deploy/nginx's configuration, each in a subprocess on
loopback, plus fresh PostgreSQL databases and Redis databases.

Used from a source checkout only: the nginx template lives in deploy/, outside the
package.
"""

from __future__ import annotations

import importlib.util
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SINMUN = [sys.executable, "-m", "sinmun.ops.cli"]
POSTGRES_ADMIN_URL = os.environ.get(
    "SINMUN_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres"
)
REDIS_BASE_URL = os.environ.get("SINMUN_TEST_REDIS", "redis://127.0.0.1:6379")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def http_get(url: str, *, headers: dict | None = None, timeout: float = 10):
    """GET ``url``; return (status, headers, body text). No redirects followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback URLs
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8", "replace")


def admin_session(base_url: str, username: str, password: str, *, timeout: float = 30):
    """A ``requests`` session signed in through the admin's login form, as a person would."""
    import requests  # a test dependency, not the package's

    session = requests.Session()
    page = session.get(f"{base_url}/admin/login/", timeout=timeout)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base_url}/admin/login/",
        data={
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": password,
            "next": "/admin/",
        },
        headers={"Referer": f"{base_url}/admin/login/"},
        timeout=timeout,
    )
    if response.status_code != 200 or "sessionid" not in session.cookies:
        raise RuntimeError(f"could not sign in as {username}: {response.text[:500]}")
    return session


# --- PostgreSQL and Redis -------------------------------------------------------------


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=2):
            return True
    except Exception:  # noqa: BLE001 - any failure means "not here"
        return False


def redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_BASE_URL, socket_connect_timeout=2).ping())
    except Exception:  # noqa: BLE001
        return False


def fresh_postgres(name: str) -> str:
    """Drop and create database ``name``; return its DATABASE_URL."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}"


def drop_postgres(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def fresh_redis(db: int) -> str:
    """Empty Redis database ``db``; return its REDIS_URL."""
    import redis

    url = f"{REDIS_BASE_URL}/{db}"
    redis.Redis.from_url(url).flushdb()
    return url


# --- sinmun serve -------------------------------------------------------------------


class LiveProcess:
    """A server in a subprocess on loopback, in its own process group (stopped with it).

    Subclasses give the command and the request that tells it is ready."""

    ready_path = "/"

    def __init__(self, *, env: dict, port: int | None = None, log: Path):
        self.port = port or free_port()
        self.env = env
        self.log = Path(log)
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        raise NotImplementedError

    def is_ready(self, status: int) -> bool:
        return status < 500

    def start(self, timeout: float = 180):
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self._logfile = open(self.log, "ab")  # noqa: SIM115 - closed in stop()/kill()
        self.process = subprocess.Popen(
            self.command(),
            env=self.env,
            stdout=self._logfile,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=REPO,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{type(self).__name__} exited: {self.log.read_text()[-3000:]}")
            if port_open(self.port):
                try:
                    if self.is_ready(http_get(self.url + self.ready_path, timeout=5)[0]):
                        return self
                except OSError:
                    pass
            time.sleep(0.2)
        self.kill()
        raise RuntimeError(
            f"{type(self).__name__} did not answer in {timeout}s: {self.log.read_text()[-3000:]}"
        )

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        out = subprocess.run(  # ps from PATH, in a test helper  # nosec B607
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        return [int(p) for p in out.split()]

    def _close_log(self) -> None:
        if getattr(self, "_logfile", None):
            self._logfile.close()

    def kill(self) -> None:
        """kill -9 the whole process group at once (a power cut for the server)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self._close_log()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self._close_log()


class LiveSinmun(LiveProcess):
    """``sinmun serve``: migrates, collects static files, loads the demo, serves."""

    def __init__(
        self,
        *,
        data_dir: Path,
        env: dict | None = None,
        workers: int = 2,
        port: int | None = None,
        log: Path | None = None,
    ):
        port = port or free_port()
        self.data_dir = Path(data_dir)
        self.workers = workers
        super().__init__(
            port=port,
            log=log or self.data_dir / f"serve-{port}.log",
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "sinmun.settings.base",
                "SINMUN_DATA_DIR": str(self.data_dir),
                "SINMUN_SECRET_KEY": "live-test-" + secrets.token_hex(16),
                "SINMUN_SCHEDULER": "off",
                "SINMUN_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "SINMUN_BASE_URL": f"http://127.0.0.1:{port}",
                "SINMUN_LOG_LEVEL": "WARNING",
                **(env or {}),
            },
        )

    def command(self) -> list[str]:
        return [
            *SINMUN,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
        ]

    def start(self, timeout: float = 180) -> LiveSinmun:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return super().start(timeout)

    def run(self, *args: str, input_text: str | None = None, timeout: float = 120):
        """Run another ``sinmun`` command with this server's environment."""
        return subprocess.run(
            [*SINMUN, *args],
            env=self.env,
            input=input_text,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=REPO,
            check=False,
        )


# --- nginx --------------------------------------------------------------------------


def nginx_binary() -> str | None:
    return shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )


def _render_module():
    spec = importlib.util.spec_from_file_location(
        "sinmun_nginx_render", REPO / "deploy/nginx/render.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


class LiveNginx:
    """nginx with deploy/nginx/sinmun.conf.in on loopback ports, run as the current user."""

    def __init__(
        self,
        *,
        workdir: Path,
        upstreams: list[str],
        static_root: Path,
        media_root: Path,
        extra_http: str = "",
        workers: int = 1,
        view_log: Path | None = None,
    ):
        self.render = _render_module()
        self.workdir = Path(workdir)
        self.port = free_port()
        self.purge_port = free_port()
        self.site = self.render.Site(
            static_root=str(static_root),
            media_root=str(media_root),
            upstreams=upstreams,
            listen=f"127.0.0.1:{self.port}",
            purge_listen=f"127.0.0.1:{self.purge_port}",
            public_scheme="http",
            brotli=self.render.brotli_available(),
            view_log=str(view_log or ""),
        )
        self.extra_http = extra_http
        self.workers = workers
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def purge_url(self) -> str:
        return f"http://127.0.0.1:{self.purge_port}"

    def start(self, timeout: float = 15) -> LiveNginx:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed (scripts/install-system-deps.sh)")
        conf = self.render.standalone(
            self.site, self.workdir, extra_http=self.extra_http, workers=self.workers
        )
        self.process = subprocess.Popen(
            [
                binary,
                "-p",
                str(self.workdir),
                "-c",
                str(conf),
                "-e",
                str(self.workdir / "logs/error.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("nginx exited: " + (self.workdir / "logs/error.log").read_text())
            if port_open(self.port) and port_open(self.purge_port):
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("nginx did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
