"""(c) 住民票の写し PDF and (e) 定時登録 — for businesses still being written, so both skip politely.

Each checks that its module exists and exposes the function it needs; when not, the result says so
(``skipped``) instead of failing the suite. Their tables are created in the benchmark database with
``create_all`` when no migration has them yet (said in the notes): the benchmark database is disposable.

(c) times ``yakuba.shomei.service.issue`` (render, 発行番号, signature, log row) for one 世帯 of 3–4
members, rolled back after each copy, beside ``service.preview`` of the same request (no signature, no
log row) as the baseline. (e) fills 選挙's copy of the registry from the outbox (setup, timed apart),
then times ``yakuba.senkyo.commands.toroku.run_teiji`` in trial and in real mode for the last 定時登録 month.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from typing import Any

from sqlalchemy import func, inspect, select, text

from benchmarks.common import (
    BENCH_LOGIN,
    PINNED_NOW,
    PINNED_TODAY,
    Config,
    Result,
    container_for,
    percentile,
    ratio,
    self_peak_rss_mb,
    settings_for,
)


def _create_missing_tables(container: Any, prefix: str, result: Result) -> None:
    from yakuba.db import Base

    existing = set(inspect(container.engine).get_table_names())
    missing = [
        t for name, t in Base.metadata.tables.items() if name.startswith(prefix) and name not in existing
    ]
    if missing:
        Base.metadata.create_all(container.engine, tables=missing)
        result.notes.append(
            f"No migration has {', '.join(t.name for t in missing)} yet: "
            "created with create_all for the benchmark."
        )


def run_shomei(config: Config) -> Result:
    result = Result(name="shomei", title="(c) 住民票の写し (PDF, signed) for one 世帯")
    try:
        from yakuba.shomei import service
        from yakuba.shomei.options import CertificateRequest
    except Exception as exc:  # the module is being written by someone else right now
        result.skipped = f"yakuba.shomei is not importable yet ({type(exc).__name__}: {exc})"
        return result
    if not callable(getattr(service, "issue", None)) or not hasattr(service, "Caller"):
        result.skipped = "yakuba.shomei.service has no issue() / Caller yet"
        return result
    from yakuba.uow import Actor

    container = container_for(config)
    settings = settings_for(config)
    try:
        _create_missing_tables(container, "shomei_", result)
        with container.engine.connect() as conn:
            setai_no = conn.execute(
                text(
                    "SELECT setai_no FROM juki_setai WHERE member_count BETWEEN 3 AND 4 "
                    "ORDER BY setai_no LIMIT 1"
                )
            ).scalar_one()
        request = CertificateRequest(kind="juminhyo", setai_no=setai_no, requester_type="honnin")
        caller = service.Caller(login=BENCH_LOGIN)
        actor = Actor(login=BENCH_LOGIN, terminal="bench", roles=("juki_clerk",))

        def once(function: Any) -> tuple[float, Any]:
            with container.uow(actor) as uow:
                t0 = time.perf_counter()
                out = function(uow, request, settings=settings, now=PINNED_NOW, caller=caller)
                took = time.perf_counter() - t0
                uow.rollback()
            return took, out

        for _ in range(2):  # fonts, signing material, caches
            once(service.issue)
            once(service.preview)
        issued: list[float] = []
        previews: list[float] = []
        pages = size = 0
        for _ in range(config.shomei_requests):
            took, out = once(service.issue)
            issued.append(took)
            pages, size = out.pages, len(out.pdf)
            took, _out = once(service.preview)
            previews.append(took)
        if config.profile:
            _profile_issue(lambda: once(service.issue), result)
    except Exception as exc:
        result.skipped = f"yakuba.shomei could not issue in this tree ({type(exc).__name__}: {exc})"
        return result
    finally:
        container.dispose()
    med_i, med_p = statistics.median(issued) * 1000, statistics.median(previews) * 1000
    result.rows = [
        {
            "document": "issue (rendered, numbered, signed, logged)",
            "median ms": round(med_i, 1),
            "p95 ms": round(percentile(issued, 95) * 1000, 1),
            "ratio to preview": ratio(med_i, med_p),
        },
        {
            "document": "preview (rendered only) — baseline",
            "median ms": round(med_p, 1),
            "p95 ms": round(percentile(previews, 95) * 1000, 1),
            "ratio to preview": 1.0,
        },
    ]
    result.scale = {"residents": config.residents, "copies": len(issued), "pages": pages, "pdf_bytes": size}
    result.figures = {"issue_median_ms": round(med_i, 1), "preview_median_ms": round(med_p, 1)}
    result.peak_rss_mb["benchmark process"] = self_peak_rss_mb()
    return result


def _profile_issue(issue: Any, result: Result) -> None:
    """pyinstrument over a few extra copies (not the measured ones) → results/profile_shomei.txt."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        result.notes.append("No profile: pyinstrument is not installed.")
        return
    from benchmarks.common import RESULTS

    profiler = Profiler(interval=0.001)
    profiler.start()
    for _ in range(10):
        issue()
    profiler.stop()
    text_report = profiler.output_text(unicode=True, color=False, show_all=False)
    (RESULTS / "profile_shomei.txt").write_text(text_report, encoding="utf-8")
    result.notes.append("Profile: benchmarks/results/profile_shomei.txt (pyinstrument, 10 extra copies).")


def _last_teiji_month(today: dt.date) -> tuple[int, int]:
    from yakuba import params

    months = sorted(params.get("senkyo.teiji.months", on=today))
    year, month = today.year, today.month
    while month not in months:
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return year, month


def run_senkyo(config: Config) -> Result:
    result = Result(name="senkyo", title="(e) 定時登録 over the whole town")
    try:
        from yakuba.juki.events import EVENT_TYPES
        from yakuba.senkyo import projection
        from yakuba.senkyo.commands import toroku
        from yakuba.senkyo.models import Jumin as SenkyoJumin
    except Exception as exc:
        result.skipped = f"yakuba.senkyo is not importable yet ({type(exc).__name__}: {exc})"
        return result
    if not callable(getattr(toroku, "run_teiji", None)) or not callable(getattr(projection, "record", None)):
        result.skipped = "yakuba.senkyo has no toroku.run_teiji / projection.record yet"
        return result
    from yakuba.events import OutboxEntry

    container = container_for(config)
    try:
        _create_missing_tables(container, "senkyo_", result)
        setup_started = time.perf_counter()
        with container.uow() as uow:
            known = uow.session.execute(select(func.count()).select_from(SenkyoJumin)).scalar_one()
        replayed = 0
        if not known:  # 選挙 learns the registry from 住民記録's events only: replay the outbox once
            last = 0
            while True:
                with container.uow() as uow:
                    rows = (
                        uow.session.execute(
                            select(OutboxEntry)
                            .where(OutboxEntry.seq > last, OutboxEntry.event_type.in_(list(EVENT_TYPES)))
                            .order_by(OutboxEntry.seq)
                            .limit(5000)
                        )
                        .scalars()
                        .all()
                    )
                    if not rows:
                        break
                    for row in rows:
                        projection.record(
                            uow.session, EVENT_TYPES[row.event_type].model_validate(row.payload)
                        )
                        last = row.seq
                        replayed += 1
                    uow.commit()
        setup_seconds = time.perf_counter() - setup_started
        year, month = _last_teiji_month(PINNED_TODAY)
        timings: dict[str, float] = {}
        counts: dict[str, Any] = {}
        for mode in ("trial", "real"):
            with container.uow() as uow:
                t0 = time.perf_counter()
                run = toroku.run_teiji(uow, year=year, month=month, mode=mode, today=PINNED_TODAY)
                uow.commit()
                timings[mode] = time.perf_counter() - t0
                counts[mode] = {"new": len(run.new), "hyoji": len(run.hyoji), "reused": run.reused}
        baseline = _teiji_floor(container, toroku, year, month)
    except Exception as exc:
        result.skipped = f"yakuba.senkyo could not run a 定時登録 in this tree ({type(exc).__name__}: {exc})"
        return result
    finally:
        container.dispose()
    result.rows = [
        {
            "step": f"定時登録 {year}-{month:02d} {mode}",
            "seconds": round(timings[mode], 2),
            "registered": counts[mode]["new"],
            "reused": counts[mode]["reused"],
            "ratio to SQL floor": ratio(timings[mode], baseline["seconds"]),
        }
        for mode in ("trial", "real")
    ]
    result.rows.append(
        {
            "step": "baseline: SQL select of the age-qualified persons of 選挙's copy",
            "seconds": round(baseline["seconds"], 3),
            "registered": baseline["rows"],
            "ratio to SQL floor": 1.0,
        }
    )
    result.rows.append(
        {
            "step": f"setup: replay {replayed:,} outbox events into 選挙's copy",
            "seconds": round(setup_seconds, 2),
        }
    )
    result.scale = {"residents": config.residents}
    result.figures = {"seconds": timings, "counts": counts, "setup_seconds": round(setup_seconds, 2)}
    result.peak_rss_mb["benchmark process"] = self_peak_rss_mb()
    result.notes.append(
        "The baseline only reads the age-qualified persons (no residence-period rule, no writes): a floor, "
        "not an equivalent; the target itself is absolute (< 30 s at 1,000,000)."
    )
    return result


def _teiji_floor(container: Any, toroku: Any, year: int, month: int) -> dict[str, Any]:
    """One set-based read of everyone old enough on the 年齢判定日: what a 定時登録 must at least do."""
    from yakuba import params
    from yakuba.senkyo.commands import election

    with container.engine.connect() as conn:
        from sqlalchemy.orm import Session

        with Session(bind=conn) as session:
            plan = election.plan_teiji(session, year, month)
        age = params.get("senkyo.nenrei", on=plan.age_date)
        bound = plan.age_date.replace(year=plan.age_date.year - age) + dt.timedelta(days=1)
        t0 = time.perf_counter()
        rows = conn.execute(
            text(
                "SELECT atena_no, birth_date, choaza_code FROM senkyo_jumin "
                "WHERE jumin_shubetsu = '1' AND birth_date IS NOT NULL AND birth_date <= :bound"
            ),
            {"bound": bound},
        ).all()
        return {"seconds": time.perf_counter() - t0, "rows": len(rows)}
