"""Run sinmun under gunicorn from inside the ``sinmun`` command."""

import os

from gunicorn.app.base import BaseApplication


class SinmunServer(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from sinmun.wsgi import application

        if self.cfg.preload_app and os.environ.get("SINMUN_KIWI_PRELOAD", "1") != "0":
            # Kiwi (~500 MB) loaded once here, single-threaded, shared by every worker
            # copy-on-write instead of loaded by each on its first search.
            from sinmun.search.analyzer import preload_shared_kiwi

            preload_shared_kiwi()
        return application


def _start_scheduler(arbiter):
    # Exactly one scheduler loop per server: a child of the arbiter, not of a worker
    # (scheduler.py).
    from sinmun.ops.scheduler import start_child

    arbiter.sinmun_scheduler = start_child()


def _stop_scheduler(arbiter):
    from sinmun.ops.scheduler import stop_child

    stop_child(getattr(arbiter, "sinmun_scheduler", None))


def run_gunicorn(*, bind: str, workers: int) -> None:
    SinmunServer(
        {
            "when_ready": _start_scheduler,
            "on_exit": _stop_scheduler,
            "bind": bind,
            "workers": workers,
            # gthread by default: it keeps connections alive (browsers without nginx,
            # nginx's upstream keepalive), where sync closes every connection after one
            # answer; measured side by side in docs/performance.md (Session 2).
            "worker_class": os.environ.get("SINMUN_WORKER_CLASS", "gthread"),
            "threads": int(os.environ.get("SINMUN_THREADS", "4")),
            "keepalive": 5,
            "timeout": 30,
            "graceful_timeout": 10,
            # SINMUN_ACCESS_LOG= (empty) turns gunicorn's access log off behind nginx,
            # which logs every request itself.
            "accesslog": os.environ.get("SINMUN_ACCESS_LOG", "-") or None,
            "max_requests": 10000,
            "max_requests_jitter": 1000,
            "preload_app": True,
        }
    ).run()
