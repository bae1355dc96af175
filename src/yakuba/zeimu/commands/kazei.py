"""Appending an assessment to the 課税台帳: 当初, 随時, 更正 and 取消 (issue 14).

Rules every tax shares (地方税法 第1章第7節 (更正・決定), 第17条の5 (期間制限)):

* the first assessment of a (税目, 年度, 宛名番号) is 当初 (the 当初課税 batch) or 随時 (assessed after
  it, e.g. a late 申告 or a 住登外者 found later); 当初 only ever comes first;
* 更正 changes an assessment in force and 取消 withdraws it (年税額 0); both need one;
* 随時, 更正 and 取消 need a reason — the notice and the audit trail must say why;
* a 更正 after the 期間制限 (``zeimu.kosei_kigen_years`` years from the 法定納期限, 地方税法第17条の5) is
  refused; the 法定納期限 is approximated by the 年度's last day until the 納期 calendar lands.

Nothing is updated: each call appends the next 履歴番号 (:mod:`yakuba.kernel.history`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from yakuba.errors import InputError
from yakuba.kernel import clock
from yakuba.kernel.history import next_number, row_in_force
from yakuba.params import default_parameters
from yakuba.uow import UnitOfWork
from yakuba.zeimu.events import KazeiKettei
from yakuba.zeimu.models import KUBUN, KazeiRireki
from yakuba.zeimu.nendo import TAXES


def record_assessment(
    uow: UnitOfWork,
    *,
    zeimoku: str,
    nendo: int,
    atena_no: str,
    kubun: str,
    nenzei: int,
    details: dict[str, Any],
    effective_date: dt.date,
    reason: str = "",
    batch: str | None = None,
) -> KazeiRireki:
    """Append one assessment; refuse, naming the field, anything the rules above forbid."""
    if zeimoku not in TAXES:
        raise InputError.single("税目", f"{zeimoku} は {', '.join(TAXES)} のいずれかです")
    if kubun not in KUBUN:
        raise InputError.single("区分", f"{kubun} は {', '.join(KUBUN)} のいずれかです")
    if isinstance(nenzei, bool) or not isinstance(nenzei, int) or nenzei < 0:
        raise InputError.single("年税額", "0 以上の整数（円）で指定してください")
    reason = reason.strip()
    if kubun != "tosho" and not reason:
        raise InputError.single("理由", f"{KUBUN[kubun]}には理由が必要です")
    session = uow.session
    current = session.execute(row_in_force(KazeiRireki, zeimoku, nendo, atena_no)).scalar_one_or_none()
    if current is None and kubun in ("kosei", "torikeshi"):
        raise InputError.single(
            "区分", f"{KUBUN[kubun]}する課税がありません（当初または随時で課税してください）"
        )
    if current is not None and kubun == "tosho":
        raise InputError.single("区分", "当初課税は済んでいます（随時または更正で記録してください）")
    if current is not None and current.kubun == "torikeshi" and kubun != "zuiji":
        raise InputError.single("区分", "取り消された課税は随時課税でのみ改めて課税できます")
    if kubun == "torikeshi" and nenzei != 0:
        raise InputError.single("年税額", "取消の年税額は 0 です")
    today = clock.today()
    if kubun == "kosei":
        years: int = default_parameters().get("zeimu.kosei_kigen_years", on=today)
        limit = dt.date(nendo + 1 + years, 3, 31)
        if today > limit:
            raise InputError.single("区分", f"更正の期間制限（{limit.isoformat()} まで）を過ぎています")
    row = KazeiRireki(
        zeimoku=zeimoku,
        nendo=nendo,
        atena_no=atena_no,
        rireki_no=next_number(session, KazeiRireki, zeimoku, nendo, atena_no),
        kubun=kubun,
        reason=reason,
        nenzei=nenzei,
        details=details,
        batch=batch,
        effective_date=effective_date,
        shori_date=today,
        operator=uow.actor.login,
    )
    session.add(row)
    uow.record(
        KazeiKettei(
            zeimoku=zeimoku,
            nendo=nendo,
            atena_no=atena_no,
            rireki_no=row.rireki_no,
            kubun=kubun,
            effective_date=effective_date,
            nenzei=nenzei,
            previous_nenzei=None if current is None else current.nenzei,
            reason=reason,
        )
    )
    return row
