"""当初課税: every 個人住民税 taxpayer of the municipality assessed in one run, restartable (issue 14).

Who: everyone on the 住民基本台帳 on the 賦課期日, 1 January (地方税法第294条; an as-of read of 住民記録's
history, so a 転出 recorded later with an earlier 異動日 is honoured), who has 課税資料 for the 年度.
What: the engine over all of them at once (:func:`..engine.assess` — array operations, no per-person
calculation loop), the 普通徴収 or 給与特別徴収 schedule for each (a 給与支払報告書 means the employer
collects), and one 当初 row per person appended to the 課税台帳 set-based (``yakuba.bulk``), with one
``KazeiKettei`` event each.

Restartable without double assessment: persons are taken in chunks, each chunk committed on its own;
a person who already has any assessment of the 年度 is skipped, so after a crash the same command
continues where it stopped. The reconciliation report counts and totals what was assessed by 区分 and
lists the 非課税 reasons, the residents without 課税資料 and the 課税資料 without a resident.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
from sqlalchemy import Table, select

from yakuba.bulk import copy_rows, publish_many
from yakuba.juki.public import residents_on
from yakuba.kernel import clock
from yakuba.uow import Actor, UnitOfWork
from yakuba.zeimu.events import KazeiKettei
from yakuba.zeimu.kojin.choshu import futsu_choshu, tokubetsu_choshu
from yakuba.zeimu.kojin.columns import Columns
from yakuba.zeimu.kojin.engine import assess
from yakuba.zeimu.kojin.queries import latest_shiryo_rows
from yakuba.zeimu.kojin.settings import KojinSettings
from yakuba.zeimu.models import KazeiRireki
from yakuba.zeimu.nendo import fuka_kijitsu

CHUNK = 5_000
TOTALS = (
    "shotokuwari_shi",
    "shotokuwari_ken",
    "kintowari_shi",
    "kintowari_ken",
    "shinrin_kankyozei",
    "teigaku_genzei_shi",
    "teigaku_genzei_ken",
    "nenzei",
)
HIKAZEI_REASONS = {
    "hikazei_seikatsu_hogo": "生活保護（生活扶助）",
    "hikazei_jinteki": "障害者・未成年者・寡婦・ひとり親（合計所得135万円以下）",
    "hikazei_kintowari": "均等割の非課税限度額以下",
    "hikazei_shotokuwari": "所得割の非課税限度額以下（均等割のみ課税）",
}


@dataclass
class ToshoReport:
    """The reconciliation of one run (and of all earlier runs of the 年度, for the skipped)."""

    nendo: int
    fuka_kijitsu: dt.date
    residents: int = 0
    assessed: int = 0
    skipped_already_assessed: int = 0
    no_shiryo: list[str] = field(default_factory=list)  # residents without 課税資料
    not_resident: list[str] = field(default_factory=list)  # 課税資料 of persons not on the 台帳 on 1/1
    by_choshu: dict[str, int] = field(default_factory=lambda: {"futsu": 0, "tokubetsu": 0})
    kintowari_only: int = 0
    hikazei: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TOTALS, 0))

    def lines(self) -> list[str]:
        """The report as a clerk reads it (the CLI prints it; the API returns :meth:`view`)."""
        t = self.totals
        out = [
            f"{self.nendo}年度 当初課税（賦課期日 {self.fuka_kijitsu.isoformat()}）",
            f"  課税 {self.assessed:,} 人、既に課税済み {self.skipped_already_assessed:,} 人",
            f"  賦課期日の住民 {self.residents:,} 人、うち課税資料なし {len(self.no_shiryo):,} 人",
            f"  住民でない人の課税資料 {len(self.not_resident):,} 件、均等割のみ {self.kintowari_only:,} 人",
            f"  普通徴収 {self.by_choshu['futsu']:,} 人、特別徴収 {self.by_choshu['tokubetsu']:,} 人",
        ]
        out += [f"  非課税 {HIKAZEI_REASONS[k]}: {v:,} 人" for k, v in self.hikazei.items()]
        out += [
            f"  所得割 市 {t['shotokuwari_shi']:,} 円・県 {t['shotokuwari_ken']:,} 円",
            f"  均等割 市 {t['kintowari_shi']:,} 円・県 {t['kintowari_ken']:,} 円",
            f"  森林環境税 {t['shinrin_kankyozei']:,} 円",
            f"  定額減税 {t['teigaku_genzei_shi'] + t['teigaku_genzei_ken']:,} 円",
            f"  年税額の合計 {t['nenzei']:,} 円",
        ]
        return out

    def view(self) -> dict[str, Any]:
        return {
            "nendo": self.nendo,
            "fuka_kijitsu": self.fuka_kijitsu.isoformat(),
            "residents": self.residents,
            "assessed": self.assessed,
            "skipped_already_assessed": self.skipped_already_assessed,
            "no_shiryo": len(self.no_shiryo),
            "not_resident": self.not_resident,
            "by_choshu": self.by_choshu,
            "kintowari_only": self.kintowari_only,
            "hikazei": {HIKAZEI_REASONS[k]: v for k, v in self.hikazei.items()},
            "totals": self.totals,
        }


def _assessed(uow: UnitOfWork, nendo: int) -> set[str]:
    query = select(KazeiRireki.atena_no).where(KazeiRireki.zeimoku == "kojin", KazeiRireki.nendo == nendo)
    return set(uow.session.scalars(query.distinct()))


def _schedules(result: dict[str, np.ndarray], tokubetsu: np.ndarray, nendo: int) -> list[dict[str, Any]]:
    """Both schedules for the whole chunk as arrays; each person gets the one of their collection."""
    genzei = result["teigaku_genzei_shi"] + result["teigaku_genzei_ken"]
    before = result["nenzei"] + genzei
    futsu = futsu_choshu(before, nendo=nendo, genzei=genzei)
    toku = tokubetsu_choshu(before, nendo=nendo, genzei=genzei)
    futsu_rows, toku_rows = futsu.amounts.tolist(), toku.amounts.tolist()
    futsu_due = [d.isoformat() for d in futsu.due_dates]
    views = []
    for i, employer in enumerate(tokubetsu.tolist()):
        if employer:
            views.append({"periods": list(toku.months), "amounts": toku_rows[i], "due_dates": []})
        else:
            views.append({"periods": list(futsu.months), "amounts": futsu_rows[i], "due_dates": futsu_due})
    return views


def assess_chunk(
    uow: UnitOfWork, shiryo: list[Any], *, settings: KojinSettings, on: dt.date, batch: str
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Assess and append one chunk (all persons new to the 課税台帳 for the 年度). Does not commit.

    ``shiryo`` are rows of :func:`..queries.latest_shiryo_rows` (宛名番号, 種類, 履歴番号, 入力).
    """
    nendo = settings.nendo
    columns = Columns.from_records([s.data for s in shiryo])
    result = assess(columns, nendo=nendo, settings=settings).columns
    tokubetsu = np.array([s.source == "kyuyo" for s in shiryo], dtype=bool)
    schedules = _schedules(result, tokubetsu, nendo)
    keys = list(result)
    values = {k: result[k].tolist() for k in keys}
    today = clock.today()
    login = uow.actor.login
    rows: list[dict[str, Any]] = []
    events = []
    for i, source in enumerate(shiryo):
        steps = {k: values[k][i] for k in keys}
        nenzei = int(steps["nenzei"])
        rows.append(
            {
                "zeimoku": "kojin", "nendo": nendo, "atena_no": source.atena_no, "rireki_no": 1,
                "kubun": "tosho", "reason": "", "nenzei": nenzei, "batch": batch,
                "details": {
                    "steps": steps,
                    "choshu": "tokubetsu" if tokubetsu[i] else "futsu",
                    "schedule": schedules[i],
                    "shiryo": {"rireki_no": source.rireki_no, "source": source.source},
                },
                "effective_date": on, "shori_date": today, "operator": login,
            }
        )  # fmt: skip
        events.append(
            KazeiKettei(
                zeimoku="kojin", nendo=nendo, atena_no=source.atena_no, rireki_no=1, kubun="tosho",
                effective_date=on, nenzei=nenzei, previous_nenzei=None, reason="",
            )
        )  # fmt: skip
    copy_rows(uow.session, cast(Table, KazeiRireki.__table__), rows)
    uow.dispatch()
    publish_many(uow, events)
    return result, tokubetsu


def _tally(report: ToshoReport, result: dict[str, np.ndarray], tokubetsu: np.ndarray) -> None:
    report.assessed += len(result["nenzei"])
    report.by_choshu["tokubetsu"] += int(tokubetsu.sum())
    report.by_choshu["futsu"] += int((~tokubetsu).sum())
    for key in TOTALS:
        report.totals[key] += int(result[key].sum())
    for key in HIKAZEI_REASONS:
        if key in result:
            report.hikazei[key] = report.hikazei.get(key, 0) + int(result[key].astype(bool).sum())
    only = (result["shotokuwari_shi"] + result["shotokuwari_ken"] == 0) & (result["kintowari_shi"] > 0)
    report.kintowari_only += int(only.sum())


def run_tosho(
    open_uow: Callable[[Actor], UnitOfWork],
    *,
    nendo: int,
    actor: Actor,
    on: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    chunk: int = CHUNK,
) -> ToshoReport:
    """The whole 当初課税 of ``nendo``, committed chunk by chunk; re-running continues, never repeats."""
    settings = KojinSettings.for_nendo(nendo)
    kijitsu = fuka_kijitsu("kojin", nendo)
    day = on or clock.today()
    report = ToshoReport(nendo=nendo, fuka_kijitsu=kijitsu)
    with open_uow(actor) as uow:
        residents = set(residents_on(uow.session, kijitsu))
        shiryo = latest_shiryo_rows(uow.session, nendo)
        done = _assessed(uow, nendo)
    report.residents = len(residents)
    has_shiryo = {s.atena_no for s in shiryo}
    report.no_shiryo = sorted(residents - has_shiryo)
    report.not_resident = sorted(has_shiryo - residents)
    todo = [s for s in shiryo if s.atena_no in residents and s.atena_no not in done]
    report.skipped_already_assessed = len([s for s in shiryo if s.atena_no in residents]) - len(todo)
    batch = f"tosho-{nendo}-{clock.now():%Y%m%dT%H%M%S}"
    for start in range(0, len(todo), chunk):
        part = todo[start : start + chunk]
        with open_uow(actor) as uow:
            result, tokubetsu = assess_chunk(uow, part, settings=settings, on=day, batch=batch)
            uow.commit()
        _tally(report, result, tokubetsu)
        if progress is not None:
            progress(start + len(part), len(todo))
    return report
