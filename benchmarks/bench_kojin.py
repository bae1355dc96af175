"""(f) 個人住民税 (issue 14): the vectorised engine against OpenFisca-Japan, and the 当初課税 batch.

Three measurements in one process (the kojin child):

* ``assess`` of 令和8年度 (nendo 2026) over ``taxpayers`` synthetic people generated straight as columns
  (NumPy, fixed seed — never real data): seconds, taxpayers per second, peak RSS;
* the baseline, in the same run: OpenFisca-Japan over the same people, in its own virtualenv
  (``benchmarks/.venv-openfisca``, created here on first use) driven by ``openfisca_driver.py`` as a
  subprocess; its build and its computation of 住民税所得割 / 住民税均等割 / 住民税 are timed apart. When it
  cannot be installed or run, that part is ``skipped`` with the error, the rest still runs. How far its
  amounts are from yakuba's on a sample is reported, for information only: it is an estimator;
* ``run_tosho`` (the whole 当初課税: assessment, 徴収 schedules, 課税台帳 rows, events) over a town of
  ``tosho_residents`` loaded by the demo's bulk loader into ``kojin_database_url`` (wiped), with one
  課税資料 per resident on 1 January 2026 written set-based; the rate per person and an extrapolation to
  1,000,000 (labelled as such).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import numpy as np

from benchmarks.common import (
    PINNED_TODAY,
    ROOT,
    Config,
    Result,
    container_for,
    ratio,
    self_peak_rss_mb,
    stopwatch,
)

NENDO = 2026  # 令和8年度: incomes of 2025, 賦課期日 2026-01-01
OPENFISCA_VENV = ROOT / "benchmarks" / ".venv-openfisca"
OPENFISCA_DRIVER = ROOT / "benchmarks" / "openfisca_driver.py"
SAMPLE = 10_000  # persons compared with OpenFisca (informational)
TOWN_AS_OF = dt.date(2025, 12, 1)  # every demo 異動日 falls on or before this, so before 1 January 2026

SALARIED, PENSIONER, BUSINESS, LOW = 0, 1, 2, 3


def synthetic_columns(count: int, seed: int) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """``count`` synthetic taxpayers as person and dependant columns (whole yen), without a Python loop.

    62% salaried (給与 3–12 million, lognormal, 社会保険料 15%), 22% pensioners (65+, 年金 1.5–4
    million), 8% business income, 8% low incomes at the 非課税 level (パート up to 1 million, some on
    生活保護). Spouses, dependants, 生命保険料 and ふるさと納税 for some; 所得税's 課税総所得 roughly
    estimated.
    """
    rng = np.random.default_rng(seed)
    kind = rng.choice(4, size=count, p=[0.62, 0.22, 0.08, 0.08])
    zero = np.zeros(count, dtype=np.int64)

    def thousand(values: np.ndarray) -> np.ndarray:
        return (np.asarray(values) // 1000 * 1000).astype(np.int64)

    salaried, pensioner, business, low = (kind == k for k in (SALARIED, PENSIONER, BUSINESS, LOW))
    kyuyo = np.where(salaried, np.clip(rng.lognormal(np.log(5_000_000), 0.35, count), 3e6, 12e6), 0)
    kyuyo = np.where(low, rng.uniform(0, 1_000_000, count), kyuyo)
    nenkin = np.where(pensioner, rng.uniform(1_500_000, 4_000_000, count), 0)
    jigyo = np.where(business, np.clip(rng.lognormal(np.log(4_000_000), 0.6, count), 1e6, 20e6), 0)
    kyuyo, nenkin, jigyo = thousand(kyuyo), thousand(nenkin), thousand(jigyo)
    age = np.select(
        [pensioner, low],
        [rng.integers(65, 96, count), rng.integers(20, 81, count)],
        rng.integers(22, 65, count),
    )
    shakai = np.where(salaried, kyuyo * 15 // 100, np.where(business, jigyo * 12 // 100, nenkin * 8 // 100))
    earner = ~low
    has_spouse = (earner & (rng.random(count) < 0.5)).astype(np.int64)
    spouse_income = np.where(rng.random(count) < 0.6, 0, thousand(rng.uniform(0, 1_500_000, count)))
    spouse_age = np.clip(age + rng.integers(-4, 5, count), 18, 99)
    seimei = np.where(earner & (rng.random(count) < 0.4), thousand(rng.uniform(20_000, 120_000, count)), 0)
    giver = (salaried | business) & (rng.random(count) < 0.15)
    furusato = np.where(giver, thousand(rng.uniform(10_000, 150_000, count)), 0)
    one_stop = (giver & (rng.random(count) < 0.5)).astype(np.int64)
    income = kyuyo * 7 // 10 + nenkin * 6 // 10 + jigyo  # a rough 所得 for 所得税's 課税総所得 only
    soshotoku = thousand(np.clip(income - shakai - seimei - 480_000, 0, None))
    persons = {
        "kyuyo_shunyu": kyuyo,
        "nenkin_shunyu": nenkin,
        "jigyo_shotoku": jigyo,
        "shakai_hokenryo": shakai.astype(np.int64),
        "seimei_shin_ippan": seimei,
        "furusato_kifu": furusato,
        "one_stop": one_stop,
        "shotokuzei_kazei_soshotoku": soshotoku,
        "seikatsu_hogo": (low & (rng.random(count) < 0.1)).astype(np.int64),
        "age": age.astype(np.int64),
        "has_spouse": has_spouse,
        "spouse_gokei_shotoku": np.where(has_spouse == 1, spouse_income, zero),
        "spouse_age": np.where(has_spouse == 1, spouse_age, zero).astype(np.int64),
    }
    children = np.where(salaried | business, rng.poisson(0.6, count), 0)
    owner = np.repeat(np.arange(count, dtype=np.int64), children)
    dependants = {
        "dep_owner": owner,
        "dep_age": rng.integers(0, 23, len(owner)).astype(np.int64),
        "dep_gokei_shotoku": np.zeros(len(owner), dtype=np.int64),
    }
    return persons, dependants


def _openfisca_inputs(persons: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The nearest OpenFisca-Japan inputs: it knows one 収入 (給与所得控除 applied), business income as
    収入 − 必要経費, and 社会保険料控除; no 公的年金等控除, spouse or dependants of a one-person 世帯."""
    jigyo = persons["jigyo_shotoku"]
    return {
        "収入": persons["kyuyo_shunyu"] + persons["nenkin_shunyu"] + 2 * jigyo,
        "個人事業主の必要経費": jigyo,
        "社会保険料控除": persons["shakai_hokenryo"],
        "誕生年": 2025 - persons["age"],
        "period": np.array(f"{NENDO}-01-01"),
    }


def _ensure_openfisca() -> str | None:
    """Create the virtualenv with openfisca-japan if missing; the reason when that fails, else None."""
    python = OPENFISCA_VENV / "bin" / "python"
    if python.exists():
        check = subprocess.run([str(python), "-c", "import openfisca_japan"], capture_output=True, text=True)
        if check.returncode == 0:
            return None
    steps = [
        ["python3", "-m", "venv", str(OPENFISCA_VENV)],
        [str(OPENFISCA_VENV / "bin" / "pip"), "install", "-q", "openfisca-japan"],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            return f"`{' '.join(step[-3:])}` failed: {' | '.join(tail)}"
    return None


def _run_openfisca(persons: dict[str, np.ndarray]) -> tuple[dict[str, Any] | None, str | None]:
    reason = _ensure_openfisca()
    if reason:
        return None, reason
    with tempfile.TemporaryDirectory(prefix="yakuba-bench-openfisca-") as folder:
        source, target = Path(folder) / "in.npz", Path(folder) / "out.npz"
        np.savez(source, **_openfisca_inputs(persons))  # type: ignore[arg-type]
        done = subprocess.run(
            [str(OPENFISCA_VENV / "bin" / "python"), str(OPENFISCA_DRIVER), str(source), str(target)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            tail = done.stderr.strip().splitlines()[-3:]
            return None, f"the OpenFisca driver failed ({done.returncode}): {' | '.join(tail)}"
        figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        with np.load(target) as out:
            figures["total"] = out["total"]
    return figures, None


def run(config: Config) -> Result:
    from yakuba.zeimu.kojin.public import Columns, KojinSettings, assess

    result = Result(name="kojin", title="(f) 個人住民税: assess vs OpenFisca-Japan, and the 当初課税 batch")
    with stopwatch() as generated:
        persons, dependants = synthetic_columns(config.taxpayers, config.seed)
        columns = Columns.with_defaults(persons, dependants)
    settings = KojinSettings.for_nendo(NENDO)
    assess(Columns.with_defaults({k: v[:1000] for k, v in persons.items()}), nendo=NENDO, settings=settings)
    with stopwatch() as took:
        assessment = assess(columns, nendo=NENDO, settings=settings)
    yakuba_s = took[0]
    result.peak_rss_mb["benchmark process (generation + assess)"] = self_peak_rss_mb()
    nenzei = assessment.columns["nenzei"]
    result.scale = {"taxpayers": config.taxpayers, "dependants": len(dependants["dep_owner"]), "nendo": NENDO}
    result.figures["assess"] = {
        "seconds": round(yakuba_s, 3),
        "per_s": round(config.taxpayers / yakuba_s),
        "generator_seconds": round(generated[0], 2),
        "taxed": int((nenzei > 0).sum()),
        "nenzei_total": int(nenzei.sum()),
    }
    result.rows.append(
        {
            "what": f"yakuba assess, {config.taxpayers:,} taxpayers (vectorised)",
            "seconds": round(yakuba_s, 3),
            "taxpayers/s": round(config.taxpayers / yakuba_s),
            "ratio to OpenFisca": "-",
        }
    )
    with stopwatch() as of_took:
        openfisca, reason = _run_openfisca(persons)
    if openfisca is None:
        result.figures["openfisca"] = {"skipped": reason}
        result.notes.append(f"OpenFisca-Japan skipped: {reason}")
    else:
        total = openfisca.pop("total")
        compute_s, build_s = openfisca["compute_seconds"], openfisca["build_seconds"]
        sample = min(SAMPLE, config.taxpayers)
        theirs = np.rint(total[:sample]).astype(np.int64)
        differ = theirs != nenzei[:sample]
        gap = np.abs(theirs - nenzei[:sample])
        openfisca.update(
            {
                "wall_seconds_with_venv_check": round(of_took[0], 2),
                "sample": sample,
                "sample_differ": int(differ.sum()),
                "sample_median_abs_diff_yen": int(np.median(gap)),
                "sample_max_abs_diff_yen": int(gap.max()),
            }
        )
        result.figures["openfisca"] = openfisca
        result.figures["ratio_openfisca_to_yakuba"] = ratio(compute_s, yakuba_s)
        result.rows[0]["ratio to OpenFisca"] = ratio(yakuba_s, compute_s)
        result.rows.append(
            {
                "what": "OpenFisca-Japan 住民税所得割+均等割+住民税 (baseline), same persons",
                "seconds": compute_s,
                "taxpayers/s": round(config.taxpayers / compute_s),
                "ratio to OpenFisca": 1.0,
            }
        )
        result.rows.append(
            {
                "what": "… its simulation build and inputs (not in the ratio)",
                "seconds": build_s,
                "taxpayers/s": "-",
                "ratio to OpenFisca": ratio(build_s, compute_s),
            }
        )
        result.notes.append(
            f"yakuba is {ratio(compute_s, yakuba_s)}× faster than OpenFisca-Japan's computation "
            f"({config.taxpayers:,} persons, one 世帯 each)."
        )
        result.notes.append(
            f"Informational: on the first {sample:,} persons, {int(differ.sum()):,} differ from "
            f"yakuba's 年税額 "
            f"(median {int(np.median(gap)):,} 円, max {int(gap.max()):,} 円) — OpenFisca-Japan is an "
            "estimator: no statutory 1,000/100-yen rounding, no 公的年金等控除, no 調整控除 per person, no "
            "税額控除 (寄附金), and spouse/dependants are not in its one-person 世帯 here."
        )
    del assessment, columns, persons, dependants
    if config.tosho_residents and config.kojin_database_url:
        _tosho(config, result)
    else:
        result.figures["tosho"] = {"skipped": "no --kojin-database-url given (a database that is wiped)"}
        result.notes.append(
            "当初課税 batch skipped: no --kojin-database-url given (a database that is wiped)."
        )
    return result


def _tosho(config: Config, result: Result) -> None:
    """Load a town, give each resident on 1 January one 課税資料, time run_tosho (whole batch)."""
    from sqlalchemy import Table, create_engine, text

    from yakuba.bulk import copy_rows
    from yakuba.demo.bulk import load_town
    from yakuba.demo.generator import generate_town
    from yakuba.juki.public import residents_on
    from yakuba.migrate import upgrade
    from yakuba.uow import Actor
    from yakuba.zeimu.kojin.models import KazeiShiryo
    from yakuba.zeimu.kojin.public import run_tosho

    kojin = replace(
        config,
        database_url=config.kojin_database_url,
        data_dir=str(Path(config.data_dir).with_name(Path(config.data_dir).name + "-kojin")),
    )
    Path(kojin.data_dir).mkdir(parents=True, exist_ok=True)
    engine = create_engine(kojin.database_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    upgrade(kojin.database_url)
    container = container_for(kojin)
    try:
        town, households = generate_town(residents=config.tosho_residents, seed=config.seed, as_of=TOWN_AS_OF)
        with stopwatch() as loaded:
            load_town(
                container, town, households, today=PINNED_TODAY, expected_residents=config.tosho_residents
            )
        actor = Actor(login="bench-tosho", terminal="bench", roles=("zeimu_clerk",))
        with stopwatch() as written, container.uow(actor) as uow:
            atena = residents_on(uow.session, dt.date(NENDO, 1, 1))
            persons, dependants = synthetic_columns(len(atena), config.seed + 1)
            rows = _shiryo_rows(atena, persons, dependants)
            copy_rows(uow.session, cast(Table, KazeiShiryo.__table__), rows)
            uow.commit()
        del rows, persons, dependants
        before = self_peak_rss_mb()
        started = time.perf_counter()
        report = run_tosho(container.uow, nendo=NENDO, actor=actor, on=PINNED_TODAY)
        seconds = time.perf_counter() - started
    finally:
        container.dispose()
    per_s = report.assessed / seconds if seconds else float("nan")
    result.figures["tosho"] = {
        "residents_loaded": config.tosho_residents,
        "residents_on_1_january": report.residents,
        "assessed": report.assessed,
        "seconds": round(seconds, 2),
        "per_s": round(per_s),
        "extrapolated_seconds_for_1_000_000": round(1_000_000 / per_s, 1) if per_s else None,
        "town_load_seconds": round(loaded[0], 1),
        "shiryo_write_seconds": round(written[0], 1),
        "by_choshu": report.by_choshu,
    }
    result.rows.append(
        {
            "what": f"run_tosho (当初課税 batch), {report.assessed:,} assessed, PostgreSQL",
            "seconds": round(seconds, 2),
            "taxpayers/s": round(per_s),
            "ratio to OpenFisca": "-",
        }
    )
    result.rows.append(
        {
            "what": "… EXTRAPOLATED to 1,000,000 at that rate (not measured)",
            "seconds": round(1_000_000 / per_s, 1) if per_s else "-",
            "taxpayers/s": round(per_s),
            "ratio to OpenFisca": "-",
        }
    )
    result.peak_rss_mb["before run_tosho (load + 課税資料)"] = before
    result.peak_rss_mb["after run_tosho (process peak)"] = self_peak_rss_mb()
    result.notes.append(
        f"当初課税: town of {config.tosho_residents:,} by the demo bulk loader (異動日 ≤ {TOWN_AS_OF}), "
        f"{report.residents:,} on the 台帳 on {NENDO}-01-01, one synthetic 課税資料 each (ages "
        "synthetic, not the residents'); run_tosho timed whole (assessment, schedules, 課税台帳 rows, "
        "KazeiKettei events)."
    )


def _shiryo_rows(
    atena: list[str], persons: dict[str, np.ndarray], dependants: dict[str, np.ndarray]
) -> list[dict[str, Any]]:
    """One 課税資料 row per resident (TaxpayerInput JSON); 給与 ones come as 給与支払報告書 (特別徴収)."""
    count = len(atena)
    lists = {k: v.tolist() for k, v in persons.items()}
    kids: list[list[dict[str, int]]] = [[] for _ in range(count)]
    for owner, age in zip(dependants["dep_owner"].tolist(), dependants["dep_age"].tolist(), strict=True):
        kids[owner].append({"age": age, "gokei_shotoku": 0})
    flags = {"one_stop", "seikatsu_hogo"}
    skip = {"has_spouse", "spouse_gokei_shotoku", "spouse_age"}
    rows = []
    for i, atena_no in enumerate(atena):
        data: dict[str, Any] = {
            k: (bool(v[i]) if k in flags else v[i]) for k, v in lists.items() if k not in skip and v[i]
        }
        data["age"] = lists["age"][i]
        if lists["has_spouse"][i]:
            data["spouse"] = {
                "gokei_shotoku": lists["spouse_gokei_shotoku"][i],
                "age": lists["spouse_age"][i],
            }
        if kids[i]:
            data["dependants"] = kids[i]
        source = "kyuyo" if data.get("kyuyo_shunyu", 0) >= 3_000_000 else "shinkoku"
        rows.append(
            {
                "nendo": NENDO, "atena_no": atena_no, "rireki_no": 1, "source": source, "data": data,
                "batch": "bench-kojin", "line_no": i + 1, "effective_date": dt.date(NENDO, 1, 31),
                "shori_date": PINNED_TODAY, "operator": "bench-tosho",
            }
        )  # fmt: skip
    return rows
