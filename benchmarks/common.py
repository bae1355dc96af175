"""Shared pieces of the benchmark suite: configuration, the pinned clock, timing, results, the machine.

Every benchmark measures a baseline in the same run and reports ratios, because absolute figures on a
shared two-core machine say little; the load average before and after each benchmark is recorded so a
reader can tell a quiet run from a noisy one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"

# The access policy lets clerks work on weekdays 08:00–20:00 JST only (office-hours rule). Benchmarks
# run at any hour, so the container's clock is pinned to a Wednesday 10:00 JST that is no holiday, and
# the town is loaded with that day as 処理日. Nothing else about the policy is changed.
PINNED_NOW = dt.datetime(2026, 4, 8, 1, 0, tzinfo=dt.UTC)  # 2026-04-08 (水) 10:00 JST
PINNED_TODAY = dt.date(2026, 4, 8)
BENCH_LOGIN = "bench-clerk"
BENCH_PASSWORD = "bench-password-2026-not-secret"
SEED = 1


@dataclass
class Config:
    """What the parent process hands to every benchmark (as JSON on the command line)."""

    database_url: str
    residents: int
    data_dir: str
    seed: int = SEED
    requests: int = 1000  # per concurrency level (bounded also by ``seconds``)
    seconds: float = 30.0  # per concurrency level
    clients: tuple[int, ...] = (1, 10, 50)
    offered_rate: float = 100.0  # requests per second for the open-loop 転居 run
    offered_seconds: float = 20.0
    search_requests: int = 300
    shomei_requests: int = 20
    workers: int = 2  # uvicorn worker processes
    profile: bool = False
    taxpayers: int = 1_000_000  # (f) 個人住民税: synthetic taxpayers for assess vs OpenFisca-Japan
    tosho_residents: int = 100_000  # (f) the town the 当初課税 batch runs over
    kojin_database_url: str = ""  # (f) a database wiped for the 当初課税 town ("" skips that part)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Config:
        raw = json.loads(text)
        raw["clients"] = tuple(raw["clients"])
        return cls(**raw)


@dataclass
class Result:
    """One benchmark's outcome: figures, notes, and the conditions it ran under."""

    name: str
    title: str
    scale: dict[str, Any] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)  # the markdown table
    figures: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    skipped: str | None = None
    machine: dict[str, Any] = field(default_factory=dict)
    peak_rss_mb: dict[str, float] = field(default_factory=dict)


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0–100); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, round(p / 100 * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def summarise(latencies_s: Sequence[float], wall_s: float, errors: int = 0) -> dict[str, Any]:
    """p50/p95/p99 in milliseconds and throughput per second."""
    ms = [v * 1000 for v in latencies_s]
    return {
        "count": len(ms),
        "errors": errors,
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "mean_ms": round(statistics.fmean(ms), 2) if ms else float("nan"),
        "throughput_per_s": round(len(ms) / wall_s, 1) if wall_s > 0 else float("nan"),
        "wall_s": round(wall_s, 2),
    }


def ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b else float("nan")


@contextmanager
def stopwatch() -> Iterator[list[float]]:
    """``with stopwatch() as t: ...`` then ``t[0]`` is the elapsed seconds."""
    box: list[float] = []
    started = time.perf_counter()
    try:
        yield box
    finally:
        box.append(time.perf_counter() - started)


def self_peak_rss_mb() -> float:
    """Peak resident set of this process (Linux reports kilobytes)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def process_tree_peak_rss_mb(pid: int) -> float:
    """Largest VmHWM among ``pid`` and its direct children (uvicorn master and workers); 0 if unknown."""
    pids = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            children = (task / "children").read_text().split()
            pids.extend(int(c) for c in children)
    except OSError:
        pass
    peak = 0.0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]) / 1024)
        except OSError:
            continue
    return round(peak, 1)


def load_average() -> tuple[float, float, float]:
    try:
        return os.getloadavg()
    except OSError:
        return (float("nan"),) * 3


def machine(database_url: str | None = None) -> dict[str, Any]:
    """nproc, memory, Python, PostgreSQL version and the current load: the conditions of a figure."""
    info: dict[str, Any] = {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "loadavg": [round(v, 2) for v in load_average()],
    }
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    if database_url and database_url.startswith("postgresql"):
        from sqlalchemy import create_engine, text

        engine = create_engine(database_url)
        try:
            with engine.connect() as conn:
                info["postgresql"] = conn.execute(text("SHOW server_version")).scalar_one()
        finally:
            engine.dispose()
    return info


def under_load(load_before: Sequence[float], load_after: Sequence[float]) -> bool:
    """A figure is marked as measured under load when the 1-minute load exceeded the core count."""
    cores = os.cpu_count() or 1
    return max(load_before[0], load_after[0]) > cores


def write_result(result: Result) -> Path:
    """benchmarks/results/<name>.json and <name>.md (the directory is git-ignored)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{result.name}.json"
    path.write_text(json.dumps(asdict(result), ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    (RESULTS / f"{result.name}.md").write_text(markdown(result), encoding="utf-8")
    return path


def markdown(result: Result) -> str:
    """The result as a small markdown section with one table."""
    lines = [f"## {result.title}", ""]
    m = result.machine
    lines.append(
        f"Scale: {json.dumps(result.scale, ensure_ascii=False)} · machine: {m.get('nproc')} cores, "
        f"{m.get('memory_gb')} GB, PostgreSQL {m.get('postgresql', '-')} · load average "
        f"{m.get('loadavg_before')} → {m.get('loadavg_after')}"
        + (" · **measured under load**" if m.get("under_load") else "")
    )
    lines.append("")
    if result.skipped:
        lines += [f"Skipped: {result.skipped}", ""]
    if result.rows:
        headers = list(result.rows[0].keys())
        for row in result.rows[1:]:
            headers += [k for k in row if k not in headers]
        lines.append("| " + " | ".join(headers) + " |")
        lines.append("|" + "---|" * len(headers))
        for row in result.rows:
            lines.append("| " + " | ".join(_cell(row.get(h, "")) for h in headers) + " |")
        lines.append("")
    if result.peak_rss_mb:
        lines.append("Peak memory (RSS, MB): " + ", ".join(f"{k} {v}" for k, v in result.peak_rss_mb.items()))
        lines.append("")
    for note in result.notes:
        lines.append(f"- {note}")
    if result.notes:
        lines.append("")
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def settings_for(config: Config) -> Any:
    """The yakuba Settings of the benchmark town (keys live under ``data_dir``)."""
    from yakuba.config import Settings

    return Settings(database_url=config.database_url, data_dir=Path(config.data_dir))


def container_for(config: Config) -> Any:
    """A bootstrapped container with the pinned clock (see PINNED_NOW)."""
    from yakuba.bootstrap import bootstrap

    container = bootstrap(settings_for(config))
    container.clock = lambda: PINNED_NOW
    return container


def bench_token(container: Any) -> str:
    """A bearer token for a 住民記録 clerk (created on first use), valid at the pinned time."""
    from yakuba.security.accounts import add_user, issue_token
    from yakuba.security.models import StaffUser

    with container.uow() as uow:
        if uow.session.get(StaffUser, BENCH_LOGIN) is None:
            add_user(
                uow,
                login=BENCH_LOGIN,
                display_name="ベンチ 窓口",
                roles=["juki_clerk"],
                password=BENCH_PASSWORD,
                created_by="benchmarks",
                today=PINNED_TODAY,
            )
        token, _row = issue_token(
            uow, login=BENCH_LOGIN, ttl=dt.timedelta(hours=8), issued_by="benchmarks", now=PINNED_NOW
        )
        uow.commit()
    return token


def psycopg_url(database_url: str) -> str:
    """The libpq form of a SQLAlchemy URL (for raw-SQL baselines)."""
    return database_url.replace("postgresql+psycopg://", "postgresql://", 1)


def run_child(name: str, config: Config, *extra: str) -> dict[str, Any]:
    """Run one benchmark in its own interpreter so its peak memory is its own; returns its JSON."""
    command = [sys.executable, "-m", "benchmarks", "--child", name, "--config", config.to_json(), *extra]
    completed = subprocess.run(command, cwd=ROOT, check=False)
    path = RESULTS / f"{name}.json"
    if completed.returncode != 0:
        return {"name": name, "failed": completed.returncode}
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded
