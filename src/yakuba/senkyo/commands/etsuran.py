"""閲覧 of the 選挙人名簿抄本 (公職選挙法第28条の2〜第28条の4).

Only three purposes exist (``senkyo.etsuran.purposes``): 特定の者が登録されているかの確認 and the
政治活動（選挙運動を含む）of 公職の候補者等・政党その他の政治団体 (第28条の2第1項), and 政治・選挙に関する
公益性の高い調査研究 (第28条の3第1項). The 申出 is written; the 選管 approves it or refuses it in writing with
its reasons; nobody reads the 抄本 from the 公示/告示 of an election until five days after its 選挙期日;
the 閲覧 actually made is recorded and published at least once a year (第28条の4: 申出者の氏名, 利用目的の
概要, 閲覧の年月日, 閲覧に係る選挙人の範囲).

An 申出 is never changed: approvals, refusals and each 閲覧 are appended to ``senkyo_etsuran_kiroku``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from yakuba import params
from yakuba.errors import Conflict, InputError, NotFound
from yakuba.senkyo.models import Election, Etsuran, EtsuranKiroku
from yakuba.uow import UnitOfWork

APPLICANTS = {
    "kakunin": {"kojin"},  # 選挙人（自分又は特定の者の登録の有無を確かめる）
    "seiji": {"kohosha", "seito"},
    "chosa": {"kuni", "hojin", "kojin"},
}
APPLICANT_LABELS = {
    "kojin": "個人",
    "hojin": "法人",
    "kuni": "国又は地方公共団体の機関",
    "kohosha": "公職の候補者等",
    "seito": "政党その他の政治団体",
}
KYOJI = (
    "この処分に不服がある場合は、この処分があったことを知った日の翌日から起算して3月以内に、{issuer}に対して"
    "審査請求をすることができます（行政不服審査法第4条第1号・第18条第1項）。"
)


class EtsuranInput(BaseModel):
    """選挙人名簿抄本閲覧申出書."""

    purpose: str = Field(description="閲覧の目的 kakunin 登録の確認 / seiji 政治活動 / chosa 調査研究")
    applicant_kind: Literal["kojin", "hojin", "kuni", "kohosha", "seito"] = Field(description="申出者の種別")
    applicant_name: str = Field(min_length=1, max_length=200, description="申出者の氏名（法人・団体は名称）")
    applicant_address: str = Field(min_length=1, max_length=400, description="申出者の住所（所在地）")
    representative: str | None = Field(default=None, max_length=200, description="代表者の氏名")
    purpose_detail: str = Field(min_length=1, max_length=2000, description="利用目的（具体的に）")
    management: str | None = Field(default=None, max_length=2000, description="閲覧事項の管理の方法")
    tohyoku_codes: list[str] = Field(default_factory=list, description="閲覧に係る投票区（空なら全投票区）")
    persons: list[str] = Field(default_factory=list, description="確認する人の氏名（登録の確認のとき）")
    viewers: list[str] = Field(min_length=1, description="閲覧者の氏名")
    requested_on: dt.date | None = Field(default=None, description="閲覧を希望する日")

    @model_validator(mode="after")
    def _by_purpose(self) -> EtsuranInput:
        allowed = APPLICANTS.get(self.purpose)
        if allowed is not None and self.applicant_kind not in allowed:
            raise ValueError(
                "この目的の閲覧は "
                + "・".join(APPLICANT_LABELS[k] for k in sorted(allowed))
                + " が申し出るものです"
            )
        if self.purpose == "kakunin" and not self.persons:
            raise ValueError("登録の確認の閲覧では、確認する人の氏名を記載してください")
        if self.purpose == "chosa" and not self.management:
            raise ValueError("調査研究の閲覧では、閲覧事項の管理の方法を記載してください")
        if self.applicant_kind in ("hojin", "seito", "kuni") and not self.representative:
            raise ValueError("法人・団体・機関の申出では代表者（責任者）の氏名を記載してください")
        return self


def purposes(on: dt.date) -> dict[str, str]:
    return {p["code"]: p["name"] for p in params.get("senkyo.etsuran.purposes", on=on)}


def apply(uow: UnitOfWork, command: EtsuranInput, *, today: dt.date) -> Etsuran:
    allowed = purposes(today)
    if command.purpose not in allowed:
        raise InputError.single(
            "閲覧の目的",
            "選挙人名簿抄本の閲覧は、" + "、".join(allowed.values()) + " のためにだけ申し出ることができます"
            "（公職選挙法第28条の2・第28条の3）",
        )
    row = Etsuran(
        purpose=command.purpose,
        applicant_kind=command.applicant_kind,
        applicant_name=command.applicant_name,
        applicant_address=command.applicant_address,
        representative=command.representative,
        purpose_detail=command.purpose_detail,
        management=command.management,
        scope={"tohyoku_codes": command.tohyoku_codes, "persons": command.persons},
        viewers=command.viewers,
        requested_on=command.requested_on,
        received_on=today,
        operator=uow.actor.login,
    )
    uow.session.add(row)
    uow.session.flush()
    return row


def records(session: Session, etsuran_id: int) -> list[EtsuranKiroku]:
    return list(
        session.execute(
            select(EtsuranKiroku).where(EtsuranKiroku.etsuran_id == etsuran_id).order_by(EtsuranKiroku.id)
        ).scalars()
    )


def status(session: Session, etsuran_id: int) -> str:
    """applied / approved / refused (a 閲覧 keeps the 申出 approved: it may take several sittings)."""
    decided = [r.kind for r in records(session, etsuran_id) if r.kind in ("approved", "refused")]
    return decided[-1] if decided else "applied"


def _get(session: Session, etsuran_id: int) -> Etsuran:
    row = session.get(Etsuran, etsuran_id)
    if row is None:
        raise NotFound(f"閲覧の申出 {etsuran_id} はありません")
    return row


def decide(
    uow: UnitOfWork, etsuran_id: int, *, approve: bool, reasons: list[str], today: dt.date
) -> EtsuranKiroku:
    """Approve, or refuse with the reasons that the written notice gives."""
    _get(uow.session, etsuran_id)
    if status(uow.session, etsuran_id) != "applied":
        raise Conflict(f"閲覧の申出 {etsuran_id} は既に決定済みです")
    reasons = [r.strip() for r in reasons if r and r.strip()]
    if not approve and not reasons:
        raise InputError.single(
            "拒否の理由", "閲覧させないときは、その理由を書面で示すため必ず記載してください"
        )
    row = EtsuranKiroku(
        etsuran_id=etsuran_id,
        kind="approved" if approve else "refused",
        on_date=today,
        reasons=reasons,
        operator=uow.actor.login,
    )
    uow.session.add(row)
    uow.session.flush()
    return row


def closed_by(session: Session, day: dt.date) -> Election | None:
    """The election whose 公示/告示 〜 選挙期日後5日 covers ``day`` (no 閲覧 then)."""
    after = params.get("senkyo.etsuran.closed_days_after_kijitsu", on=day)
    for election in session.execute(select(Election).order_by(Election.kouji_date)).scalars():
        if election.kouji_date <= day <= election.kijitsu + dt.timedelta(days=after):
            return election
    return None


def record_viewing(
    uow: UnitOfWork,
    etsuran_id: int,
    *,
    viewed_on: dt.date,
    viewers: list[str] | None = None,
    tohyoku_codes: list[str] | None = None,
) -> EtsuranKiroku:
    """The 閲覧 made (who, when, which part of the roll) — the record that is published."""
    application = _get(uow.session, etsuran_id)
    if status(uow.session, etsuran_id) != "approved":
        raise Conflict(f"閲覧の申出 {etsuran_id} は承認されていません")
    election = closed_by(uow.session, viewed_on)
    if election is not None:
        raise InputError.single(
            "閲覧日",
            f"{election.name}の公示・告示日から選挙期日後5日に当たる日までは閲覧させることができません"
            "（公職選挙法第28条の2第1項）",
        )
    people = viewers or list(application.viewers)
    unknown = [v for v in people if v not in application.viewers]
    if unknown:
        raise InputError.single("閲覧者", f"申出書にない閲覧者です: {'、'.join(unknown)}")
    scope = {
        "tohyoku_codes": tohyoku_codes
        if tohyoku_codes is not None
        else application.scope.get("tohyoku_codes", [])
    }
    row = EtsuranKiroku(
        etsuran_id=etsuran_id,
        kind="viewed",
        on_date=viewed_on,
        viewers=people,
        scope=scope,
        operator=uow.actor.login,
    )
    uow.session.add(row)
    uow.session.flush()
    return row


def refusal_notice(session: Session, etsuran_id: int, *, issuer: str) -> dict[str, Any]:
    """The items of the written refusal (for the PDF and the API)."""
    application = _get(session, etsuran_id)
    refused = [r for r in records(session, etsuran_id) if r.kind == "refused"]
    if not refused:
        raise NotFound(f"閲覧の申出 {etsuran_id} は拒否されていません")
    decision = refused[-1]
    return {
        "etsuran_id": etsuran_id,
        "applicant_name": application.applicant_name,
        "received_on": application.received_on,
        "decided_on": decision.on_date,
        "purpose_label": purposes(application.received_on).get(application.purpose, application.purpose),
        "reasons": list(decision.reasons),
        "issuer": issuer,
        "kyoji": KYOJI.format(issuer=issuer),
    }


def _scope_text(scope: dict[str, Any]) -> str:
    codes = scope.get("tohyoku_codes") or []
    return "全投票区" if not codes else "投票区 " + "・".join(codes)


def kohyo(session: Session, *, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """閲覧の状況 to publish (第28条の4): one line per 閲覧 made between ``start`` and ``end``."""
    published = set(params.get("municipal.senkyo.etsuran_kohyo_purposes", on=end))
    rows = session.execute(
        select(EtsuranKiroku, Etsuran)
        .join(Etsuran, Etsuran.id == EtsuranKiroku.etsuran_id)
        .where(EtsuranKiroku.kind == "viewed", EtsuranKiroku.on_date >= start, EtsuranKiroku.on_date <= end)
        .order_by(EtsuranKiroku.on_date, EtsuranKiroku.id)
    ).all()
    names = purposes(end)
    lines = []
    for record, application in rows:
        if application.purpose not in published:
            continue
        applicant = application.applicant_name
        if application.representative and application.applicant_kind in ("hojin", "seito", "kuni"):
            applicant = f"{applicant}（代表者 {application.representative}）"
        lines.append(
            {
                "申出者": applicant,
                "利用目的の概要": names.get(application.purpose, application.purpose)
                + "："
                + application.purpose_detail,
                "閲覧年月日": record.on_date,
                "閲覧に係る選挙人の範囲": _scope_text(record.scope),
            }
        )
    return lines


def view(session: Session, etsuran_id: int) -> dict[str, Any]:
    application = _get(session, etsuran_id)
    return {
        "id": application.id,
        "purpose": application.purpose,
        "applicant_kind": application.applicant_kind,
        "applicant_name": application.applicant_name,
        "received_on": application.received_on,
        "viewers": application.viewers,
        "scope": application.scope,
        "status": status(session, etsuran_id),
        "records": [
            {
                "kind": r.kind,
                "on_date": r.on_date,
                "reasons": r.reasons,
                "viewers": r.viewers,
                "scope": r.scope,
            }
            for r in records(session, etsuran_id)
        ],
    }
