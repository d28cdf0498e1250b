"""gunicorn, embedded: ``comment-portal serve`` without a separate config file."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication


class PortalServer(BaseApplication):
    def __init__(self, options: dict, app_config: dict | None = None):
        self.options = options
        self.app_config = app_config
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        # Called in each worker (no preload): every worker opens its own database connection
        # and loads jieba's dictionary once.
        from . import create_app
        from .tokens import warm_up

        app = create_app(self.app_config)
        warm_up()
        return app


def run(*, host: str, port: int, workers: int, app_config: dict | None = None, **extra) -> None:
    options = {
        "accesslog": "-",
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "sync",
        "timeout": 60,
        "graceful_timeout": 10,
        **extra,
    }
    PortalServer(options, app_config).run()
