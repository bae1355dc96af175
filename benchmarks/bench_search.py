"""(b) Search through the API — カナ prefix and 生年月日 — beside the same query in raw SQL.

The API request (GET /api/v1/juki/residents) authenticates, checks the policy, looks for 支援措置
subjects to withhold, runs the search, reads 抑止 flags for the hits, answers JSON and appends an audit
entry. The baseline runs only the search query the ORM emits (same WHERE, ORDER BY and LIMIT 50) with
psycopg. One client, sequential requests, the inputs drawn from real residents: the カナ prefix is the
family name plus the first letter of the given name, as a clerk types it.
"""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Callable
from typing import Any

import psycopg
from sqlalchemy import text

from benchmarks.common import Config, Result, bench_token, container_for, psycopg_url, ratio, summarise
from benchmarks.driver import Request, closed_loop, running_server

SEARCH = "/api/v1/juki/residents"


def _inputs(container: Any, count: int) -> list[tuple[str, str]]:
    """(カナ prefix, 生年月日) of ``count`` random Japanese residents."""
    query = text(
        """
        SELECT r.shi_kana, r.mei_kana, r.birth_date
        FROM juki_jumin j JOIN juki_rireki r ON r.atena_no = j.atena_no AND r.rireki_no = j.current_rireki_no
        WHERE j.jumin_shubetsu = '1' AND j.jumin_jotai IN ('01', '02') AND r.shi_kana IS NOT NULL
        ORDER BY md5(j.atena_no || :salt) LIMIT :n
        """
    )
    with container.engine.connect() as conn:
        rows = conn.execute(query, {"n": count, "salt": str(time.time())}).all()
    return [(f"{shi}\u3000{(mei or '')[:1]}", birth.isoformat()) for shi, mei, birth in rows]


def _api_source(values: list[str], param: str) -> Callable[[], Request | None]:
    items = iter(values)

    def next_request() -> Request | None:
        value = next(items, None)
        if value is None:
            return None
        return ("GET", f"{SEARCH}?{param}={urllib.parse.quote(value)}", None)

    return next_request


def _kana_args(key: str) -> tuple[str, str, str]:
    """The pattern and the byte range ``juki.queries._prefix`` gives PostgreSQL for a prefix."""
    from yakuba.kernel.kana import prefix_pattern

    return prefix_pattern(key), key, key[:-1] + chr(ord(key[-1]) + 1)


def _raw(config: Config, kana: list[str], births: list[str]) -> dict[str, dict[str, Any]]:
    """The ORM's search query, by hand, one statement per input; returns summaries and mean hits."""
    from yakuba.juki.models import Rireki
    from yakuba.kernel.kana import kana_search_key

    columns = ", ".join("r." + c.key for c in Rireki.__table__.columns)
    base = (
        f"SELECT {columns} FROM juki_rireki r JOIN juki_jumin j "
        "ON j.atena_no = r.atena_no AND j.current_rireki_no = r.rireki_no WHERE {where} "
        "AND j.jumin_jotai IN ('01', '02') ORDER BY j.kana_key, j.atena_no LIMIT 50"
    )
    out: dict[str, dict[str, Any]] = {}
    with psycopg.connect(psycopg_url(config.database_url)) as conn:
        for name, where, values in (
            (
                "kana",
                "j.kana_key LIKE %s ESCAPE '\\' AND j.kana_key ~>=~ %s AND j.kana_key ~<~ %s",
                [_kana_args(kana_search_key(k)) for k in kana],
            ),
            ("birth_date", "j.birth_date = %s", [(b,) for b in births]),
        ):
            latencies: list[float] = []
            hits = 0
            sql = base.format(where=where)
            started = time.perf_counter()
            for value in values:
                t0 = time.perf_counter()
                rows = conn.execute(sql, value).fetchall()
                latencies.append(time.perf_counter() - t0)
                hits += len(rows)
            summary = summarise(latencies, time.perf_counter() - started)
            summary["mean_hits"] = round(hits / max(len(values), 1), 1)
            out[name] = summary
    return out


def _profile(config: Config, server: Any, token: str, kana: list[str]) -> None:
    """py-spy on the workers while one client searches by カナ (an extra run, not the measured one)."""
    from pathlib import Path

    from benchmarks.common import RESULTS
    from benchmarks.driver import py_spy
    from benchmarks.profiles import report

    for old in RESULTS.glob("profile_search.*.txt"):
        old.unlink()
    seconds = min(config.seconds, 20.0)
    with py_spy(server.worker_pids(), RESULTS / "profile_search", seconds):
        closed_loop(
            server.base_url,
            token,
            _api_source(kana, "kana"),
            clients=1,
            max_requests=len(kana),
            max_seconds=seconds,
            expect=200,
        )
    files = sorted(Path(RESULTS).glob("profile_search.*.txt"))
    (RESULTS / "profile_search.md").write_text(
        report(files, title="search by カナ prefix, 1 client"), "utf-8"
    )


def run(config: Config) -> Result:
    container = container_for(config)
    token = bench_token(container)
    inputs = _inputs(
        container, config.search_requests + 20 + (config.search_requests if config.profile else 0)
    )
    container.dispose()
    warm, inputs = inputs[:20], inputs[20:]
    profile_inputs: list[tuple[str, str]] = []
    if config.profile:
        inputs, profile_inputs = inputs[: config.search_requests], inputs[config.search_requests :]
    kana = [k for k, _b in inputs]
    births = [b for _k, b in inputs]
    api: dict[str, dict[str, Any]] = {}
    result = Result(name="search", title="(b) Search through the API vs the same SQL")
    with running_server(config) as server:
        closed_loop(
            server.base_url,
            token,
            _api_source([k for k, _b in warm], "kana"),
            clients=1,
            max_requests=20,
            max_seconds=60,
            expect=200,
        )
        for name, values in (("kana", kana), ("birth_date", births)):
            loop = closed_loop(
                server.base_url,
                token,
                _api_source(values, name),
                clients=1,
                max_requests=len(values),
                max_seconds=config.seconds,
                expect=200,
            )
            api[name] = summarise(loop.latencies, loop.wall, loop.errors)
            if loop.error_samples:
                result.notes.append(f"API errors ({name}): {loop.error_samples}")
        if profile_inputs:
            _profile(config, server, token, [k for k, _b in profile_inputs])
            result.notes.append(
                "Profile: benchmarks/results/profile_search.md (py-spy, カナ prefix, 1 client)."
            )
    raw = _raw(config, kana, births)
    for name, label in (("kana", "カナ prefix"), ("birth_date", "生年月日")):
        a, b = api[name], raw[name]
        result.rows.append(
            {
                "search": label,
                "API p50 ms": a["p50_ms"],
                "API p95 ms": a["p95_ms"],
                "SQL p50 ms": b["p50_ms"],
                "SQL p95 ms": b["p95_ms"],
                "p95 ratio API/SQL": ratio(a["p95_ms"], b["p95_ms"]),
                "mean hits": b["mean_hits"],
                "n": a["count"],
                "errors": a["errors"],
            }
        )
    result.peak_rss_mb["server (largest worker)"] = server.peak_rss_mb
    result.figures = {"api": api, "sql": raw}
    result.scale = {"residents": config.residents, "queries_per_kind": len(inputs)}
    return result
