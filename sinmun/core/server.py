"""Run sinmun under gunicorn from inside the ``sinmun`` command."""

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


def run_gunicorn(*, bind: str, workers: int) -> None:
    SinmunServer(
        {
            "bind": bind,
            "workers": workers,
            "worker_class": "sync",
            "timeout": 30,
            "graceful_timeout": 10,
            "accesslog": "-",
            "max_requests": 10000,
            "max_requests_jitter": 1000,
            "preload_app": True,
        }
    ).run()
