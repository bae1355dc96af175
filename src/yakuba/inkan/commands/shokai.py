"""照会・回答: the 回答書 to a 照会書 registers the application when it comes back in time and shows the
person's own will; a daily batch ends the applications whose deadline has passed (docs/decisions/
inkan-kaito-deadline.md)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from yakuba.errors import InputError
from yakuba.inkan.commands._massho import not_registered
from yakuba.inkan.commands.toroku import check_eligibility, register
from yakuba.inkan.history import append
from yakuba.inkan.models import InkanToroku
from yakuba.inkan.queries import get_toroku
from yakuba.inkan.schemas import Kaito, Outcome
from yakuba.kernel.wareki import format_wareki
from yakuba.uow import UnitOfWork


def kaito(uow: UnitOfWork, toroku_id: int, command: Kaito, *, today: dt.date) -> Outcome:
    """回答書の受理: register when it came back in time and shows the person's own will; otherwise not."""
    toroku = get_toroku(uow.session, toroku_id)
    if toroku.status != "shokai":
        raise InputError.single("申請", "照会書に対する回答を待っている申請ではありません")
    received = command.received_date or today
    if received > today:
        raise InputError.single("回答書を受けた日", "未来の日付は指定できません")
    assert toroku.kaito_deadline is not None
    outcome = Outcome(toroku_id=toroku.id, atena_no=toroku.atena_no, status="futoroku")
    if received > toroku.kaito_deadline:
        not_registered(
            uow,
            toroku,
            "kigen_keika",
            received,
            detail={"received": received.isoformat(), "deadline": toroku.kaito_deadline.isoformat()},
        )
        outcome.end_jiyu = "kigen_keika"
        outcome.message = (
            f"回答書の提出期限（{format_wareki(toroku.kaito_deadline)}）を過ぎているため登録しません。"
            "改めて申請してください"
        )
        return outcome
    if not command.honnin_ishi:
        not_registered(uow, toroku, "honnin_ishi_nashi", received, detail={"received": received.isoformat()})
        outcome.end_jiyu = "honnin_ishi_nashi"
        outcome.message = "本人の意思に基づく申請であることが確認できないため登録しません"
        return outcome
    if toroku.name_status != "confirmed":
        raise InputError.single("氏名の確認", "申請後に氏名等が変わりました。先に氏名等の確認をしてください")
    check_eligibility(uow.session, toroku.atena_no, today, applying=toroku)
    append(uow, toroku, "kaito", effective_date=received, detail={"honnin_ishi": True})
    return register(uow, toroku, today, outcome)


def expire_overdue(uow: UnitOfWork, *, today: dt.date) -> list[Outcome]:
    """Daily: applications whose 回答書 deadline has passed become 不登録 on the day after the deadline."""
    rows = uow.session.execute(
        select(InkanToroku)
        .where(InkanToroku.status == "shokai", InkanToroku.kaito_deadline < today)
        .order_by(InkanToroku.id)
    ).scalars()
    results = []
    for toroku in list(rows):
        assert toroku.kaito_deadline is not None
        day_after = toroku.kaito_deadline + dt.timedelta(days=1)
        not_registered(
            uow, toroku, "kigen_keika", day_after, detail={"deadline": toroku.kaito_deadline.isoformat()}
        )
        results.append(
            Outcome(toroku_id=toroku.id, atena_no=toroku.atena_no, status="futoroku", end_jiyu="kigen_keika")
        )
    return results
