"""`kezdocs serve`: the workspace on waitress, with the watch service in the same process (one writer).

waitress is a pure-Python production server that runs the same on Windows
and Linux (no compiler, no reverse proxy needed inside an office network).
On the loopback address a root without accounts opens without sign-in; on any
other address the server refuses to start until accounts exist.
"""
from __future__ import annotations

import ipaddress
import logging
import threading
from datetime import date
from typing import Callable

from waitress import wasyncore
from waitress.server import create_server

from kezdocs.core.errors import KezdocsError
from kezdocs.folders import users
from kezdocs.folders.casefolder import Root
from kezdocs.web.app import create_app
from kezdocs.web.workspace import Workspace

THREADS = 8  # requests served at once; writes to one card queue at its lock


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Server:
    """The workspace served on `host:port` (port 0: any free port, see `url`) until `stop()`."""

    def __init__(self, root: Root, host: str = "127.0.0.1", port: int = 8080, *,
                 today_fn: Callable[[], date] = date.today, debug: bool = False, delay: float | None = None,
                 rescan: float | None = None, poll: float | None = None):
        local = is_loopback(host)
        if not local and not users.has_users(root.path):
            raise KezdocsError(f"на адресе {host} рабочее место открыто всей сети — сначала заведите учётные записи: "
                               "kezdocs users add ЛОГИН --role юрист (роли: специалист, юрист, финансист, наблюдатель); "
                               "без учётных записей запускайте на 127.0.0.1")
        self.workspace = Workspace(root, today_fn, poll=poll, delay=delay, rescan=rescan)
        self.app = create_app(self.workspace, local=local, debug=debug)
        self._host, self._port = host, port
        self._server = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.effective_host, self._server.effective_port
        return f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}"

    def start(self) -> "Server":
        """Scan every case (the watcher's start-up), then listen; `serve_forever` or a thread serves."""
        self.workspace.start()
        try:
            self._server = create_server(self.app, host=self._host, port=self._port, threads=THREADS,
                                         ident="kezdocs", clear_untrusted_proxy_headers=True)
        except BaseException:
            self.workspace.stop()
            raise
        return self

    def serve_forever(self) -> None:
        try:
            self._server.run()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def start_in_thread(self) -> "Server":
        self.start()
        self._thread = threading.Thread(target=self._server.run, name="kezdocs-web", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.task_dispatcher.shutdown()
            wasyncore.close_all(self._server._map)  # the loop ends within waitress's one-second tick
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self.workspace.stop()

    def __enter__(self) -> "Server":
        return self.start_in_thread()

    def __exit__(self, *exc) -> None:
        self.stop()


def quiet_waitress() -> None:
    """waitress's own queue warnings are for developers; the service log says what users need."""
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
