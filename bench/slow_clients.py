"""Slow and idle clients for a server on loopback, and a probe timing normal requests meanwhile.

A slow client ("slowloris") opens a connection and sends a request one header line at a time,
a line every few seconds, never finishing; an idle client opens a connection and sends nothing.
Each holds a connection for as long as the server lets it. bench/web.py runs them beside its
load test, and tests/web/test_server.py checks that normal requests still get answers.

    with SlowClients("127.0.0.1", 8000, slow=20, idle=5):
        latencies, failures = probe("http://127.0.0.1:8000/sign-in/", seconds=10)

Everything is bounded: the clients stop when the ``with`` block ends (or after ``limit``
seconds), and every socket has a timeout. Loopback only: the host must be 127.0.0.1 or ::1.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
from urllib.parse import urlsplit

LOOPBACK = ("127.0.0.1", "::1", "localhost")


class SlowClients:
    def __init__(self, host: str, port: int, *, slow: int = 20, idle: int = 0,
                 interval: float = 3.0, limit: float = 120.0, path: str = "/sign-in/"):
        if host not in LOOPBACK:
            raise ValueError(f"slow clients only on loopback, not {host}")
        self.host, self.port, self.slow, self.idle = host, port, slow, idle
        self.interval, self.limit, self.path = interval, limit, path
        self.sockets: list[socket.socket] = []
        self.lines_sent = 0
        self.dropped = 0  # connections the server closed while we were trickling
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> SlowClients:
        for i in range(self.slow + self.idle):
            s = socket.create_connection((self.host, self.port), timeout=5)
            s.settimeout(5)
            if i < self.slow:
                s.sendall(f"GET {self.path} HTTP/1.1\r\nHost: {self.host}\r\n".encode())
            self.sockets.append(s)
        self._thread = threading.Thread(target=self._trickle, daemon=True)
        self._thread.start()
        return self

    def _trickle(self) -> None:
        deadline = time.monotonic() + self.limit
        n = 0
        while not self._stop.wait(self.interval) and time.monotonic() < deadline:
            n += 1
            for s in self.sockets[:self.slow]:
                if s.fileno() < 0:
                    continue
                try:
                    s.sendall(f"X-Slow-{n}: {'a' * 10}\r\n".encode())
                    self.lines_sent += 1
                except OSError:
                    self.dropped += 1
                    s.close()

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 5)
        for s in self.sockets:
            s.close()


def probe(url: str, seconds: float, *, timeout: float = 5.0, pause: float = 0.1
          ) -> tuple[list[float], list[str]]:
    """GET ``url`` one request after another for ``seconds``, each on a new connection.
    Returns the latencies (seconds) of answered requests and a sentence per failure."""
    parts = urlsplit(url)
    if parts.hostname not in LOOPBACK:
        raise ValueError(f"probe only on loopback, not {parts.hostname}")
    latencies, failures = [], []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.monotonic()
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        try:
            connection.request("GET", parts.path or "/")
            response = connection.getresponse()
            response.read()
            if response.status >= 500:
                failures.append(f"HTTP {response.status}")
            else:
                latencies.append(time.monotonic() - started)
        except OSError as exc:
            failures.append(f"{type(exc).__name__} after {time.monotonic() - started:.1f} s")
        finally:
            connection.close()
        time.sleep(pause)
    return latencies, failures
