"""(d) Loading the town: the bulk path vs a raw COPY of the very same rows (and the command path).

Three measurements, each in its own process so each peak memory is its own:

* ``load_command`` — the first ~2,000 residents through the 住民記録 command, household by household
  (what ``yakuba demo`` does for small towns), for the rate per resident; the tables are emptied after;
* ``load_bulk`` — the whole town through ``yakuba.demo.bulk.load_town`` (generator included, and its
  share reported separately);
* ``load_copy`` — the baseline: every table the load wrote (住民記録's, the outbox, and those of the
  businesses subscribed to its events) is exported (``COPY … TO``), emptied and loaded again with
  ``COPY … FROM`` — the same rows, the same indexes, no Python in the way. The database ends up exactly
  as the bulk load left it.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import tempfile
from pathlib import Path
from typing import Any

import psycopg

from benchmarks.common import (
    PINNED_TODAY,
    RESULTS,
    Config,
    Result,
    container_for,
    psycopg_url,
    ratio,
    self_peak_rss_mb,
    stopwatch,
)

COMMAND_SAMPLE = 2000


def _written_tables(url: str) -> list[str]:
    """Tables of the schema that hold rows, parents before children (the COPY order)."""
    from yakuba.models import metadata

    with psycopg.connect(url) as conn:
        names = []
        for table in metadata.sorted_tables:
            exists = conn.execute("SELECT to_regclass(%s)", (table.name,)).fetchone()
            if exists and exists[0] is not None:
                found = conn.execute(f'SELECT EXISTS (SELECT 1 FROM "{table.name}")').fetchone()
                if found and found[0]:
                    names.append(table.name)
        return names


def _truncate(config: Config, tables: list[str] | None = None, *, restart: bool = True) -> None:
    url = psycopg_url(config.database_url)
    tables = tables if tables is not None else _written_tables(url)
    if not tables:
        return
    restart_identity = " RESTART IDENTITY" if restart else ""
    with psycopg.connect(url) as conn:
        conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + restart_identity + " CASCADE")


def run_command(config: Config) -> dict[str, Any]:
    """Residents per second through the command path, on the first households of the same town."""
    from yakuba.demo.generator import generate_town
    from yakuba.demo.setup import DEMO_AS_OF, load_household

    container = container_for(config)
    town, households = generate_town(residents=config.residents, seed=config.seed, as_of=DEMO_AS_OF)
    sample = min(COMMAND_SAMPLE, config.residents)
    residents = 0
    with stopwatch() as took:
        for household in households:
            if residents >= sample:
                break
            load_household(container, town, household, today=PINNED_TODAY)
            residents += len(household.members)
    container.dispose()
    _truncate(config)
    return {
        "residents": residents,
        "seconds": round(took[0], 2),
        "per_s": round(residents / took[0], 1),
        "peak_rss_mb": self_peak_rss_mb(),
    }


PROFILE_RESIDENTS = 10_000


def run_bulk(config: Config) -> dict[str, Any]:
    """The whole town through the bulk path (with a progress line on stderr).

    With ``--profile`` the first ``PROFILE_RESIDENTS`` residents are profiled (two batches, handlers
    included); the profiler stops there, so that its samples stay few (they are in the peak memory).
    """
    from yakuba.demo.bulk import StderrProgress, load_town
    from yakuba.demo.generator import generate_town
    from yakuba.demo.setup import DEMO_AS_OF

    container = container_for(config)
    town, households = generate_town(residents=config.residents, seed=config.seed, as_of=DEMO_AS_OF)
    line = StderrProgress(config.residents, label="bulk load")
    profiler = _Profiler() if config.profile else None

    def progress(done: int, *, final: bool = False) -> None:
        line(done, final=final)
        if profiler is not None and (final or done >= PROFILE_RESIDENTS):
            profiler.stop()

    if profiler is not None:
        profiler.start()
    stats = load_town(
        container,
        town,
        households,
        today=PINNED_TODAY,
        expected_residents=config.residents,
        progress=progress,
    )
    if profiler is not None:
        profiler.stop()
    container.dispose()
    return {
        "profiler": profiler.name if profiler else None,
        "residents": stats.residents,
        "households": stats.households,
        "command_households": stats.command_households,
        "batches": stats.batches,
        "seconds": round(stats.seconds, 2),
        "generator_seconds": round(stats.source_seconds, 2),
        "analyze_seconds": round(stats.analyze_seconds, 2),
        "handler_seconds": round(stats.handler_seconds, 2),
        "command_seconds": round(stats.command_seconds, 2),
        "per_s": round(stats.residents / stats.seconds, 1),
        "peak_rss_mb": self_peak_rss_mb(),
    }


class _Profiler:
    """pyinstrument (sampling, a few % overhead) when installed, else cProfile (deterministic; it slows
    the load down, so the timing of a profiled run is marked as such). Writes results/profile_load.txt."""

    def __init__(self) -> None:
        try:
            from pyinstrument import Profiler
        except ImportError:
            self.name = "cProfile"
            self._cprofile: cProfile.Profile | None = cProfile.Profile()
            self._sampler: Any = None
        else:
            self.name = "pyinstrument"
            self._cprofile = None
            self._sampler = Profiler(interval=0.005)
        self.running = False

    def start(self) -> None:
        self.running = True
        if self._sampler is not None:
            self._sampler.start()
        elif self._cprofile is not None:
            self._cprofile.enable()

    def stop(self) -> None:
        if not self.running:
            return
        self.running = False
        if self._sampler is not None:
            self._sampler.stop()
            text = self._sampler.output_text(unicode=True, color=False, show_all=False)
        else:
            assert self._cprofile is not None
            self._cprofile.disable()
            out = io.StringIO()
            stats = pstats.Stats(self._cprofile, stream=out)
            stats.sort_stats("cumulative").print_stats(35)
            stats.sort_stats("tottime").print_stats(25)
            text = out.getvalue()
        (RESULTS / "profile_load.txt").write_text(text, encoding="utf-8")


def run_copy(config: Config) -> dict[str, Any]:
    """Export the six tables, empty them, COPY them back in (timed); row counts are checked."""
    url = psycopg_url(config.database_url)
    tables = _written_tables(url)
    counts: dict[str, int] = {}
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="yakuba-bench-copy-") as folder:
        files = {t: Path(folder) / f"{t}.bin" for t in tables}
        with psycopg.connect(url) as conn, conn.cursor() as cur:
            for table, path in files.items():
                with path.open("wb") as out, cur.copy(f'COPY "{table}" TO STDOUT (FORMAT binary)') as copy:
                    for chunk in copy:
                        out.write(chunk)
                found = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()
                counts[table] = int(found[0]) if found else 0
        _truncate(config, tables, restart=False)
        with psycopg.connect(url) as conn, conn.cursor() as cur, stopwatch() as total:
            for table, path in files.items():
                with stopwatch() as took:
                    with (
                        path.open("rb") as source,
                        cur.copy(f'COPY "{table}" FROM STDIN (FORMAT binary)') as copy,
                    ):
                        while data := source.read(1 << 20):
                            copy.write(data)
                    conn.commit()
                seconds[table] = round(took[0], 2)
            conn.autocommit = True
            with stopwatch() as took:
                for table in tables:  # as load_town does: planner statistics for the new rows
                    conn.execute(f'ANALYZE "{table}"')
            seconds["ANALYZE"] = round(took[0], 2)
        with psycopg.connect(url) as conn:
            for table in tables:
                found = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()
                assert found is not None and int(found[0]) == counts[table], f"{table}: row count changed"
    return {
        "seconds": round(total[0], 2),
        "per_table_seconds": seconds,
        "rows": counts,
        "peak_rss_mb": self_peak_rss_mb(),
    }


def assemble(config: Config, command: dict[str, Any], bulk: dict[str, Any], copy: dict[str, Any]) -> Result:
    result = Result(name="load", title="(d) Loading the town: bulk path vs raw COPY of the same rows")
    result.scale = {"residents": bulk.get("residents"), "households": bulk.get("households")}
    rows = copy.get("rows", {})
    load_only = bulk["seconds"] - bulk["generator_seconds"]
    own = load_only - bulk.get("handler_seconds", 0.0) - bulk.get("command_seconds", 0.0)
    per_table = copy.get("per_table_seconds", {})
    juki_copy = sum(v for t, v in per_table.items() if t.startswith("juki_") or t == "outbox")
    result.rows = [
        {"path": "raw COPY of the same rows (baseline)", "seconds": copy["seconds"], "ratio to COPY": 1.0},
        {
            "path": "… of which 住民記録's tables and the outbox",
            "seconds": round(juki_copy, 2),
            "ratio to COPY": ratio(juki_copy, copy["seconds"]),
        },
        {
            "path": "bulk load_town (generator included)",
            "seconds": bulk["seconds"],
            "ratio to COPY": ratio(bulk["seconds"], copy["seconds"]),
            "residents/s": bulk["per_s"],
        },
        {
            "path": "bulk load_town (generator time excluded)",
            "seconds": round(load_only, 2),
            "ratio to COPY": ratio(load_only, copy["seconds"]),
        },
        {
            "path": "… of which other businesses' handlers (via UnitOfWork.dispatch)",
            "seconds": bulk.get("handler_seconds", 0.0),
            "ratio to COPY": ratio(bulk.get("handler_seconds", 0.0), copy["seconds"]),
        },
        {
            "path": "… of which households handed to the command (duplicate check)",
            "seconds": bulk.get("command_seconds", 0.0),
            "ratio to COPY": ratio(bulk.get("command_seconds", 0.0), copy["seconds"]),
        },
        {
            "path": "bulk without generator, handlers and command hand-overs (住民記録 rows + outbox)",
            "seconds": round(own, 2),
            "ratio to COPY": ratio(own, copy["seconds"]),
            "ratio to its own COPY": ratio(own, juki_copy),
        },
        {
            "path": f"command path ({command['residents']:,} residents, extrapolated)",
            "seconds": round(bulk["residents"] / command["per_s"], 1),
            "ratio to COPY": ratio(bulk["residents"] / command["per_s"], copy["seconds"]),
            "residents/s": command["per_s"],
        },
    ]
    result.peak_rss_mb = {
        "bulk load": bulk["peak_rss_mb"],
        "command path": command["peak_rss_mb"],
        "raw COPY client": copy["peak_rss_mb"],
    }
    result.figures = {"command": command, "bulk": bulk, "copy": copy}
    result.notes.append(
        f"Rows: {', '.join(f'{t} {n:,}' for t, n in rows.items())}. "
        f"{bulk['command_households']} household(s) of the bulk load went through the command "
        "(possible duplicate 氏名・性別・生年月日 found by the Bloom filter)."
    )
    result.notes.append(
        "The baseline COPY uses binary format into the same tables with the same indexes; both it and the "
        "bulk load end with ANALYZE of the tables (included in both times)."
    )
    if bulk.get("profiler") == "cProfile":
        result.notes.append(
            "The bulk load ran under cProfile (--profile without pyinstrument): its time is inflated."
        )
    elif bulk.get("profiler"):
        result.notes.append(
            "The bulk load ran under pyinstrument (sampling): see benchmarks/results/profile_load.txt."
        )
    return result


def run_juki_only(config: Config) -> Result:
    """(d′) The 住民記録 part alone at a larger scale: the bulk path with no subscribed handlers.

    Runs in the *scratch* database (wiped), because a registry without 選挙's copy and 附票 notices is
    not a town the other benchmarks may use. Shows how the bulk path itself scales against COPY once
    the other businesses' per-event handlers are out of the picture.
    """
    import resource

    from sqlalchemy import create_engine, text

    from yakuba.demo.bulk import StderrProgress, load_town
    from yakuba.demo.generator import generate_town
    from yakuba.demo.setup import DEMO_AS_OF
    from yakuba.events import MessageBus
    from yakuba.migrate import upgrade

    engine = create_engine(config.database_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    upgrade(config.database_url)
    container = container_for(config)
    container.bus = MessageBus()  # no handlers: only 住民記録's rows and its outbox events
    town, households = generate_town(residents=config.residents, seed=config.seed, as_of=DEMO_AS_OF)
    stats = load_town(
        container,
        town,
        households,
        today=PINNED_TODAY,
        expected_residents=config.residents,
        progress=StderrProgress(config.residents, label="bulk load (住民記録 only)"),
    )
    rss = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    container.dispose()
    copy = run_copy(config)
    load_only = stats.seconds - stats.source_seconds
    own = load_only - stats.command_seconds
    result = Result(name="load_juki_only", title="(d′) Bulk load of 住民記録 alone (no handlers) vs raw COPY")
    result.scale = {"residents": stats.residents, "households": stats.households}
    result.rows = [
        {"path": "raw COPY of the same rows + ANALYZE (baseline)", "seconds": copy["seconds"], "ratio": 1.0},
        {
            "path": "bulk load_town (generator included)",
            "seconds": round(stats.seconds, 2),
            "ratio": ratio(stats.seconds, copy["seconds"]),
        },
        {
            "path": "bulk load_town (generator excluded)",
            "seconds": round(load_only, 2),
            "ratio": ratio(load_only, copy["seconds"]),
        },
        {
            "path": f"… of which {stats.command_households} households handed to the command",
            "seconds": round(stats.command_seconds, 2),
            "ratio": ratio(stats.command_seconds, copy["seconds"]),
        },
        {
            "path": "bulk without generator and command hand-overs",
            "seconds": round(own, 2),
            "ratio": ratio(own, copy["seconds"]),
        },
    ]
    result.peak_rss_mb = {"bulk load (then the COPY client in the same process)": rss}
    result.figures = {"bulk": {**stats.__dict__}, "copy": copy}
    result.notes.append(
        "Households handed to the command are those with the 氏名・性別・生年月日 of someone already loaded "
        "(the command records an alert); its look-up for them scans juki_rireki (no usable index)."
    )
    return result
