"""The application under test: the real app on a real uvicorn, loopback only, with the pinned clock.

Started by the HTTP benchmarks as ``python -m benchmarks.server PORT WORKERS`` with the benchmark's
settings in ``BENCH_CONFIG``. Each uvicorn worker builds the app through :func:`create` (a factory, so
every worker process pins its own container's clock).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import sys
from typing import Any

from benchmarks.common import Config, container_for


def create() -> Any:
    """uvicorn factory: ``create_app`` with a container whose clock is pinned to a weekday 10:00 JST."""
    from yakuba.app import create_app

    config = Config.from_json(os.environ["BENCH_CONFIG"])
    return create_app(container=container_for(config))


def _worker(port: int) -> None:
    """One uvicorn worker on its own listening socket (SO_REUSEPORT: the kernel spreads connections).

    Why not ``uvicorn.run(workers=N)``: uvicorn then binds ``socket.socket(AF_INET, SOCK_STREAM)``
    (protocol 0), and asyncio sets TCP_NODELAY only on accepted sockets whose protocol is
    IPPROTO_TCP — so every multi-worker response paid Nagle against the client's delayed ACK, ≈ 40 ms
    a request (measured: /healthz 44 ms vs 1.9 ms). A socket made with IPPROTO_TCP avoids it.
    """
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(2048)
    config = uvicorn.Config("benchmarks.server:create", factory=True, log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


def main() -> None:
    port, workers = int(sys.argv[1]), int(sys.argv[2])
    context = multiprocessing.get_context("fork")  # nothing but uvicorn is imported yet
    processes = [context.Process(target=_worker, args=(port,)) for _ in range(workers)]
    for process in processes:
        process.start()

    def stop(_signum: int, _frame: Any) -> None:
        for process in processes:
            process.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for process in processes:
        process.join()


if __name__ == "__main__":
    main()
