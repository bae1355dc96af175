"""(a) 転居 through the HTTP API at 1, 10 and 50 clients and at an offered 100/s, beside raw SQL.

Each request moves one whole 世帯 (all its current members, 1–6 people, drawn at random without
repetition) to a new address in the town — POST /api/v1/juki/ido/tenkyo with a bearer token of a
``juki_clerk``, i.e. token lookup, access policy, the 転居 command (history snapshot per member,
projection, 世帯 lock), one outbox event per member and one audit entry on the hash chain.

The baseline makes the same row changes with psycopg and hand-written SQL, one transaction per
household: read the members' current snapshots; insert the 異動; bump the 世帯's version; insert one
new snapshot per member; move the projection; insert one outbox row per member; lock the audit chain
head, insert the audit entry (hashed with the real canonical form) and move the head. It skips what the
application adds around the row changes — HTTP, authentication, policy, validation, the ORM — which is
exactly what the ratio measures.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import text

from benchmarks.common import (
    BENCH_LOGIN,
    PINNED_TODAY,
    RESULTS,
    Config,
    Result,
    bench_token,
    container_for,
    psycopg_url,
    ratio,
    summarise,
)
from benchmarks.driver import LoopResult, Request, closed_loop, open_loop, py_spy, running_server
from benchmarks.profiles import report

TENKYO = "/api/v1/juki/ido/tenkyo"
WARMUP = 20

Household = tuple[str, list[str], str | None]  # 世帯番号, members, current 町字コード


def sample_households(container: Any, count: int, salt: str) -> list[Household]:
    """``count`` random 世帯 with their current members (whole-household moves never need a new 世帯)."""
    query = text(
        """
        SELECT j.setai_no, array_agg(j.atena_no ORDER BY j.atena_no), min(j.choaza_code)
        FROM juki_jumin j
        WHERE j.setai_no IN (
            SELECT setai_no FROM juki_setai WHERE member_count > 0 ORDER BY md5(setai_no || :salt) LIMIT :n
        ) AND j.jumin_jotai IN ('01', '02')
        GROUP BY j.setai_no
        ORDER BY md5(j.setai_no || :salt)
        """
    )
    with container.engine.connect() as conn:
        return [(s, list(a), c) for s, a, c in conn.execute(query, {"n": count, "salt": salt})]


class Addresses:
    """New addresses inside the town (its 町字 from the generator), drawn from a seeded RNG."""

    def __init__(self, config: Config) -> None:
        from yakuba.demo.generator import generate_town
        from yakuba.demo.setup import DEMO_AS_OF

        town, _ = generate_town(residents=config.residents, seed=config.seed, as_of=DEMO_AS_OF)
        self.choaza = town.choaza
        self.rng = random.Random(f"bench-tenkyo:{config.seed}")

    def next(self, avoid: str | None = None) -> dict[str, Any]:
        """An address in another 町字 than ``avoid`` (so it never equals the current one)."""
        c = self.rng.choice(self.choaza)
        while c.code == avoid and len(self.choaza) > 1:
            c = self.rng.choice(self.choaza)
        n = self.rng.randint(1, c.banchi_count)
        banchi = f"{n}番{self.rng.randint(1, 25)}号" if c.jukyo_hyoji else f"{n}番地{self.rng.randint(1, 15)}"
        return {
            "jusho_code": None,
            "choaza_code": c.code,
            "choaza_name": c.name,
            "banchi": banchi,
            "katagaki": None,
            "postal_code": c.postal_code,
        }


def request_source(households: Iterator[Household], addresses: Addresses) -> Callable[[], Request | None]:
    day = PINNED_TODAY.isoformat()

    def next_request() -> Request | None:
        household = next(households, None)
        if household is None:
            return None
        body = {
            "atena_nos": household[1],
            "address": addresses.next(household[2]),
            "dates": {"ido_date": day, "todoke_date": day},
        }
        return ("POST", TENKYO, body)

    return next_request


# --------------------------------------------------------------------------------------------------
# Raw SQL baseline
# --------------------------------------------------------------------------------------------------


def _rireki_columns() -> list[str]:
    from yakuba.juki.models import Rireki

    return [c.key for c in Rireki.__table__.columns if c.key != "id"]


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(type(value))


class RawTenkyo:
    """One 転居 as the bare row changes (see the module docstring), on one psycopg connection."""

    def __init__(self, conn: psycopg.AsyncConnection[Any]) -> None:
        from yakuba.audit.models import AuditEntry
        from yakuba.juki.events import ResidentSummary

        self.conn = conn
        self.columns = _rireki_columns()
        self.summary_fields = list(ResidentSummary.model_fields)
        self.audit_columns = [c.key for c in AuditEntry.__table__.columns]
        cols = ", ".join(self.columns)
        marks = ", ".join(["%s"] * len(self.columns))
        self.insert_rireki = f"INSERT INTO juki_rireki ({cols}) VALUES ({marks})"
        self.select_current = (
            f"SELECT {', '.join('r.' + c for c in self.columns)} FROM juki_rireki r JOIN juki_jumin j "
            "ON j.atena_no = r.atena_no AND j.current_rireki_no = r.rireki_no WHERE j.atena_no = ANY(%s) "
            "ORDER BY r.sort_order, r.atena_no"
        )
        self.insert_audit = (
            f"INSERT INTO audit_log ({', '.join(self.audit_columns)}) "
            f"VALUES ({', '.join(['%s'] * len(self.audit_columns))})"
        )

    async def move(self, members: list[str], address: dict[str, Any]) -> None:
        from yakuba.audit.service import compute_entry_hash

        day = PINNED_TODAY
        now = dt.datetime.now(dt.UTC)
        async with self.conn.transaction(), self.conn.cursor() as cur:
            await cur.execute(self.select_current, (members,))
            rows = [dict(zip(self.columns, r, strict=True)) for r in await cur.fetchall()]
            await cur.execute(
                "INSERT INTO juki_ido (jiyu_code, ido_date, todoke_date, shori_date, shokken, status, "
                "operator, terminal, recorded_at, late_notification, details) VALUES ('C01', %s, %s, %s, "
                "false, 'hon', %s, '127.0.0.1', %s, false, '{}') RETURNING id",
                (day, day, day, BENCH_LOGIN, now),
            )
            found = await cur.fetchone()
            assert found is not None
            ido_id = found[0]
            await cur.execute(
                "UPDATE juki_setai SET version = version + 1, last_ido_id = %s WHERE setai_no = %s",
                (ido_id, rows[0]["setai_no"]),
            )
            new_rows = []
            events = []
            for row in rows:
                previous = f"{row['choaza_name'] or ''}{row['banchi'] or ''}" + (
                    f"\u3000{row['katagaki']}" if row["katagaki"] else ""
                )
                new = {**row, **address, "jusho_date": day}
                new.update(rireki_no=row["rireki_no"] + 1, ido_id=ido_id, effective_date=day)
                new["linked_items"] = json.dumps(new["linked_items"] or {})
                new["extra"] = json.dumps(new["extra"] or {})
                new_rows.append(tuple(new[c] for c in self.columns))
                resident = {k: new.get(k) for k in self.summary_fields}
                payload = {
                    "ido_id": ido_id,
                    "jiyu_code": "C01",
                    "atena_no": row["atena_no"],
                    "setai_no": row["setai_no"],
                    "ido_date": day,
                    "todoke_date": day,
                    "resident": resident,
                    "previous_address": previous,
                }
                events.append(
                    (
                        "juki.resident_moved",
                        "juki",
                        json.dumps(payload, default=_json_default),
                        now,
                        BENCH_LOGIN,
                    )
                )
            await cur.executemany(self.insert_rireki, new_rows)
            await cur.execute(
                "UPDATE juki_jumin SET current_rireki_no = current_rireki_no + 1, version = version + 1, "
                "choaza_code = %s WHERE atena_no = ANY(%s)",
                (address["choaza_code"], members),
            )
            await cur.executemany(
                "INSERT INTO outbox (event_type, business, payload, recorded_at, recorded_by) "
                "VALUES (%s, %s, %s, %s, %s)",
                events,
            )
            await cur.execute(
                "INSERT INTO audit_chain_head (id, last_seq, last_hash) VALUES (1, 0, %s) "
                "ON CONFLICT DO NOTHING",
                ("0" * 64,),
            )
            await cur.execute("SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE")
            head = await cur.fetchone()
            assert head is not None
            values: dict[str, Any] = {
                "seq": head[0] + 1,
                "occurred_at": now,
                "login": BENCH_LOGIN,
                "roles": "juki_clerk",
                "terminal": "127.0.0.1",
                "client_ip": "127.0.0.1",
                "category": "access",
                "operation": f"POST {TENKYO}",
                "permission": "juki.idou.write",
                "subjects": members,
                "purpose": None,
                "result": "success",
                "reason": "baseline",
                "mynumber_revealed": False,
                "contractor": False,
                "shien_subject": False,
                "record_count": len(members),
                "detail": {"ido_id": ido_id, "jiyu_code": "C01", "status": "hon"},
            }
            entry_hash = compute_entry_hash(head[1], values)
            values.update(prev_hash=head[1], entry_hash=entry_hash)
            values["subjects"] = json.dumps(values["subjects"])
            values["detail"] = json.dumps(values["detail"], ensure_ascii=False)
            await cur.execute(self.insert_audit, tuple(values[c] for c in self.audit_columns))
            await cur.execute(
                "UPDATE audit_chain_head SET last_seq = %s, last_hash = %s WHERE id = 1",
                (values["seq"], entry_hash),
            )


def raw_closed_loop(
    config: Config,
    households: Iterator[Household],
    addresses: Addresses,
    *,
    clients: int,
    max_requests: int,
    max_seconds: float,
) -> LoopResult:
    """The baseline at ``clients`` concurrent connections, bounded like the API loop."""

    async def run() -> LoopResult:
        result = LoopResult()
        conns = [
            await psycopg.AsyncConnection.connect(psycopg_url(config.database_url)) for _ in range(clients)
        ]
        sent = 0
        started = time.perf_counter()
        deadline = started + max_seconds

        async def worker(conn: psycopg.AsyncConnection[Any]) -> None:
            nonlocal sent
            raw = RawTenkyo(conn)
            while sent < max_requests and time.perf_counter() < deadline:
                household = next(households, None)
                if household is None:
                    return
                sent += 1
                t0 = time.perf_counter()
                try:
                    await raw.move(household[1], addresses.next(household[2]))
                except psycopg.Error as exc:
                    result.failed(0, str(exc))
                    continue
                result.latencies.append(time.perf_counter() - t0)

        try:
            await asyncio.gather(*(worker(c) for c in conns))
        finally:
            result.wall = time.perf_counter() - started
            for conn in conns:
                await conn.close()
        return result

    return asyncio.run(run())


# --------------------------------------------------------------------------------------------------
# The benchmark
# --------------------------------------------------------------------------------------------------


def _drain(config: Config, limit: float = 300.0) -> None:
    """Wait until no backend of this database is busy (requests abandoned by a client still run)."""
    deadline = time.monotonic() + limit
    with psycopg.connect(psycopg_url(config.database_url), autocommit=True) as conn:
        while time.monotonic() < deadline:
            found = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state NOT IN ('idle')"
            ).fetchone()
            if not found or not found[0]:
                return
            time.sleep(0.5)


def _pg_waits(config: Config, stop_after: float) -> dict[str, int]:
    """Sample pg_stat_activity (every 50 ms) for what this database's backends wait on."""
    counts: dict[str, int] = {}
    deadline = time.monotonic() + stop_after
    with psycopg.connect(psycopg_url(config.database_url), autocommit=True) as conn:
        while time.monotonic() < deadline:
            for kind, event, state in conn.execute(
                "SELECT wait_event_type, wait_event, state FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND backend_type = 'client backend'"
            ):
                if state == "active":
                    key = f"{kind or 'CPU'}:{event or '-'}"
                    counts[key] = counts.get(key, 0) + 1
            time.sleep(0.05)
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def count_statements(config: Config, token: str, request: Request) -> dict[str, int]:
    """SQL statements and transactions of one 転居, in-process (TestClient), counted by engine events."""
    import warnings

    from sqlalchemy import event

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from yakuba.app import create_app

    container = container_for(config)
    counts = {"statements": 0, "commits": 0}

    def on_execute(*_args: Any) -> None:
        counts["statements"] += 1

    def on_commit(*_args: Any) -> None:
        counts["commits"] += 1

    try:
        with TestClient(create_app(container=container), client=("127.0.0.1", 50000)) as client:
            event.listen(container.engine, "before_cursor_execute", on_execute)
            event.listen(container.engine, "commit", on_commit)
            method, path, body = request
            response = client.request(method, path, json=body, headers={"Authorization": f"Bearer {token}"})
            counts["status"] = response.status_code
            counts["persons"] = len(body["atena_nos"]) if body else 0
    finally:
        container.dispose()
    return counts


def run(config: Config) -> Result:
    container = container_for(config)
    token = bench_token(container)
    levels = list(config.clients)
    offered = int(config.offered_rate * config.offered_seconds)
    wanted = WARMUP + 2 * config.requests * len(levels) + offered + (config.requests if config.profile else 0)
    households = sample_households(container, wanted, salt=f"{time.time()}")
    container.dispose()
    result = Result(name="tenkyo", title="(a) 転居 through the HTTP API vs raw SQL (same row changes)")
    per_level = config.requests
    if len(households) < wanted:  # a small town: fewer requests per level
        spare = max(len(households) - WARMUP - offered // 2, 0)
        per_level = min(config.requests, max(spare // (2 * len(levels) + (1 if config.profile else 0)), 10))
        offered = min(offered, max(len(households) - WARMUP - 2 * per_level * len(levels), 0))
        if per_level < config.requests or offered < int(config.offered_rate * config.offered_seconds):
            result.notes.append(
                f"Only {len(households):,} 世帯 in the town: {per_level:,} requests per level instead of "
                f"{config.requests:,}; the offered-load run is {offered:,} requests."
            )
    pool = iter(households)
    addresses = Addresses(config)
    source = request_source(pool, addresses)
    sizes = [len(m) for _s, m, _c in households]
    api: dict[int, dict[str, Any]] = {}
    figures: dict[str, Any] = {"mean_household_size": round(sum(sizes) / max(len(sizes), 1), 2)}
    probe = source()
    if probe is not None:
        figures["one_request"] = count_statements(config, token, probe)
        one = figures["one_request"]
        result.notes.append(
            f"One 転居 of {one['persons']} person(s) issues {one['statements']} SQL statements in "
            f"{one['commits']} transactions (HTTP {one['status']}), counted in-process."
        )
    with running_server(config) as server:
        closed_loop(
            server.base_url, token, source, clients=1, max_requests=WARMUP, max_seconds=60, expect=201
        )
        for clients in levels:
            _drain(config)
            loop = closed_loop(
                server.base_url,
                token,
                source,
                clients=clients,
                max_requests=per_level,
                max_seconds=config.seconds,
                expect=201,
            )
            api[clients] = summarise(loop.latencies, loop.wall, loop.errors)
            if loop.error_samples:
                result.notes.append(f"API errors at {clients} clients: {loop.error_samples}")
        if config.profile:  # before the open loop: an overloaded open loop leaves a backlog behind
            _drain(config)
            figures["profile"] = _profile(config, server, token, source, per_level, result)
        if offered:
            _drain(config)
            loop = open_loop(
                server.base_url,
                token,
                source,
                rate=config.offered_rate,
                seconds=offered / config.offered_rate,
                expect=201,
            )
            figures["offered"] = {
                "rate_per_s": config.offered_rate,
                **summarise(loop.latencies, loop.wall, loop.errors),
            }
            if loop.error_samples:
                result.notes.append(f"API errors at the offered load: {loop.error_samples}")
    result.peak_rss_mb["server (largest worker)"] = server.peak_rss_mb
    raw: dict[int, dict[str, Any]] = {}
    for clients in levels:
        loop = raw_closed_loop(
            config, pool, addresses, clients=clients, max_requests=per_level, max_seconds=config.seconds
        )
        raw[clients] = summarise(loop.latencies, loop.wall, loop.errors)
        if loop.error_samples:
            result.notes.append(f"baseline errors at {clients} clients: {loop.error_samples}")
    for clients in levels:
        a, b = api[clients], raw[clients]
        result.rows.append(
            {
                "clients": clients,
                "API p50 ms": a["p50_ms"],
                "API p95 ms": a["p95_ms"],
                "API p99 ms": a["p99_ms"],
                "API /s": a["throughput_per_s"],
                "SQL p50 ms": b["p50_ms"],
                "SQL p95 ms": b["p95_ms"],
                "SQL p99 ms": b["p99_ms"],
                "SQL /s": b["throughput_per_s"],
                "p95 ratio API/SQL": ratio(a["p95_ms"], b["p95_ms"]),
                "throughput ratio SQL/API": ratio(b["throughput_per_s"], a["throughput_per_s"]),
                "n (API/SQL)": f"{a['count']}/{b['count']}",
                "errors (API/SQL)": f"{a['errors']}/{b['errors']}",
            }
        )
    if "offered" in figures:
        o = figures["offered"]
        result.rows.append(
            {
                "clients": f"open loop {config.offered_rate:.0f}/s",
                "API p50 ms": o["p50_ms"],
                "API p95 ms": o["p95_ms"],
                "API p99 ms": o["p99_ms"],
                "API /s": o["throughput_per_s"],
                "n (API/SQL)": f"{o['count']}/-",
                "errors (API/SQL)": f"{o['errors']}/-",
            }
        )
    figures["api"] = api
    figures["sql"] = raw
    result.figures = figures
    result.scale = {
        "residents": config.residents,
        "households_moved": len(households),
        "workers": config.workers,
    }
    result.notes.append(
        f"Each request moves a whole 世帯 (mean {figures['mean_household_size']} persons); "
        "latency is client-side (httpx in one asyncio loop on the same machine, "
        "so the client competes for the 2 cores)."
    )
    return result


def _profile(
    config: Config, server: Any, token: str, source: Callable[[], Request | None], count: int, result: Result
) -> dict[str, Any]:
    """py-spy on every worker during a 1-client run (the cost of one request) and a 10-client run (what
    requests wait for), plus what the PostgreSQL backends wait on. Extra runs, not the measured ones."""
    import threading

    seconds = min(config.seconds, 20.0)
    for old in RESULTS.glob("profile_tenkyo*.txt"):
        old.unlink()
    sections: list[str] = []
    all_waits: dict[str, dict[str, int]] = {}
    for clients in (1, 10):
        stem = f"profile_tenkyo_c{clients}"
        waits: dict[str, int] = {}

        def sample(into: dict[str, int] = waits) -> None:
            into.update(_pg_waits(config, seconds))

        sampler = threading.Thread(target=sample)
        with py_spy(server.worker_pids(), RESULTS / stem, seconds):
            sampler.start()
            closed_loop(
                server.base_url,
                token,
                source,
                clients=clients,
                max_requests=count // 2,
                max_seconds=seconds,
                expect=201,
            )
            sampler.join()
        files = sorted(Path(RESULTS).glob(f"{stem}.*.txt"))
        section = report(files, title=f"転居 request, {clients} client{'s' if clients > 1 else ''}")
        section += "\n| PostgreSQL backends (active samples) | count |\n|---|---|\n"
        section += "".join(f"| {k} | {v} |\n" for k, v in waits.items())
        sections.append(section)
        all_waits[str(clients)] = waits
    (RESULTS / "profile_tenkyo.md").write_text("\n".join(sections), encoding="utf-8")
    result.notes.append("Profile: benchmarks/results/profile_tenkyo.md (py-spy, 1 and 10 clients).")
    return {"pg_waits": all_waits}
