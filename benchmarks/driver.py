"""Load generation: the server's lifecycle, closed-loop clients, an open-loop arrival schedule.

Closed loop (N clients, each sends the next request when the previous one answered) gives throughput
and latency at a concurrency; open loop (requests sent on a fixed schedule whatever happens) gives
latency at an offered load, measured from the *scheduled* send time so a stalled server is not
flattered (no coordinated omission). Every loop is bounded by a request count and by time.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from benchmarks.common import ROOT, Config, process_tree_peak_rss_mb

Request = tuple[str, str, dict[str, Any] | None]  # method, path, JSON body


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen[bytes]
    peak_rss_mb: float = 0.0

    def worker_pids(self) -> list[int]:
        """uvicorn's worker processes (or the server itself when it runs a single worker)."""
        pids: list[int] = []
        try:
            for task in Path(f"/proc/{self.process.pid}/task").iterdir():
                pids.extend(int(p) for p in (task / "children").read_text().split())
        except OSError:
            pass
        return pids or [self.process.pid]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running_server(config: Config) -> Iterator[Server]:
    """A real uvicorn on a free loopback port; stopped (and its peak memory read) on exit."""
    port = free_port()
    env = {**os.environ, "BENCH_CONFIG": config.to_json()}
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.server", str(port), str(config.workers)], cwd=ROOT, env=env
    )
    server = Server(f"http://127.0.0.1:{port}", process)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError("the benchmark server exited while starting")
            try:
                if httpx.get(f"{server.base_url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the benchmark server did not start within 120 s")
            time.sleep(0.3)
        yield server
    finally:
        server.peak_rss_mb = process_tree_peak_rss_mb(process.pid)
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class LoopResult:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    wall: float = 0.0
    error_samples: list[str] = field(default_factory=list)

    def failed(self, status: int, body: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 3:
            self.error_samples.append(f"{status}: {body[:300]}")


def _client(base_url: str, token: str, connections: int) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base_url,
        headers={"Authorization": f"Bearer {token}"},
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
        timeout=httpx.Timeout(60.0, pool=None),
    )


async def _send(client: httpx.AsyncClient, request: Request) -> httpx.Response | str:
    """The response, or the transport error's name (timeouts under overload count as errors)."""
    method, path, body = request
    try:
        return await client.request(method, path, json=body)
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"


def _record(result: LoopResult, response: httpx.Response | str, elapsed: float, expect: int) -> None:
    if isinstance(response, str):
        result.failed(0, response)
    elif response.status_code == expect:
        result.latencies.append(elapsed)
    else:
        result.failed(response.status_code, response.text)


def closed_loop(
    base_url: str,
    token: str,
    next_request: Callable[[], Request | None],
    *,
    clients: int,
    max_requests: int,
    max_seconds: float,
    expect: int,
) -> LoopResult:
    """``clients`` concurrent clients until ``max_requests`` are sent, time is up or work runs out."""

    async def run() -> LoopResult:
        result = LoopResult()
        sent = 0
        started = time.perf_counter()
        deadline = started + max_seconds
        async with _client(base_url, token, clients) as client:

            async def worker() -> None:
                nonlocal sent
                while sent < max_requests and time.perf_counter() < deadline:
                    request = next_request()
                    if request is None:
                        return
                    sent += 1
                    t0 = time.perf_counter()
                    response = await _send(client, request)
                    _record(result, response, time.perf_counter() - t0, expect)

            await asyncio.gather(*(worker() for _ in range(clients)))
        result.wall = time.perf_counter() - started
        return result

    return asyncio.run(run())


def open_loop(
    base_url: str,
    token: str,
    next_request: Callable[[], Request | None],
    *,
    rate: float,
    seconds: float,
    expect: int,
    grace: float = 30.0,
) -> LoopResult:
    """Requests sent at ``rate`` per second for ``seconds``; latency counted from the scheduled time."""

    async def run() -> LoopResult:
        result = LoopResult()
        total = int(rate * seconds)
        async with _client(base_url, token, 200) as client:
            started = time.perf_counter()

            async def one(scheduled: float, request: Request) -> None:
                response = await _send(client, request)
                _record(result, response, time.perf_counter() - scheduled, expect)

            tasks = []
            for i in range(total):
                request = next_request()
                if request is None:
                    break
                scheduled = started + i / rate
                delay = scheduled - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(one(scheduled, request)))
            # Bounded: whatever has not answered ``grace`` seconds after the last send counts as an error.
            _done, pending = await asyncio.wait(tasks, timeout=grace) if tasks else (set(), set())
            for task in pending:
                task.cancel()
                result.failed(0, f"no answer within {grace:.0f} s after the last request was sent")
            result.wall = time.perf_counter() - started
        return result

    return asyncio.run(run())


@contextmanager
def py_spy(pids: list[int], output: Path, seconds: float) -> Iterator[None]:
    """Sample the server workers with py-spy (collapsed stacks) while the block runs, if py-spy exists."""
    exe = Path(sys.executable).with_name("py-spy")
    processes: list[subprocess.Popen[bytes]] = []
    if exe.exists():
        for pid in pids:
            processes.append(
                subprocess.Popen(
                    [
                        str(exe),
                        "record",
                        "--pid",
                        str(pid),
                        "--duration",
                        str(int(seconds)),
                        "--format",
                        "raw",
                        "--rate",
                        "200",
                        "--output",
                        f"{output}.{pid}.txt",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
    try:
        yield
    finally:
        for process in processes:
            try:
                process.wait(timeout=seconds + 30)
            except subprocess.TimeoutExpired:
                process.kill()
