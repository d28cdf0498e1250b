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


class PortUnavailable(Exception):
    """The address cannot be bound (in use by another program, or not an address of this machine)."""


def check_port(host: str, port: int) -> None:
    """Bind and release ``host:port`` the way gunicorn will, so a taken port is reported before anything
    prints an address (which would point at someone else's server)."""
    import errno
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise PortUnavailable(f"无法识别主机地址“{host}”：请用 127.0.0.1（仅本机）或 0.0.0.0（所有网卡）。") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortUnavailable(
                    f"端口 {port} 已被其他程序占用（{host}:{port}）：请先停止那个程序，或换一个端口，"
                    f"例如 make run PORT={port + 1}（或 comment-portal demo --port {port + 1}）。"
                ) from None
            raise PortUnavailable(f"无法在 {host}:{port} 上启动服务：{exc.strerror}。") from None
