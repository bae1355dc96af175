"""``python -m benchmarks``: the whole suite in one command (PostgreSQL; see docs/performance.md).

    .venv/bin/python -m benchmarks --residents 100000 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/yakuba_bench --fresh

``--fresh`` wipes that database (schema ``public``) and loads a new town; ``--reuse`` keeps a town
already loaded at that size and skips the load benchmark. Every benchmark runs in its own process
(its peak memory is its own) and writes benchmarks/results/<name>.json and .md; the summary with the
targets of issue 9 goes to benchmarks/results/summary.md and summary.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from benchmarks.common import (
    RESULTS,
    ROOT,
    Config,
    Result,
    load_average,
    machine,
    run_child,
    under_load,
    write_result,
)

BENCHMARKS = ("load", "tenkyo", "search", "shomei", "senkyo", "kojin")
STANDALONE = {"kojin"}  # needs no loaded town (it builds its own people and, for 当初課税, its own town)
LOAD_PARTS = ("load_command", "load_bulk", "load_copy")


def _child(name: str, config: Config) -> None:
    """Run one benchmark (or one part of the load benchmark) in this process and write its JSON."""
    before = load_average()
    payload: Result | dict[str, Any]
    if name in LOAD_PARTS:
        from benchmarks import bench_load

        payload = {
            "load_command": bench_load.run_command,
            "load_bulk": bench_load.run_bulk,
            "load_copy": bench_load.run_copy,
        }[name](config)
    elif name == "load_juki_only":
        from benchmarks import bench_load

        payload = bench_load.run_juki_only(config)
    elif name == "tenkyo":
        from benchmarks import bench_tenkyo

        payload = bench_tenkyo.run(config)
    elif name == "search":
        from benchmarks import bench_search

        payload = bench_search.run(config)
    elif name == "shomei":
        from benchmarks import bench_optional

        payload = bench_optional.run_shomei(config)
    elif name == "senkyo":
        from benchmarks import bench_optional

        payload = bench_optional.run_senkyo(config)
    elif name == "kojin":
        from benchmarks import bench_kojin

        payload = bench_kojin.run(config)
    else:
        raise SystemExit(f"unknown benchmark {name}")
    after = load_average()
    conditions = {
        **machine(config.database_url),
        "loadavg_before": [round(v, 2) for v in before],
        "loadavg_after": [round(v, 2) for v in after],
        "under_load": under_load(before, after),
    }
    if isinstance(payload, Result):
        payload.machine = conditions
        write_result(payload)
    else:
        payload["machine"] = conditions
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"{name}.json").write_text(
            json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8"
        )


def _resident_count(url: str) -> int | None:
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        if "juki_jumin" not in inspect(engine).get_table_names():
            return None
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM juki_jumin")).scalar_one())
    finally:
        engine.dispose()


def _reset(url: str) -> None:
    """Empty the benchmark database completely and migrate it to the current schema."""
    from sqlalchemy import create_engine, text

    from yakuba.migrate import upgrade

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    upgrade(url)


def _assemble_load(config: Config, parts: dict[str, dict[str, Any]]) -> Result:
    from benchmarks import bench_load

    if any("failed" in p for p in parts.values()):
        result = Result(name="load", title="(d) Loading the town", skipped=f"a part failed: {parts}")
    else:
        result = bench_load.assemble(config, parts["load_command"], parts["load_bulk"], parts["load_copy"])
    loads = [p.get("machine", {}) for p in parts.values()]
    result.machine = {
        **(loads[-1] if loads else {}),
        "loadavg_before": loads[0].get("loadavg_before") if loads else None,
        "under_load": any(m.get("under_load") for m in loads),
    }
    write_result(result)
    return result


def _targets(results: dict[str, dict[str, Any]], residents: int) -> list[dict[str, Any]]:
    """The targets of issue 9, each with the measured figure, met or missed, and by how much."""
    rows: list[dict[str, Any]] = []

    def add(
        target: str,
        measured: float | None,
        limit: float,
        *,
        higher_is_better: bool = False,
        scale: int | None = None,
    ) -> None:
        if measured is None or measured != measured:  # None or NaN
            rows.append({"target": target, "measured": "not measured", "verdict": "-"})
            return
        met = measured >= limit if higher_is_better else measured <= limit
        factor = (limit / measured if higher_is_better else measured / limit) if measured else float("inf")
        verdict = "met" if met else f"missed ({factor:.1f}× the limit)"
        if met:
            verdict += f" ({factor:.2f}× of the limit)"
        row: dict[str, Any] = {"target": target, "measured": round(measured, 2), "verdict": verdict}
        if scale is not None:
            row["residents"] = scale
        rows.append(row)

    tenkyo = results.get("tenkyo", {}).get("figures", {})
    add("転居 at offered 100/s: p95 < 35 ms", tenkyo.get("offered", {}).get("p95_ms"), 35)
    at50 = tenkyo.get("api", {}).get("50", tenkyo.get("api", {}).get(50, {}))
    add("転居 at 50 clients: throughput ≥ 500/s", at50.get("throughput_per_s"), 500, higher_is_better=True)
    add("転居 at 50 clients: p95 < 100 ms", at50.get("p95_ms"), 100)
    search = results.get("search", {}).get("figures", {}).get("api", {})
    add("search カナ prefix: p95 < 10 ms", search.get("kana", {}).get("p95_ms"), 10)
    add("search 生年月日: p95 < 10 ms", search.get("birth_date", {}).get("p95_ms"), 10)
    shomei = results.get("shomei", {}).get("figures", {})
    add("住民票の写し PDF (signed): median < 100 ms", shomei.get("issue_median_ms"), 100)
    load = results.get("load", {}).get("figures", {})
    bulk, copy = load.get("bulk", {}), load.get("copy", {})
    add(
        "bulk load within 3× of raw COPY",
        bulk["seconds"] / copy["seconds"] if bulk.get("seconds") and copy.get("seconds") else None,
        3,
    )
    alone = results.get("load_juki_only", {}).get("figures", {})
    if alone:
        a_bulk, a_copy = alone.get("bulk", {}), alone.get("copy", {})
        scale = results.get("load_juki_only", {}).get("scale", {}).get("residents", 0)
        add(
            "bulk load of 住民記録 alone (no handlers) within 3× of raw COPY",
            a_bulk["seconds"] / a_copy["seconds"]
            if a_bulk.get("seconds") and a_copy.get("seconds")
            else None,
            3,
            scale=scale,
        )
    senkyo = results.get("senkyo", {}).get("figures", {}).get("seconds", {})
    add("定時登録 (real run) < 30 s", senkyo.get("real"), 30)
    for row in rows:
        n = row.pop("residents", residents)
        row["scale"] = f"{n:,} residents" + ("" if n >= 1_000_000 else " (target is at 1,000,000)")
    return rows


def _summary(config: Config, results: dict[str, dict[str, Any]]) -> None:
    targets = _targets(results, config.residents)
    lines = ["# Benchmark summary", "", f"Residents: {config.residents:,} · database: PostgreSQL", ""]
    lines += ["| target | measured | verdict | scale |", "|---|---|---|---|"]
    lines += [f"| {t['target']} | {t['measured']} | {t['verdict']} | {t['scale']} |" for t in targets]
    lines.append("")
    for name in (*BENCHMARKS, "load_juki_only"):
        md = RESULTS / f"{name}.md"
        if name in results and md.exists():
            lines.append(md.read_text(encoding="utf-8"))
    (RESULTS / "summary.md").write_text("\n".join(lines), encoding="utf-8")
    (RESULTS / "summary.json").write_text(
        json.dumps(
            {"config": asdict(config), "targets": targets, "results": results}, ensure_ascii=False, indent=2
        ),
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> None:
    defaults = Config(database_url="", residents=0, data_dir="")
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url", default="", help="a PostgreSQL database used only by the benchmarks"
    )
    parser.add_argument("--residents", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--fresh", action="store_true", help="wipe the database and load a new town")
    group.add_argument("--reuse", action="store_true", help="keep the town already loaded (skips the load)")
    parser.add_argument(
        "--only", default=",".join(BENCHMARKS), help=f"comma-separated subset of {BENCHMARKS}"
    )
    parser.add_argument(
        "--requests", type=int, default=defaults.requests, help="requests per concurrency level"
    )
    parser.add_argument("--seconds", type=float, default=defaults.seconds, help="time bound per level")
    parser.add_argument("--clients", default=",".join(map(str, defaults.clients)))
    parser.add_argument("--search-requests", type=int, default=defaults.search_requests)
    parser.add_argument("--shomei-requests", type=int, default=defaults.shomei_requests)
    parser.add_argument("--offered-rate", type=float, default=defaults.offered_rate)
    parser.add_argument("--offered-seconds", type=float, default=defaults.offered_seconds)
    parser.add_argument("--workers", type=int, default=defaults.workers, help="uvicorn worker processes")
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench"), help="keys of the benchmark town")
    parser.add_argument(
        "--profile", action="store_true", help="py-spy the servers, pyinstrument load and PDF"
    )
    parser.add_argument(
        "--scratch-database-url",
        default="",
        help="a second PostgreSQL database (wiped) for (d′): the bulk load of 住民記録 alone",
    )
    parser.add_argument(
        "--scratch-residents", type=int, default=0, help="scale of (d′) (default: --residents)"
    )
    parser.add_argument(
        "--taxpayers", type=int, default=defaults.taxpayers, help="(f) kojin: synthetic taxpayers"
    )
    parser.add_argument(
        "--tosho-residents", type=int, default=defaults.tosho_residents, help="(f) kojin: 当初課税 town"
    )
    parser.add_argument(
        "--kojin-database-url",
        default="",
        help="(f) kojin: a PostgreSQL database (wiped) for the 当初課税 town; without it that part skips",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--config", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, Config.from_json(args.config))
        return
    standalone = {b.strip() for b in args.only.split(",") if b.strip()} <= STANDALONE
    if not standalone and not args.database_url.startswith("postgresql"):
        raise SystemExit(
            "The benchmarks need PostgreSQL (postgresql+psycopg://…): COPY, concurrency, the targets."
        )
    config = Config(
        database_url=args.database_url,
        residents=args.residents,
        data_dir=args.data_dir,
        seed=args.seed,
        requests=args.requests,
        seconds=args.seconds,
        clients=tuple(int(c) for c in args.clients.split(",")),
        search_requests=args.search_requests,
        shomei_requests=args.shomei_requests,
        offered_rate=args.offered_rate,
        offered_seconds=args.offered_seconds,
        workers=args.workers,
        profile=args.profile,
        taxpayers=args.taxpayers,
        tosho_residents=args.tosho_residents,
        kojin_database_url=args.kojin_database_url,
    )
    only = [b.strip() for b in args.only.split(",") if b.strip()]
    unknown = set(only) - set(BENCHMARKS)
    if unknown:
        raise SystemExit(f"unknown benchmark(s): {sorted(unknown)}")
    if only and set(only) <= STANDALONE:  # e.g. --only kojin: no town, no summary of issue 9
        for name in only:
            print(f"== {name}", file=sys.stderr)
            outcome = run_child(name, config)
            if "failed" in outcome:
                raise SystemExit(f"{name} failed (exit {outcome['failed']})")
            print((RESULTS / f"{name}.md").read_text(encoding="utf-8"))
        return
    Path(config.data_dir).mkdir(parents=True, exist_ok=True)
    count = _resident_count(config.database_url)
    if args.fresh or count is None:
        print(f"Preparing an empty database {config.database_url.rsplit('/', 1)[-1]} …", file=sys.stderr)
        _reset(config.database_url)
        count = 0
    if count and not args.reuse:
        raise SystemExit(
            f"The database already holds {count:,} residents: pass --reuse to keep them or --fresh."
        )
    if args.reuse and count != config.residents:
        raise SystemExit(f"--reuse: the database holds {count:,} residents, not {config.residents:,}.")
    results: dict[str, dict[str, Any]] = {}
    if not args.reuse:
        if "load" not in only:
            only.insert(0, "load")  # the other benchmarks need the town
        parts = {}
        for part in LOAD_PARTS:
            print(f"== {part}", file=sys.stderr)
            parts[part] = run_child(part, config)
        results["load"] = asdict(_assemble_load(config, parts))
    for name in only:
        if name == "load":
            continue
        print(f"== {name}", file=sys.stderr)
        results[name] = run_child(name, config)
    for name in (*BENCHMARKS, "load_juki_only"):  # the latest figures of every benchmark at this scale
        path = RESULTS / f"{name}.json"
        if name not in results and path.exists():
            earlier = json.loads(path.read_text(encoding="utf-8"))
            if name == "load_juki_only" or earlier.get("scale", {}).get("residents") == config.residents:
                earlier.setdefault("notes", []).append("(from an earlier run at the same scale)")
                results[name] = earlier
    if args.scratch_database_url:
        scratch = replace(
            config,
            database_url=args.scratch_database_url,
            residents=args.scratch_residents or config.residents,
            data_dir=str(Path(config.data_dir).with_name(Path(config.data_dir).name + "-scratch")),
        )
        print("== load_juki_only", file=sys.stderr)
        results["load_juki_only"] = run_child("load_juki_only", scratch)
    _summary(config, results)
    print((RESULTS / "summary.md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
