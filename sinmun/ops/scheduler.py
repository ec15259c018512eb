"""The minute loop that runs ``services.run_scheduled_jobs`` on a default install.

``sinmun serve`` starts exactly one loop per server: a child process of gunicorn's
arbiter (started from its ``when_ready`` hook, stopped from ``on_exit``), so no worker
runs it and forking workers never copies a running thread. Several servers on several
machines may each run one: publishing claims each article under a row lock (services.py).
Production may instead disable it (SINMUN_SCHEDULER=off) and use the systemd timer in
docs/newsroom.md, which runs ``sinmun run_scheduled_jobs`` once a minute.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading

logger = logging.getLogger(__name__)

INTERVAL_SECONDS = 60


def scheduler_enabled() -> bool:
    return os.environ.get("SINMUN_SCHEDULER", "on").lower() not in {"0", "off", "false", "no"}


def run_forever(*, interval: float = INTERVAL_SECONDS, stop: threading.Event | None = None):
    """Run the jobs now and then every ``interval`` seconds until ``stop`` is set or the
    parent process goes away."""
    from django.db import close_old_connections

    from .jobs import run_scheduled_jobs

    stop = stop or threading.Event()
    parent = os.getppid()
    while not stop.is_set():
        try:
            report = run_scheduled_jobs()
            if report.published:
                logger.warning("scheduled publish: %s (late: %s)", report.published, report.late)
        except Exception:  # noqa: BLE001 - the loop must outlive a bad minute
            logger.exception("scheduled jobs failed")
        finally:
            close_old_connections()
        if os.getppid() != parent:
            break  # the server is gone: do not linger as an orphan
        stop.wait(interval)


def start_child() -> subprocess.Popen | None:
    """Start the loop as a child process running ``sinmun run_scheduled_jobs --loop``."""
    if not scheduler_enabled():
        return None
    env = dict(os.environ)
    return subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "sinmun.ops.cli", "run_scheduled_jobs", "--loop"], env=env
    )


def stop_child(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
