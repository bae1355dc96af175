"""印鑑登録 commands and queries. Commands take a ``UnitOfWork`` and never commit.

Facts: spec-resident.md §2 and §6 #13–#15, spec-resident-2.md §2.1 (the municipal 印鑑条例 modelled on the
印鑑登録証明事務処理要領). 住民記録 is read only through its read services (``juki.base.current_row``,
``juki.base.setai_rows``); its 異動 reach this module as events (:mod:`yakuba.inkan.handlers`).

Every state change appends an :class:`~yakuba.inkan.models.InkanTorokuEvent` through :func:`_append`, which
also applies it to the projection columns with :func:`apply_event` — the one reducer that
:func:`rebuild_state` replays, so the projection can always be checked against the log.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from types import SimpleNamespace
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from yakuba import params
from yakuba.errors import FieldProblem, InputError, NotFound
from yakuba.inkan import inei as inei_mod
from yakuba.inkan.events import (
    InkanApplicationReceived,
    InkanCardChanged,
    InkanEndDateCorrected,
    InkanNameConfirmationReopened,
    InkanNameConfirmed,
    InkanNotRegistered,
    InkanRegistered,
    InkanRegistrationEnded,
    InkanRegistrationRestored,
)
from yakuba.inkan.models import OPEN_STATUSES, InkanCard, InkanNumbering, InkanToroku, InkanTorokuEvent
from yakuba.juki.base import AlertConfirmationRequired, current_row, setai_rows
from yakuba.kernel.age import age_on
from yakuba.kernel.holidays import next_working_day
from yakuba.kernel.wareki import format_wareki
from yakuba.uow import UnitOfWork

INEI_CONTEXT = "inkan.inei"
MAX_IMAGE_BASE64 = 6_000_000

Represents = Literal["shimei", "shi", "mei", "kyu_uji", "kyu_uji_mei", "tsusho", "kana", "ichibu"]
REPRESENTS_LABELS: dict[str, str] = {
    "shimei": "氏名",
    "shi": "氏",
    "mei": "名",
    "kyu_uji": "旧氏",
    "kyu_uji_mei": "旧氏と名",
    "tsusho": "通称",
    "kana": "氏名の片仮名表記",
    "ichibu": "氏名（旧氏・通称を含む）の一部の組合せ",
}
INBUN_SUFFIXES = (
    "之印",
    "の印",
    "ノ印",
    "印",
)  # 「之印」「の印」 may be appended (浜松市; spec-resident.md §2)
KAKUNIN_LABELS = {
    "photo_id": "官公署発行の顔写真付き本人確認書類",
    "hoshonin": "保証人による保証",
    "shokaisho": "照会書・回答書",
}
KANA_ITEMS = frozenset({"shi_kana", "mei_kana"})


# --------------------------------------------------------------------------------------------- inputs


class Shinsei(BaseModel):
    """印鑑登録申請 (at the counter, with the seal stamped and scanned)."""

    atena_no: str = Field(min_length=1, max_length=15, description="宛名番号（登録を受ける人）")
    inei_png_base64: str = Field(
        min_length=1,
        max_length=MAX_IMAGE_BASE64,
        description="印影の画像（PNG 等を base64 で。印影だけを読み取る）",
    )
    dpi: int | None = Field(default=None, ge=1, le=10000, description="読取解像度（dpi）。省略時は画像の記録")
    inbun: str = Field(min_length=1, max_length=50, description="印文（印鑑に彫られた文字。職員が読み取る）")
    represents: Represents = Field(description="印鑑が表す記録上の氏名等の種類")
    name_confirmed: bool = Field(
        default=False, description="印鑑が住民票に記録された氏名等を表していることを職員が確認した"
    )
    mokushi_kakunin: bool = Field(
        default=False,
        description="材質（ゴム印等でない）・氏名以外の事項がない・印影が鮮明・外枠の欠けが限度内・大量生産品でないことを目視で確認した",
    )
    kakunin_hoho: Literal["photo_id", "hoshonin", "shokaisho"] = Field(
        description="本人確認の方法: photo_id 顔写真付き本人確認書類 / hoshonin 保証人 / shokaisho 照会書"
    )
    kakunin_document: str | None = Field(
        default=None, max_length=40, description="本人確認書類の種類（photo_id）"
    )
    hoshonin_card_no: str | None = Field(default=None, max_length=16, description="保証人の印鑑登録証の番号")
    dairinin: bool = Field(default=False, description="代理人による申請（委任の旨を証する書面あり）")
    ishi_noryoku_nashi: bool = Field(default=False, description="意思能力を有しないと認められる")
    seinen_hikokennin: bool = Field(default=False, description="成年被後見人である")
    kokennin_dohan: bool = Field(
        default=False, description="成年後見人が同行している（登記事項証明書で確認）"
    )
    confirm_alerts: bool = Field(default=False, description="アラートを確認済み")


class Kaito(BaseModel):
    """回答書の受理."""

    received_date: dt.date | None = Field(default=None, description="回答書を受けた日（省略時は当日）")
    honnin_ishi: bool = Field(
        default=True, description="回答書により本人の意思に基づく申請であることを確認した"
    )
    confirm_alerts: bool = Field(default=False, description="アラートを確認済み")


class ShimeiKakunin(BaseModel):
    """氏名等の変更後の確認: 登録印鑑がなお記録された氏名等を表すか."""

    still_represents: bool = Field(description="登録印鑑はなお記録された氏名等を表している")
    represents: Represents | None = Field(
        default=None, description="表している氏名等の種類（表している場合）"
    )


class Haishi(BaseModel):
    """印鑑登録廃止申請."""

    card_returned: bool = Field(default=True, description="印鑑登録証を返還した（亡失の場合は false）")
    dairinin: bool = Field(default=False, description="代理人による申請（委任の旨を証する書面あり）")


class Saikofu(BaseModel):
    """印鑑登録証の再交付申請."""

    reason: Literal["kison", "boshitsu"] = Field(
        description="kison 毀損・汚損（旧証を返還）/ boshitsu 亡失（亡失届で登録を抹消しない団体のみ）"
    )


class ShokkenMassho(BaseModel):
    """職権による抹消（登録資格の喪失が判明した等）."""

    reason: str = Field(min_length=1, max_length=400, description="理由")
    end_date: dt.date | None = Field(default=None, description="抹消日（省略時は当日）")


# --------------------------------------------------------------------------------------------- results


@dataclass
class Outcome:
    """What a command did, for the screen and the API."""

    toroku_id: int
    atena_no: str
    status: str
    toroku_no: str | None = None
    card_no: str | None = None
    kaito_deadline: dt.date | None = None
    end_jiyu: str | None = None
    message: str = ""
    alerts: list[str] = field(default_factory=list)
    measurement: dict[str, Any] | None = None
    fee: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# --------------------------------------------------------------------------------------------- reducer


def apply_event(
    state: Any, kind: str, effective_date: dt.date | None, jiyu: str | None, detail: dict[str, Any]
) -> None:
    """Apply one event to the projection (an ``InkanToroku`` or any object with the same attributes)."""
    if kind == "shinsei":
        state.status = "shokai"
    elif kind == "toroku":
        state.status = "toroku"
        state.toroku_no = detail["toroku_no"]
        state.toroku_date = effective_date
    elif kind == "futoroku":
        state.status = "futoroku"
        state.end_date, state.end_jiyu = effective_date, jiyu
    elif kind == "shimei_kakunin":
        state.represents = detail["represents"]
        state.represents_text = detail.get("text")
        state.name_status = "confirmed"
    elif kind == "shimei_saikakunin":
        state.name_status = "reopened"
    elif kind == "shimei_saikakunin_torikeshi":
        state.name_status = "confirmed"
    elif kind == "massho_yotei":
        state.tenshutsu_yotei_date = effective_date
    elif kind == "massho_yotei_torikeshi":
        state.tenshutsu_yotei_date = None
    elif kind == "massho":
        state.status = "massho"
        state.end_date, state.end_jiyu = effective_date, jiyu
    elif kind == "massho_date_teisei":
        state.end_date = effective_date
    elif kind == "kaifuku":
        state.status = "toroku"
        state.end_date, state.end_jiyu = None, None
        if detail.get("name_status"):
            state.name_status = detail["name_status"]
    # card_* events change inkan_card rows only (see CARD_STATUS)


CARD_STATUS = {
    "card_kofu": "yuko",
    "card_boshitsu": "boshitsu",
    "card_kaishu": "kaishu",
    "card_mukou": "mukou",
    "card_fukki": "yuko",
}
PROJECTED = (
    "status",
    "toroku_no",
    "toroku_date",
    "represents",
    "represents_text",
    "name_status",
    "tenshutsu_yotei_date",
    "end_date",
    "end_jiyu",
)


def events_of(session: Session, toroku_id: int) -> list[InkanTorokuEvent]:
    return list(
        session.execute(
            select(InkanTorokuEvent)
            .where(InkanTorokuEvent.toroku_id == toroku_id)
            .order_by(InkanTorokuEvent.seq)
        ).scalars()
    )


def rebuild_state(session: Session, toroku_id: int) -> tuple[dict[str, Any], dict[int, str]]:
    """Replay the log: (projection of the registration, card id → status)."""
    state = SimpleNamespace(
        status=None,
        toroku_no=None,
        toroku_date=None,
        represents=None,
        represents_text=None,
        name_status="confirmed",
        tenshutsu_yotei_date=None,
        end_date=None,
        end_jiyu=None,
    )
    cards: dict[int, str] = {}
    for ev in events_of(session, toroku_id):
        apply_event(state, ev.kind, ev.effective_date, ev.jiyu, ev.detail or {})
        if ev.kind in CARD_STATUS and ev.card_id is not None:
            cards[ev.card_id] = CARD_STATUS[ev.kind]
    return {name: getattr(state, name) for name in PROJECTED}, cards


def _append(
    uow: UnitOfWork,
    toroku: InkanToroku,
    kind: str,
    *,
    effective_date: dt.date | None = None,
    jiyu: str | None = None,
    ido_id: int | None = None,
    card: InkanCard | None = None,
    detail: dict[str, Any] | None = None,
) -> InkanTorokuEvent:
    toroku.last_seq = (toroku.last_seq or 0) + 1
    event = InkanTorokuEvent(
        toroku_id=toroku.id,
        seq=toroku.last_seq,
        kind=kind,
        effective_date=effective_date,
        jiyu=jiyu,
        ido_id=ido_id,
        card_id=card.id if card is not None else None,
        detail=dict(detail or {}),
        recorded_by=uow.actor.login,
        terminal=uow.actor.terminal,
    )
    uow.session.add(event)
    apply_event(toroku, kind, effective_date, jiyu, event.detail)
    if card is not None and kind in CARD_STATUS:
        card.status = CARD_STATUS[kind]
        card.ended_date = None if CARD_STATUS[kind] == "yuko" else effective_date
    # No flush here: the next query autoflushes and the unit of work flushes after each handler, so a
    # 抹消 (a card event and the 抹消 event) costs one round trip instead of one per row.
    return event


# --------------------------------------------------------------------------------------------- numbering


def _next_serial(session: Session, name: str) -> int:
    row = session.execute(
        select(InkanNumbering).where(InkanNumbering.name == name).with_for_update()
    ).scalar_one_or_none()
    if row is None:
        row = InkanNumbering(name=name, last_serial=0)
        session.add(row)
    row.last_serial = (row.last_serial or 0) + 1
    session.flush()
    return int(row.last_serial)


def luhn_digit(digits: str) -> int:
    """Mod-10 (Luhn) check digit, so that a mistyped 印鑑登録証番号 is caught at the counter."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return (10 - total % 10) % 10


def is_valid_card_no(card_no: str) -> bool:
    return len(card_no) >= 2 and card_no.isdigit() and luhn_digit(card_no[:-1]) == int(card_no[-1])


def _new_toroku_no(session: Session, on: dt.date) -> str:
    digits = int(params.get("municipal.inkan.toroku_no_digits", on=on))
    return str(_next_serial(session, "toroku_no")).zfill(digits)


def _issue_card(uow: UnitOfWork, toroku: InkanToroku, on: dt.date, *, reason: str) -> InkanCard:
    serial = str(_next_serial(uow.session, "card_no")).zfill(8)
    card = InkanCard(
        card_no=serial + str(luhn_digit(serial)), toroku_id=toroku.id, issued_date=on, status="yuko"
    )
    uow.session.add(card)
    uow.session.flush()
    _append(
        uow,
        toroku,
        "card_kofu",
        effective_date=on,
        card=card,
        detail={"card_no": card.card_no, "reason": reason},
    )
    uow.record(
        InkanCardChanged(toroku_id=toroku.id, atena_no=toroku.atena_no, card_no=card.card_no, action="kofu")
    )
    return card


# --------------------------------------------------------------------------------------------- reading


def get_toroku(session: Session, toroku_id: int) -> InkanToroku:
    row = session.get(InkanToroku, toroku_id)
    if row is None:
        raise NotFound(f"印鑑登録（申請）{toroku_id} は見つかりません")
    return row


def by_toroku_no(session: Session, toroku_no: str) -> InkanToroku:
    row = session.execute(select(InkanToroku).where(InkanToroku.toroku_no == toroku_no)).scalar_one_or_none()
    if row is None:
        raise NotFound(f"登録番号 {toroku_no} の印鑑登録は見つかりません")
    return row


HOLDERS_KEY = "inkan.holders"
_CHUNK = 500


def holders(uow: UnitOfWork, atena_nos: list[str]) -> set[str]:
    """Which of these persons have (or had) a 印鑑登録 — remembered for the transaction.

    Most 住民記録 events concern persons who never registered a seal; the handlers ask this first, and
    the first event of a dispatch round asks it for every queued person in one query (not one each).
    """
    known: dict[str, bool] = uow.scratch.setdefault(HOLDERS_KEY, {})
    want = sorted({a for a in atena_nos if a not in known})
    for start in range(0, len(want), _CHUNK):
        chunk = want[start : start + _CHUNK]
        found = set(
            uow.session.execute(
                select(InkanToroku.atena_no).where(InkanToroku.atena_no.in_(chunk)).distinct()
            ).scalars()
        )
        known.update((a, a in found) for a in chunk)
    return {a for a in atena_nos if known.get(a)}


def forget_holders(uow: UnitOfWork) -> None:
    """A registration was made in this transaction: ask the database again."""
    uow.scratch.pop(HOLDERS_KEY, None)


def open_registration(session: Session, atena_no: str) -> InkanToroku | None:
    """The person's registration or pending application (at most one: a partial unique index)."""
    return session.execute(
        select(InkanToroku).where(InkanToroku.atena_no == atena_no, InkanToroku.status.in_(OPEN_STATUSES))
    ).scalar_one_or_none()


def registrations_of(session: Session, atena_no: str) -> list[InkanToroku]:
    return list(
        session.execute(
            select(InkanToroku).where(InkanToroku.atena_no == atena_no).order_by(InkanToroku.id)
        ).scalars()
    )


def cards_of(session: Session, toroku_id: int) -> list[InkanCard]:
    return list(
        session.execute(
            select(InkanCard).where(InkanCard.toroku_id == toroku_id).order_by(InkanCard.id)
        ).scalars()
    )


def card_by_no(session: Session, card_no: str) -> InkanCard:
    card = session.execute(select(InkanCard).where(InkanCard.card_no == card_no)).scalar_one_or_none()
    if card is None:
        raise NotFound(f"印鑑登録証 {card_no} は見つかりません")
    return card


def valid_card(session: Session, toroku_id: int) -> InkanCard | None:
    return session.execute(
        select(InkanCard).where(InkanCard.toroku_id == toroku_id, InkanCard.status == "yuko")
    ).scalar_one_or_none()


def is_valid_on(toroku: InkanToroku, on: dt.date) -> bool:
    """Registered, and (after a 転出届) before the 転出予定日."""
    if toroku.status != "toroku":
        return False
    return toroku.tenshutsu_yotei_date is None or on < toroku.tenshutsu_yotei_date


def inei_png(uow: UnitOfWork, toroku: InkanToroku) -> bytes:
    """The stored impression (decrypted)."""
    token = uow.field_cipher.decrypt(toroku.inei_enc, context=INEI_CONTEXT)
    return base64.b64decode(token)


def summary(toroku: InkanToroku, cards: list[InkanCard] | None = None) -> dict[str, Any]:
    """The registration without the 印影 (for lists and the API)."""
    view: dict[str, Any] = {
        "toroku_id": toroku.id,
        "atena_no": toroku.atena_no,
        "status": toroku.status,
        "toroku_no": toroku.toroku_no,
        "toroku_date": toroku.toroku_date,
        "shinsei_date": toroku.shinsei_date,
        "kakunin_hoho": toroku.kakunin_hoho,
        "shokaisho_date": toroku.shokaisho_date,
        "kaito_deadline": toroku.kaito_deadline,
        "inbun": toroku.inbun,
        "represents": toroku.represents,
        "represents_text": toroku.represents_text,
        "name_status": toroku.name_status,
        "tenshutsu_yotei_date": toroku.tenshutsu_yotei_date,
        "end_date": toroku.end_date,
        "end_jiyu": toroku.end_jiyu,
        "size_mm": {
            "square": toroku.square_um / 1000,
            "width": toroku.width_um / 1000,
            "height": toroku.height_um / 1000,
            "dpi": toroku.dpi,
        },
    }
    if cards is not None:
        view["cards"] = [
            {
                "card_no": c.card_no,
                "status": c.status,
                "issued_date": c.issued_date,
                "ended_date": c.ended_date,
            }
            for c in cards
        ]
    return view


def event_view(ev: InkanTorokuEvent) -> dict[str, Any]:
    return {
        "seq": ev.seq,
        "kind": ev.kind,
        "effective_date": ev.effective_date,
        "jiyu": ev.jiyu,
        "ido_id": ev.ido_id,
        "detail": ev.detail,
        "recorded_at": ev.recorded_at,
        "recorded_by": ev.recorded_by,
    }


# --------------------------------------------------------------------------------------------- names


def name_items(row: Any) -> dict[str, str | None]:
    """The recorded name forms a seal may show (住民票 or an event's ResidentSummary), blanks removed."""

    def clean(*parts: str | None) -> str | None:
        if any(p is None or p == "" for p in parts):
            return None
        return "".join((p or "").replace(" ", "").replace("\u3000", "") for p in parts)

    shi, mei = row.shi, row.mei
    kyu_uji = getattr(row, "kyu_uji", None)
    return {
        "shimei": clean(shi, mei),
        "shi": clean(shi),
        "mei": clean(mei),
        "kyu_uji": clean(kyu_uji),
        "kyu_uji_mei": clean(kyu_uji, mei),
        "tsusho": clean(getattr(row, "tsusho", None)),
        "kana": clean(getattr(row, "shi_kana", None), getattr(row, "mei_kana", None)),
        "ichibu": None,
    }


def inbun_core(inbun: str) -> str:
    text = inbun.replace(" ", "").replace("\u3000", "")
    for suffix in INBUN_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def matching_items(items: Mapping[str, str | None], inbun: str) -> list[str]:
    core = inbun_core(inbun)
    return [k for k, v in items.items() if v and v == core]


def _ichibu_ok(items: dict[str, str | None], inbun: str) -> bool:
    """「氏名の一部の組合せ」: every character of the 印文 occurs in the recorded 氏名・旧氏・通称."""
    pool = "".join(v for k, v in items.items() if v and k in ("shimei", "kyu_uji", "tsusho", "kana"))
    return bool(pool) and all(ch in pool for ch in inbun_core(inbun))


def _name_alerts(items: dict[str, str | None], inbun: str, represents: str) -> list[str]:
    label = REPRESENTS_LABELS[represents]
    if represents == "ichibu":
        if _ichibu_ok(items, inbun):
            return []
        return [
            f"印文「{inbun}」の文字が記録された氏名等にありません（旧字・新字の違いなどを確認してください）"
        ]
    if represents in matching_items(items, inbun):
        return []
    return [
        f"印文「{inbun}」は記録された{label}「{items.get(represents)}」と一致しません"
        "（旧字・新字の違い、之印・の印の付加などを確認してください）"
    ]


# --------------------------------------------------------------------------------------------- eligibility


def _deadline(base: dt.date, on: dt.date) -> dt.date:
    rule = params.get("municipal.inkan.kaito_deadline", on=on)
    days = int(rule["days"])
    last = base + dt.timedelta(days=days - 1 if rule.get("first_day_included") else days)
    return next_working_day(last) if rule.get("holiday_extends") else last


def _eligibility(session: Session, atena_no: str, on: dt.date, *, applying: InkanToroku | None = None) -> Any:
    """The person's current 住民票 row, or InputError naming each reason they cannot register."""
    try:
        row = current_row(session, atena_no)
    except NotFound:
        raise InputError.single(
            "宛名番号",
            f"宛名番号 {atena_no} の人はこの市区町村の住民基本台帳に記録されていないため登録できません",
        ) from None
    problems: list[FieldProblem] = []
    yotei = row.tenshutsu_yotei_date if row.jumin_jotai == "02" else None
    if yotei is not None and on >= yotei:
        problems.append(
            FieldProblem(
                "転出予定日",
                f"転出届があった人は転出予定日（{format_wareki(yotei)}）の前日までしか登録できません",
            )
        )
    minimum = int(params.get("inkan.min_age", on=on))
    if row.birth_date is None:
        problems.append(FieldProblem("生年月日", "生年月日が不詳のため、登録できる年齢か確認できません"))
    else:
        age = age_on(row.birth_date, on)
        if age < minimum:
            problems.append(
                FieldProblem(
                    "生年月日",
                    f"満{minimum}歳未満の人は登録できません（{format_wareki(row.birth_date)}生まれ、"
                    f"{format_wareki(on)}現在 満{age}歳。年齢計算ニ関スル法律による）",
                )
            )
    existing = open_registration(session, atena_no)
    if existing is not None and existing is not applying:
        if existing.status == "toroku":
            problems.append(
                FieldProblem(
                    "宛名番号",
                    f"既に印鑑登録を受けています（登録番号 {existing.toroku_no}）。1人1個に限ります",
                )
            )
        else:
            problems.append(
                FieldProblem("宛名番号", "照会書による登録申請が手続中です（回答書を待っています）")
            )
    if problems:
        raise InputError(*problems)
    return row


def _hoshonin(session: Session, card_no: str | None, applicant: str, on: dt.date) -> InkanToroku:
    if not card_no:
        raise InputError.single(
            "保証人の印鑑登録証", "保証人による確認では保証人の印鑑登録証の番号を入力してください"
        )
    try:
        card = card_by_no(session, card_no)
    except NotFound:
        raise InputError.single("保証人の印鑑登録証", f"印鑑登録証 {card_no} は登録されていません") from None
    toroku = get_toroku(session, card.toroku_id)
    if card.status != "yuko" or not is_valid_on(toroku, on) or toroku.name_status != "confirmed":
        raise InputError.single(
            "保証人の印鑑登録証", "保証人はこの市区町村で有効な印鑑登録を受けている人でなければなりません"
        )
    if toroku.atena_no == applicant:
        raise InputError.single("保証人の印鑑登録証", "本人が自分の保証人になることはできません")
    return toroku


def _similar_in_setai(
    uow: UnitOfWork, setai_no: str, atena_no: str, seal: inei_mod.Inei, on: dt.date
) -> list[str]:
    threshold = float(params.get("municipal.inkan.similarity_alert_threshold", on=on))
    alerts: list[str] = []
    for member in setai_rows(uow.session, setai_no):
        if member.atena_no == atena_no:
            continue
        other = open_registration(uow.session, member.atena_no)
        if other is None:
            continue
        png = inei_png(uow, other)
        if other.inei_sha256 == seal.sha256:
            score = 1.0
        else:
            score = inei_mod.similarity(
                seal,
                inei_mod.mask_of_png(png),
                a_mm=seal.measurement.square_mm,
                b_mm=other.square_um / 1000,
            )
        if score >= threshold:
            alerts.append(
                f"同一世帯の {member.shi}{member.mei}（宛名番号 {member.atena_no}）が"
                "登録している印鑑と同一又は類似です"
                f"（類似度 {score:.2f}）。同一又は類似の印鑑は登録できません"
            )
    return alerts


# --------------------------------------------------------------------------------------------- commands


def shinsei(uow: UnitOfWork, command: Shinsei, *, today: dt.date) -> Outcome:
    """印鑑登録申請: register at once (顔写真付き本人確認書類 / 保証人) or post a 照会書."""
    session = uow.session
    problems: list[FieldProblem] = []
    if command.ishi_noryoku_nashi:
        problems.append(FieldProblem("意思能力", "意思能力を有しない人は登録できません"))
    if command.seinen_hikokennin and not (
        command.kokennin_dohan and params.get("municipal.inkan.seinen_hikokennin_with_kokennin", on=today)
    ):
        problems.append(
            FieldProblem(
                "成年被後見人",
                "成年被後見人は登録できません"
                + (
                    "（成年後見人が同行する場合を除く）"
                    if params.get("municipal.inkan.seinen_hikokennin_with_kokennin", on=today)
                    else ""
                ),
            )
        )
    if problems:
        raise InputError(*problems)
    row = _eligibility(session, command.atena_no, today)
    # 本人確認の方法
    if command.dairinin and command.kakunin_hoho != "shokaisho":
        raise InputError.single("本人確認の方法", "代理人による申請は、本人への照会書と回答書で確認します")
    hoshonin: InkanToroku | None = None
    documents = params.get("inkan.photo_id_documents", on=today)
    if command.kakunin_hoho == "photo_id" and command.kakunin_document not in documents:
        raise InputError.single(
            "本人確認書類",
            f"官公署発行の顔写真付き本人確認書類を選んでください（{'・'.join(documents.values())}）",
        )
    if command.kakunin_hoho == "hoshonin":
        hoshonin = _hoshonin(session, command.hoshonin_card_no, command.atena_no, today)
    # 印影
    try:
        data = base64.b64decode(command.inei_png_base64, validate=True)
    except (binascii.Error, ValueError):
        raise InputError.single("印影", "画像の base64 が正しくありません") from None
    seal = inei_mod.decode(data, dpi=command.dpi, on=today)
    inei_mod.check_size(seal.measurement, on=today)
    if not command.mokushi_kakunin:
        ratio = float(params.get("municipal.inkan.rim_missing_max_ratio", on=today))
        raise InputError.single(
            "印鑑の確認",
            "ゴム印など変形しやすいもの、氏名以外の事項を表すもの、印影が不鮮明なもの、外枠が"
            f"{round(ratio * 100)}%以上欠けたもの、大量生産品でないことを確認してください",
        )
    items = name_items(row)
    if command.represents != "ichibu" and not items.get(command.represents):
        raise InputError.single(
            "印鑑が表す氏名等", f"{REPRESENTS_LABELS[command.represents]}は住民票に記録されていません"
        )
    if not command.name_confirmed:
        raise InputError.single(
            "氏名の確認",
            "印鑑が住民票に記録された氏名・氏・名・旧氏・通称・片仮名表記を表していることを確認してください",
        )
    alerts = _name_alerts(items, command.inbun, command.represents)
    alerts += _similar_in_setai(uow, row.setai_no, command.atena_no, seal, today)
    if alerts and not command.confirm_alerts:
        raise AlertConfirmationRequired(alerts)
    m = seal.measurement
    forget_holders(uow)  # this person now holds a registration: the handlers' skip list is stale
    toroku = InkanToroku(
        atena_no=command.atena_no,
        shinsei_date=today,
        kakunin_hoho=command.kakunin_hoho,
        kakunin_document=command.kakunin_document if command.kakunin_hoho == "photo_id" else None,
        hoshonin_toroku_id=hoshonin.id if hoshonin else None,
        dairinin=command.dairinin,
        inei_enc=uow.field_cipher.encrypt(base64.b64encode(seal.png).decode("ascii"), context=INEI_CONTEXT),
        inei_sha256=seal.sha256,
        dpi=m.dpi,
        width_um=round(m.width_mm * 1000),
        height_um=round(m.height_mm * 1000),
        square_um=round(m.square_mm * 1000),
        inbun=command.inbun,
        created_by=uow.actor.login,
        status="shokai",
        name_status="confirmed",
        last_seq=0,
    )
    session.add(toroku)
    session.flush()
    _append(
        uow,
        toroku,
        "shinsei",
        effective_date=today,
        detail={
            "kakunin_hoho": command.kakunin_hoho,
            "kakunin_document": toroku.kakunin_document,
            "hoshonin_toroku_no": hoshonin.toroku_no if hoshonin else None,
            "dairinin": command.dairinin,
            "seinen_hikokennin": command.seinen_hikokennin,
            "kokennin_dohan": command.kokennin_dohan,
            "measurement": asdict(m),
            "confirmed_alerts": alerts,
        },
    )
    _append(
        uow,
        toroku,
        "shimei_kakunin",
        effective_date=today,
        detail={"represents": command.represents, "text": items.get(command.represents) or command.inbun},
    )
    if row.jumin_jotai == "02" and row.tenshutsu_yotei_date is not None:
        _append(uow, toroku, "massho_yotei", effective_date=row.tenshutsu_yotei_date, jiyu="tenshutsu")
    outcome = Outcome(
        toroku_id=toroku.id, atena_no=toroku.atena_no, status="shokai", alerts=alerts, measurement=asdict(m)
    )
    if command.kakunin_hoho == "shokaisho":
        base = today  # the 照会書 is posted on the day of the application (start hasso or shinsei alike)
        toroku.shokaisho_date = today
        toroku.kaito_deadline = _deadline(base, today)
        _append(
            uow,
            toroku,
            "shokaisho_hasso",
            effective_date=today,
            detail={"kaito_deadline": toroku.kaito_deadline.isoformat()},
        )
        uow.record(
            InkanApplicationReceived(
                toroku_id=toroku.id,
                atena_no=toroku.atena_no,
                shokaisho_date=today,
                kaito_deadline=toroku.kaito_deadline,
            )
        )
        outcome.kaito_deadline = toroku.kaito_deadline
        outcome.message = (
            f"照会書を送付します。回答書を{format_wareki(toroku.kaito_deadline)}までに持参してください"
            "（期限を過ぎると登録されません）"
        )
        return outcome
    return _register(uow, toroku, today, outcome)


def _register(uow: UnitOfWork, toroku: InkanToroku, today: dt.date, outcome: Outcome) -> Outcome:
    toroku_no = _new_toroku_no(uow.session, today)
    _append(uow, toroku, "toroku", effective_date=today, detail={"toroku_no": toroku_no})
    card = _issue_card(uow, toroku, today, reason="toroku")
    fee = int(params.get("municipal.inkan.fees.toroku", on=today))
    uow.record(
        InkanRegistered(
            toroku_id=toroku.id,
            atena_no=toroku.atena_no,
            toroku_no=toroku_no,
            toroku_date=today,
            kakunin_hoho=toroku.kakunin_hoho,
        )
    )
    outcome.status = "toroku"
    outcome.toroku_no = toroku_no
    outcome.card_no = card.card_no
    outcome.fee = fee
    outcome.message = f"登録しました（登録番号 {toroku_no}）。印鑑登録証を交付します"
    return outcome


def _not_registered(
    uow: UnitOfWork, toroku: InkanToroku, jiyu: str, on: dt.date, *, detail: dict[str, Any]
) -> None:
    _append(uow, toroku, "futoroku", effective_date=on, jiyu=jiyu, detail=detail)
    uow.record(InkanNotRegistered(toroku_id=toroku.id, atena_no=toroku.atena_no, jiyu=jiyu, end_date=on))


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
        _not_registered(
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
        _not_registered(uow, toroku, "honnin_ishi_nashi", received, detail={"received": received.isoformat()})
        outcome.end_jiyu = "honnin_ishi_nashi"
        outcome.message = "本人の意思に基づく申請であることが確認できないため登録しません"
        return outcome
    if toroku.name_status != "confirmed":
        raise InputError.single("氏名の確認", "申請後に氏名等が変わりました。先に氏名等の確認をしてください")
    _eligibility(uow.session, toroku.atena_no, today, applying=toroku)
    _append(uow, toroku, "kaito", effective_date=received, detail={"honnin_ishi": True})
    return _register(uow, toroku, today, outcome)


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
        _not_registered(
            uow, toroku, "kigen_keika", day_after, detail={"deadline": toroku.kaito_deadline.isoformat()}
        )
        results.append(
            Outcome(toroku_id=toroku.id, atena_no=toroku.atena_no, status="futoroku", end_jiyu="kigen_keika")
        )
    return results


def _end(
    uow: UnitOfWork,
    toroku: InkanToroku,
    jiyu: str,
    on: dt.date,
    *,
    shokken: bool,
    ido_id: int | None = None,
    detail: dict[str, Any] | None = None,
    card_action: str = "card_mukou",
) -> None:
    """抹消: the registration ends on ``on``; every valid card stops being valid with it."""
    if toroku.status == "shokai":
        _not_registered(uow, toroku, jiyu, on, detail={**(detail or {}), "ido_id": ido_id})
        return
    ended_cards = []
    for card in cards_of(uow.session, toroku.id):
        if card.status == "yuko":
            _append(
                uow,
                toroku,
                card_action,
                effective_date=on,
                card=card,
                ido_id=ido_id,
                detail={"card_no": card.card_no},
            )
            ended_cards.append(card.card_no)
            action = CARD_STATUS[card_action]
            uow.record(
                InkanCardChanged(
                    toroku_id=toroku.id, atena_no=toroku.atena_no, card_no=card.card_no, action=action
                )
            )
    _append(
        uow,
        toroku,
        "massho",
        effective_date=on,
        jiyu=jiyu,
        ido_id=ido_id,
        detail={**(detail or {}), "shokken": shokken, "cards": ended_cards},
    )
    uow.record(
        InkanRegistrationEnded(
            toroku_id=toroku.id,
            atena_no=toroku.atena_no,
            toroku_no=toroku.toroku_no or "",
            jiyu=jiyu,
            end_date=on,
            shokken=shokken,
        )
    )


def _registered(session: Session, toroku_id: int) -> InkanToroku:
    toroku = get_toroku(session, toroku_id)
    if toroku.status != "toroku":
        raise InputError.single("印鑑登録", "登録されている印鑑ではありません（照会中・不登録・抹消済み）")
    return toroku


def haishi(uow: UnitOfWork, toroku_id: int, command: Haishi, *, today: dt.date) -> Outcome:
    """廃止申請 (本人 or 代理人 with a 委任): the registration ends today; the card is returned."""
    toroku = _registered(uow.session, toroku_id)
    _end(
        uow,
        toroku,
        "haishi",
        today,
        shokken=False,
        detail={"dairinin": command.dairinin, "card_returned": command.card_returned},
        card_action="card_kaishu" if command.card_returned else "card_mukou",
    )
    return Outcome(
        toroku.id,
        toroku.atena_no,
        "massho",
        toroku_no=toroku.toroku_no,
        end_jiyu="haishi",
        message="印鑑登録を廃止しました",
    )


def boshitsu(uow: UnitOfWork, toroku_id: int, *, today: dt.date) -> Outcome:
    """亡失届: the card is lost; per ``municipal.inkan.boshitsu_ends_registration`` the registration ends."""
    toroku = _registered(uow.session, toroku_id)
    card = valid_card(uow.session, toroku.id)
    if card is None:
        raise InputError.single("印鑑登録証", "有効な印鑑登録証がありません（既に亡失届があります）")
    _append(uow, toroku, "card_boshitsu", effective_date=today, card=card, detail={"card_no": card.card_no})
    uow.record(
        InkanCardChanged(
            toroku_id=toroku.id, atena_no=toroku.atena_no, card_no=card.card_no, action="boshitsu"
        )
    )
    if params.get("municipal.inkan.boshitsu_ends_registration", on=today):
        _end(uow, toroku, "boshitsu", today, shokken=False, detail={"card_no": card.card_no})
        return Outcome(
            toroku.id,
            toroku.atena_no,
            "massho",
            toroku_no=toroku.toroku_no,
            end_jiyu="boshitsu",
            message="印鑑登録証の亡失届により印鑑登録を抹消しました。必要なら改めて登録してください",
        )
    return Outcome(
        toroku.id,
        toroku.atena_no,
        "toroku",
        toroku_no=toroku.toroku_no,
        message="印鑑登録証を亡失として無効にしました。再交付まで証明書は交付できません",
    )


def saikofu(uow: UnitOfWork, toroku_id: int, command: Saikofu, *, today: dt.date) -> Outcome:
    """再交付: a new card (new number); a damaged card is surrendered, a lost one was already reported."""
    toroku = _registered(uow.session, toroku_id)
    if not is_valid_on(toroku, today):
        raise InputError.single("登録番号", "転出予定日以後は再交付できません")
    current = valid_card(uow.session, toroku.id)
    if command.reason == "kison":
        if current is None:
            raise InputError.single(
                "再交付の理由", "返還する印鑑登録証がありません（亡失の場合は亡失届をしてください）"
            )
        _append(
            uow,
            toroku,
            "card_kaishu",
            effective_date=today,
            card=current,
            detail={"card_no": current.card_no, "reason": "kison"},
        )
        uow.record(
            InkanCardChanged(
                toroku_id=toroku.id, atena_no=toroku.atena_no, card_no=current.card_no, action="kaishu"
            )
        )
    elif current is not None:
        raise InputError.single(
            "再交付の理由", "有効な印鑑登録証があります。亡失の場合は先に亡失届をしてください"
        )
    card = _issue_card(uow, toroku, today, reason=f"saikofu_{command.reason}")
    fee = int(params.get("municipal.inkan.fees.saikofu", on=today))
    return Outcome(
        toroku.id,
        toroku.atena_no,
        "toroku",
        toroku_no=toroku.toroku_no,
        card_no=card.card_no,
        fee=fee,
        message="印鑑登録証を再交付しました",
    )


def card_henkan(uow: UnitOfWork, card_no: str, *, today: dt.date) -> Outcome:
    """亡失した印鑑登録証を発見し返還した (永平寺町規則第7条): the card is recorded as returned."""
    card = card_by_no(uow.session, card_no)
    toroku = get_toroku(uow.session, card.toroku_id)
    if card.status != "boshitsu":
        raise InputError.single("印鑑登録証", "亡失届のあった印鑑登録証ではありません")
    _append(
        uow,
        toroku,
        "card_kaishu",
        effective_date=today,
        card=card,
        detail={"card_no": card_no, "reason": "hakken"},
    )
    uow.record(
        InkanCardChanged(toroku_id=toroku.id, atena_no=toroku.atena_no, card_no=card_no, action="kaishu")
    )
    return Outcome(
        toroku.id, toroku.atena_no, toroku.status, toroku_no=toroku.toroku_no, message="返還を受けました"
    )


def shokken_massho(uow: UnitOfWork, toroku_id: int, command: ShokkenMassho, *, today: dt.date) -> Outcome:
    """職権抹消 for a reason 住民記録 does not signal (e.g. 登録資格の喪失が判明)."""
    toroku = _registered(uow.session, toroku_id)
    on = command.end_date or today
    if on > today:
        raise InputError.single("抹消日", "未来の日付は指定できません")
    _end(uow, toroku, "shikaku_soshitsu", on, shokken=True, detail={"reason": command.reason})
    return Outcome(
        toroku.id, toroku.atena_no, "massho", toroku_no=toroku.toroku_no, end_jiyu="shikaku_soshitsu"
    )


def confirm_name(uow: UnitOfWork, toroku_id: int, command: ShimeiKakunin, *, today: dt.date) -> Outcome:
    """After a name change (§6 #15): the seal still represents a recorded name, or the registration lapses."""
    toroku = get_toroku(uow.session, toroku_id)
    if toroku.status not in OPEN_STATUSES:
        raise InputError.single("印鑑登録", "抹消された登録です")
    if toroku.name_status != "reopened":
        raise InputError.single("氏名の確認", "氏名等の変更による確認を待っている登録ではありません")
    reopen = next(ev for ev in reversed(events_of(uow.session, toroku.id)) if ev.kind == "shimei_saikakunin")
    if command.still_represents:
        if command.represents is None:
            raise InputError.single("印鑑が表す氏名等", "表している氏名等の種類を選んでください")
        row = current_row(uow.session, toroku.atena_no)
        items = name_items(row)
        if command.represents != "ichibu" and not items.get(command.represents):
            raise InputError.single(
                "印鑑が表す氏名等", f"{REPRESENTS_LABELS[command.represents]}は住民票に記録されていません"
            )
        if command.represents == "ichibu" and not _ichibu_ok(items, toroku.inbun):
            raise InputError.single(
                "印鑑が表す氏名等", f"印文「{toroku.inbun}」の文字が記録された氏名等にありません"
            )
        _append(
            uow,
            toroku,
            "shimei_kakunin",
            effective_date=today,
            detail={"represents": command.represents, "text": items.get(command.represents) or toroku.inbun},
        )
        uow.record(
            InkanNameConfirmed(toroku_id=toroku.id, atena_no=toroku.atena_no, represents=command.represents)
        )
        return Outcome(
            toroku.id, toroku.atena_no, toroku.status, toroku_no=toroku.toroku_no, message="確認しました"
        )
    on = reopen.effective_date or today
    _end(
        uow,
        toroku,
        "shimei_henko",
        on,
        shokken=True,
        ido_id=reopen.ido_id,
        detail={"confirmed_on": today.isoformat()},
    )
    return Outcome(
        toroku.id,
        toroku.atena_no,
        toroku.status,
        toroku_no=toroku.toroku_no,
        end_jiyu="shimei_henko",
        message="登録印鑑が氏名等を表さなくなったため、氏名等の変更の日で印鑑登録を抹消しました",
    )


# ---------------------------------------------------------------------------------------- 職権 from 住民記録


def schedule_tenshutsu(uow: UnitOfWork, atena_no: str, yotei: dt.date, *, ido_id: int) -> None:
    """転出届: the registration stays valid until the day before the 転出予定日, then ends on it."""
    toroku = open_registration(uow.session, atena_no)
    if toroku is None:
        return
    _append(uow, toroku, "massho_yotei", effective_date=yotei, jiyu="tenshutsu", ido_id=ido_id)


def end_by_removal(
    uow: UnitOfWork, atena_no: str, jiyu: str, on: dt.date, *, ido_id: int, shojo_jiyu: str
) -> None:
    """消除 (転出・死亡・その他): 職権抹消 on the 消除 date."""
    toroku = open_registration(uow.session, atena_no)
    if toroku is None:
        return
    _end(uow, toroku, jiyu, on, shokken=True, ido_id=ido_id, detail={"shojo_jiyu": shojo_jiyu})


def correct_tenshutsu_date(uow: UnitOfWork, atena_no: str, removal: dt.date, *, ido_id: int) -> None:
    """転入通知: the 転出 is confirmed on an earlier day than the 予定日 — end (or re-date the end) on it."""
    toroku = open_registration(uow.session, atena_no)
    if toroku is not None:
        _end(uow, toroku, "tenshutsu", removal, shokken=True, ido_id=ido_id, detail={"kakutei": True})
        return
    ended = [
        t
        for t in registrations_of(uow.session, atena_no)
        if t.status == "massho" and t.end_jiyu == "tenshutsu"
    ]
    if not ended:
        return
    last = ended[-1]
    if last.end_date is not None and removal >= last.end_date:
        return
    previous = last.end_date
    _append(
        uow,
        last,
        "massho_date_teisei",
        effective_date=removal,
        jiyu="tenshutsu",
        ido_id=ido_id,
        detail={"previous": previous.isoformat() if previous else None},
    )
    uow.record(
        InkanEndDateCorrected(
            toroku_id=last.id,
            atena_no=atena_no,
            toroku_no=last.toroku_no or "",
            previous_end_date=previous,
            end_date=removal,
        )
    )


def reopen_name(
    uow: UnitOfWork, atena_no: str, *, ido_id: int, on: dt.date | None, detail: dict[str, Any]
) -> None:
    """A name change re-opens the staff confirmation that the seal represents the recorded name (§6 #15)."""
    toroku = open_registration(uow.session, atena_no)
    if toroku is None:
        return
    if any(
        ev.kind == "shimei_saikakunin" and ev.ido_id == ido_id for ev in events_of(uow.session, toroku.id)
    ):
        return  # one 異動 re-opens once (修正 sends ResidentCorrected and NameChanged together)
    still = list(detail.get("matching_now", []))
    _append(
        uow,
        toroku,
        "shimei_saikakunin",
        effective_date=on,
        ido_id=ido_id,
        detail={
            **detail,
            "inbun": toroku.inbun,
            "represents_before": toroku.represents,
            "matching_now": still,
        },
    )
    uow.record(InkanNameConfirmationReopened(toroku_id=toroku.id, atena_no=atena_no, ido_id=ido_id))


def undo_ido(uow: UnitOfWork, atena_no: str, cancelled_ido_id: int, *, resident_active: bool) -> None:
    """異動の取消し: reverse what that 異動 caused here (scheduled end, 抹消, re-opened confirmation)."""
    for toroku in registrations_of(uow.session, atena_no):
        events = events_of(uow.session, toroku.id)
        caused = [ev for ev in events if ev.ido_id == cancelled_ido_id]
        if not caused:
            continue
        kinds = {ev.kind for ev in caused}
        if "massho" in kinds and toroku.status == "massho" and resident_active:
            if open_registration(uow.session, atena_no) is not None:
                continue  # the person registered again meanwhile: the old registration stays ended
            massho = next(ev for ev in reversed(caused) if ev.kind == "massho")
            reopened_before = "shimei_saikakunin" in kinds
            _append(
                uow,
                toroku,
                "kaifuku",
                ido_id=cancelled_ido_id,
                detail={"massho_seq": massho.seq, "name_status": "confirmed" if reopened_before else None},
            )
            for card_no in (massho.detail or {}).get("cards", []):
                card = card_by_no(uow.session, card_no)
                if card.status == "mukou":
                    _append(
                        uow,
                        toroku,
                        "card_fukki",
                        card=card,
                        ido_id=cancelled_ido_id,
                        detail={"card_no": card_no},
                    )
            uow.record(
                InkanRegistrationRestored(
                    toroku_id=toroku.id, atena_no=atena_no, toroku_no=toroku.toroku_no or ""
                )
            )
        elif (
            "massho_yotei" in kinds
            and toroku.status in OPEN_STATUSES
            and toroku.tenshutsu_yotei_date is not None
        ):
            _append(uow, toroku, "massho_yotei_torikeshi", ido_id=cancelled_ido_id)
        elif "shimei_saikakunin" in kinds and toroku.name_status == "reopened":
            _append(uow, toroku, "shimei_saikakunin_torikeshi", ido_id=cancelled_ido_id)


__all__ = [
    "INEI_CONTEXT",
    "REPRESENTS_LABELS",
    "Haishi",
    "Kaito",
    "Outcome",
    "Saikofu",
    "ShimeiKakunin",
    "Shinsei",
    "ShokkenMassho",
    "apply_event",
    "boshitsu",
    "card_henkan",
    "confirm_name",
    "expire_overdue",
    "haishi",
    "kaito",
    "rebuild_state",
    "saikofu",
    "shinsei",
    "shokken_massho",
]
