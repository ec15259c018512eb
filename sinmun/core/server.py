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

        return application


def _start_scheduler(arbiter):
    # Exactly one scheduler loop per server: a child of the arbiter, not of a worker
    # (sinmun/newsroom/scheduler.py).
    from sinmun.newsroom.scheduler import start_child

    arbiter.sinmun_scheduler = start_child()


def _stop_scheduler(arbiter):
    from sinmun.newsroom.scheduler import stop_child

    stop_child(getattr(arbiter, "sinmun_scheduler", None))


def run_gunicorn(*, bind: str, workers: int) -> None:
    SinmunServer(
        {
            "when_ready": _start_scheduler,
            "on_exit": _stop_scheduler,
            "bind": bind,
            "workers": workers,
            # sync by default; SINMUN_WORKER_CLASS=gthread with SINMUN_THREADS keeps
            # nginx's upstream connections alive (docs/performance.md has both measured).
            "worker_class": os.environ.get("SINMUN_WORKER_CLASS", "sync"),
            "threads": int(os.environ.get("SINMUN_THREADS", "1")),
            "timeout": 30,
            "graceful_timeout": 10,
            "accesslog": "-",
            "max_requests": 10000,
            "max_requests_jitter": 1000,
            "preload_app": True,
        }
    ).run()
