"""The 抑止 and 支援措置 gate in front of every issuance (spec-resident §1.8; 事務処理要領 第5-10).

For each person: a 支援措置 subject the caller may not see is answered exactly as a missing record
(:mod:`yakuba.juki.visibility`); an error-level 抑止 — or a 支援措置 listing this kind of issuance — stops
the issuance (:class:`~yakuba.juki.yokushi.YokushiBlocked`, HTTP 423) for *every* requester and caller.
The 支援措置責任者's release of one issuance is not built: the issuance is refused with a message telling
the clerk to consult the 抑止・支援措置 manager. Alert-level 抑止 must be confirmed
(:class:`~yakuba.juki.base.AlertConfirmationRequired`, HTTP 428) and are returned for the audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session

from yakuba.juki import public as juki
from yakuba.juki.public import AlertConfirmationRequired, Rireki

# Which 抑止 / 支援措置 process each kind of document is.
PROCESS_OF_KIND = {
    "juminhyo": "certificate",
    "kisai_jiko": "certificate",
    "tenshutsu": "certificate",
    "jumin_code_tsuchi": "certificate",
    "joshohyo": "joshohyo",
    "joshohyo_kisai_jiko": "joshohyo",
    "tenshutsu_junzuru": "joshohyo",
}


def check(
    session: Session,
    rows: Sequence[Rireki],
    *,
    kind: str,
    can_see_shien: bool,
    now: dt.datetime,
    confirm_alerts: bool,
    touched: Callable[[str, bool], None],
) -> list[str]:
    """Raise when any person may not be issued; return the confirmed alert texts.

    ``touched(atena_no, is_shien)`` lets the caller mark the audit entry before an error leaves.
    """
    on = juki.today_jst(now)
    process = PROCESS_OF_KIND[kind]
    alerts: list[str] = []
    for row in rows:
        shien = juki.is_shien_subject(session, row.atena_no, on)
        touched(row.atena_no, shien)
        juki.assert_visible(session, row.atena_no, can_see_shien=can_see_shien, on=on)
        warnings = juki.check_process(
            session,
            atena_no=row.atena_no,
            setai_no=row.setai_no,
            process=process,
            now=now,
            confirm_alerts=False,
        )
        alerts.extend(w.message for w in warnings if w.message not in alerts)
    if alerts and not confirm_alerts:
        raise AlertConfirmationRequired(alerts)
    return alerts
