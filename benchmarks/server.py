"""The application under test: the real app on a real uvicorn, loopback only, with the pinned clock.

Started by the HTTP benchmarks as ``python -m benchmarks.server PORT WORKERS`` with the benchmark's
settings in ``BENCH_CONFIG``. Each uvicorn worker builds the app through :func:`create` (a factory, so
every worker process pins its own container's clock).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from benchmarks.common import Config, container_for


def create() -> Any:
    """uvicorn factory: ``create_app`` with a container whose clock is pinned to a weekday 10:00 JST."""
    from yakuba.app import create_app

    config = Config.from_json(os.environ["BENCH_CONFIG"])
    return create_app(container=container_for(config))


def main() -> None:
    import uvicorn

    port, workers = int(sys.argv[1]), int(sys.argv[2])
    uvicorn.run(
        "benchmarks.server:create",
        factory=True,
        host="127.0.0.1",
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
