"""戸籍の附票 commands: 記載・修正・消除 by 職権 (住民基本台帳法第18条), the 附票記載事項通知 received and
sent (§19), the 在外選挙人名簿 entry (§17の2) and forwarded 支援措置. They never commit.

* :func:`apply_notice` — the one writer of a local 附票: compares the items with the person's current
  entry and appends a complete new entry only when something changed (logging the notice either way).
* :func:`send_notice` — this office is the 住所地 and the 本籍 is elsewhere: logs the outbound notice and
  records :class:`FuhyoNoticeToHonsekichi` for the outbox (only when the items differ from the last one sent).
* :func:`receive_notice`, :func:`import_notices` — notices from other municipalities by API and by file.
* :func:`mark_zaigai_senkyo` — for the 選挙 module: 在外選挙人名簿 登録・抹消.
* :func:`shojo` — a person left the 戸籍 (婚姻, 転籍, 死亡 …) as the 戸籍 says.

The handlers (``handlers.py``) turn 住民記録's events into these calls.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from yakuba import params
from yakuba.errors import Conflict, FieldProblem, InputError, NotFound
from yakuba.fuhyo.batch import SNAPSHOT, batch_of, items_of, match_person, settle
from yakuba.fuhyo.config import municipality
from yakuba.fuhyo.models import Fuhyo, Kisai, ShienForward, Tsuchi
from yakuba.fuhyo.rules import KINDS, is_local_honseki, key
from yakuba.fuhyo.schemas import ITEM_LABELS, FuhyoItems, InboundNotice, ZaigaiSenkyo
from yakuba.kernel import clock
from yakuba.kernel.wareki import parse_date
from yakuba.uow import UnitOfWork


def today_jst() -> dt.date:
    return clock.today()


# ------------------------------------------------------------------------------------------- reading


def entries_of(session: Session, fuhyo_id: int) -> list[Kisai]:
    """Every entry of a 附票, by person and 記載番号."""
    return list(
        session.execute(
            select(Kisai).where(Kisai.fuhyo_id == fuhyo_id).order_by(Kisai.person_no, Kisai.entry_no)
        ).scalars()
    )


def current_entries(session: Session, fuhyo_id: int) -> list[Kisai]:
    """The latest entry of each person on the 附票 (the current state), by person."""
    latest: dict[int, Kisai] = {}
    for entry in entries_of(session, fuhyo_id):
        latest[entry.person_no] = entry
    return [latest[n] for n in sorted(latest)]


def closed_on(entries: list[Kisai]) -> dt.date | None:
    """The day the 附票 became a 除票: everyone on it has been removed (the last 消除の日)."""
    if not entries or not all(e.removed for e in entries):
        return None
    dates = [e.removed_date for e in entries if e.removed_date is not None]
    return max(dates) if dates else None


def is_joshohyo(session: Session, fuhyo_id: int) -> bool:
    entries = current_entries(session, fuhyo_id)
    return bool(entries) and all(e.removed for e in entries)


def find_fuhyo(session: Session, honseki: str, hittosha: str) -> Fuhyo | None:
    """The open (not 除票) 附票 of the 戸籍 (本籍 + 筆頭者), or None."""
    rows = session.execute(
        select(Fuhyo)
        .where(Fuhyo.honseki_key == key(honseki), Fuhyo.hittosha_key == key(hittosha))
        .order_by(Fuhyo.id.desc())
    ).scalars()
    for row in rows:
        if not is_joshohyo(session, row.id):
            return row
    return None


def get_fuhyo(session: Session, fuhyo_id: int) -> Fuhyo:
    row = session.get(Fuhyo, fuhyo_id)
    if row is None:
        raise NotFound(f"附票 {fuhyo_id} はありません")
    return row


def person_entries(session: Session, *, atena_no: str | None, jumin_code: str | None) -> list[Kisai]:
    """Current entries, on any 附票, of a person who is (or was) a resident here."""
    conditions = []
    if atena_no:
        conditions.append(Kisai.atena_no == atena_no)
    if jumin_code:
        conditions.append(Kisai.jumin_code == jumin_code)
    if not conditions:
        return []
    keys = session.execute(select(Kisai.fuhyo_id, Kisai.person_no).where(or_(*conditions)).distinct()).all()
    found = []
    for fuhyo_id, person_no in keys:
        latest = session.execute(
            select(Kisai)
            .where(Kisai.fuhyo_id == fuhyo_id, Kisai.person_no == person_no)
            .order_by(Kisai.entry_no.desc())
            .limit(1)
        ).scalar_one()
        if (atena_no and latest.atena_no == atena_no) or (jumin_code and latest.jumin_code == jumin_code):
            found.append(latest)
    return found


def last_sent(session: Session, atena_no: str, *, before_id: int | None = None) -> Tsuchi | None:
    """The last 附票記載事項通知 sent to another 本籍地 about this resident."""
    query = select(Tsuchi).where(Tsuchi.direction == "out", Tsuchi.atena_no == atena_no)
    if before_id is not None:
        query = query.where(Tsuchi.id < before_id)
    return session.execute(query.order_by(Tsuchi.id.desc()).limit(1)).scalar_one_or_none()


# ------------------------------------------------------------------------------------------- writing


# ------------------------------------------------------------------------------------------- writing


def append_entry(
    uow: UnitOfWork,
    fuhyo: Fuhyo,
    base: Any | None,
    *,
    kind: str,
    jiyu: str,
    effective_date: dt.date | None,
    source: str,
    today: dt.date,
    items: FuhyoItems | None = None,
    notice_id: int | None = None,
    juki_ido_id: int | None = None,
    note: str | None = None,
    **changes: Any,
) -> Any:
    """Append one complete entry for a person (see :meth:`FuhyoBatch.append`); written at commit."""
    pending = batch_of(uow)
    pending.ensure_fuhyo(fuhyo.id, fuhyo.honseki, fuhyo.hittosha)
    return pending.append(
        fuhyo.id,
        base,
        kind=kind,
        jiyu=jiyu,
        effective_date=effective_date,
        source=source,
        today=today,
        items=items,
        notice_id=notice_id,
        juki_ido_id=juki_ido_id,
        note=note,
        **changes,
    )


@dataclass
class Applied:
    """What one notice did to the local 附票."""

    notice: Tsuchi
    fuhyo: Fuhyo | None = None
    entry: Kisai | None = None
    changed: list[str] = field(default_factory=list)


def _stored(uow: UnitOfWork, notice_id: int) -> Tsuchi:
    """The notice as a row, for a caller that reads it (writes what is pending first)."""
    settle(uow)
    row = uow.session.get(Tsuchi, notice_id)
    assert row is not None
    return row


def apply_notice(
    uow: UnitOfWork,
    *,
    channel: str,
    honseki: str,
    hittosha: str,
    kind: str,
    jiyu: str,
    items: FuhyoItems,
    effective_date: dt.date | None,
    today: dt.date,
    atena_no: str | None = None,
    juki_ido_id: int | None = None,
    from_lg_code: str | None = None,
    from_name: str | None = None,
    batch: str | None = None,
    line_no: int | None = None,
) -> Applied:
    """Reflect one 附票記載事項通知 on the local 附票 (the 本籍 is here): log it, then append if changed.

    For callers that read the rows afterwards (API, file import); handlers use :meth:`FuhyoBatch.apply`."""
    outcome = batch_of(uow).apply(
        channel=channel,
        honseki=honseki,
        hittosha=hittosha,
        kind=kind,
        jiyu=jiyu,
        items=items,
        effective_date=effective_date,
        today=today,
        atena_no=atena_no,
        juki_ido_id=juki_ido_id,
        from_lg_code=from_lg_code,
        from_name=from_name,
        batch=batch,
        line_no=line_no,
    )
    notice = _stored(uow, outcome.notice_id)
    entry = None
    if outcome.entry is not None:
        entry = uow.session.execute(
            select(Kisai).where(
                Kisai.fuhyo_id == outcome.fuhyo_id,
                Kisai.person_no == outcome.entry.person_no,
                Kisai.entry_no == outcome.entry.entry_no,
            )
        ).scalar_one()
    return Applied(notice, get_fuhyo(uow.session, outcome.fuhyo_id), entry, outcome.changed)


def send_notice(
    uow: UnitOfWork,
    *,
    honseki: str,
    hittosha: str | None,
    kind: str,
    jiyu: str,
    items: FuhyoItems,
    effective_date: dt.date | None,
    today: dt.date,
    atena_no: str | None = None,
    juki_ido_id: int | None = None,
    channel: str = "juki",
    force: bool = False,
    cancels_kisai: bool = False,
    zaigai: bool | None = None,
    zaigai_municipality: str | None = None,
) -> Tsuchi | None:
    """Write the 附票記載事項通知 to another 本籍地 (§19①) to the outbox, unless nothing changed since the
    last notice about this resident (``force`` sends anyway: a 記載, a 取消し); see ``FuhyoBatch.send``."""
    notice_id = batch_of(uow).send(
        honseki=honseki,
        hittosha=hittosha,
        kind=kind,
        jiyu=jiyu,
        items=items,
        effective_date=effective_date,
        today=today,
        atena_no=atena_no,
        juki_ido_id=juki_ido_id,
        channel=channel,
        force=force,
        cancels_kisai=cancels_kisai,
        zaigai=zaigai,
        zaigai_municipality=zaigai_municipality,
    )
    return _stored(uow, notice_id) if notice_id is not None else None


def hold(
    uow: UnitOfWork,
    *,
    reason: str,
    kind: str,
    jiyu: str,
    honseki: str | None,
    hittosha: str | None,
    items: FuhyoItems | None,
    effective_date: dt.date | None,
    today: dt.date,
    atena_no: str | None = None,
    juki_ido_id: int | None = None,
) -> int:
    """A notice from 住民記録 that cannot be reflected yet (e.g. no 筆頭者): kept for a clerk (要確認)."""
    row = batch_of(uow).log(
        direction="in",
        channel="juki",
        status="hold",
        message=reason,
        kind=kind,
        jiyu=jiyu,
        honseki=honseki,
        hittosha=hittosha,
        items=items,
        effective_date=effective_date,
        today=today,
        atena_no=atena_no,
        juki_ido_id=juki_ido_id,
    )
    return int(row["id"])


def remove_entry(
    uow: UnitOfWork,
    entry: Any,
    *,
    reason: str,
    on: dt.date | None,
    today: dt.date,
    source: str,
    juki_ido_id: int | None = None,
    notice_id: int | None = None,
    note: str | None = None,
) -> Any:
    """消除: the person left the 戸籍 (the entry stays on the 附票, marked as removed)."""
    fuhyo = get_fuhyo(uow.session, entry.fuhyo_id)
    return append_entry(
        uow,
        fuhyo,
        entry,
        kind="shojo",
        jiyu=reason,
        effective_date=on,
        source=source,
        today=today,
        juki_ido_id=juki_ido_id,
        notice_id=notice_id,
        note=note,
        removed=True,
        removed_date=on or today,
        removed_reason=reason,
    )


def log_local(
    uow: UnitOfWork,
    fuhyo: Fuhyo,
    entry: Any,
    *,
    kind: str,
    jiyu: str,
    effective_date: dt.date | None,
    today: dt.date,
    juki_ido_id: int | None,
) -> int:
    """Log a notice from 住民記録 that ends or restores an entry (消除, 取消し) before it is appended."""
    row = batch_of(uow).log(
        direction="in",
        channel="juki",
        status="applied",
        kind=kind,
        jiyu=jiyu,
        honseki=fuhyo.honseki,
        hittosha=fuhyo.hittosha,
        items=None if entry.removed else items_of(entry),
        effective_date=effective_date,
        today=today,
        fuhyo_id=fuhyo.id,
        atena_no=entry.atena_no,
        juki_ido_id=juki_ido_id,
    )
    return int(row["id"])


def shojo(
    uow: UnitOfWork,
    *,
    fuhyo_id: int,
    person_no: int,
    reason: str,
    on: dt.date,
    today: dt.date | None = None,
) -> Any:
    """A person left the 戸籍 (婚姻・転籍・死亡 …, as the 戸籍 states): 職権消除 of their 附票 entry (§18)."""
    if not reason.strip():
        raise InputError.single("消除の事由", "入力してください")
    today = today or today_jst()
    if on > today:
        raise InputError.single("消除の日", "未来の日付は指定できません")
    settle(uow)
    entry = next((e for e in current_entries(uow.session, fuhyo_id) if e.person_no == person_no), None)
    if entry is None:
        raise NotFound(f"附票 {fuhyo_id} に {person_no} 番の人はいません")
    if entry.removed:
        raise InputError.single("人の番号", f"{person_no} 番の人は既に消除されています")
    removed = remove_entry(uow, entry, reason=reason, on=on, today=today, source="manual")
    settle(uow)
    return removed


# --------------------------------------------------------------------------------- other municipalities


def receive_notice(
    uow: UnitOfWork,
    notice: InboundNotice,
    *,
    channel: str = "api",
    today: dt.date | None = None,
    batch: str | None = None,
    line_no: int | None = None,
    reject_raises: bool = True,
) -> Applied:
    """A 附票記載事項通知 from another 住所地 (by API or file): reflect it when the 本籍 is here.

    A notice for a 本籍 elsewhere was sent to the wrong office: it is refused (API: HTTP 422; file: the
    line is logged as ``rejected`` and reported).
    """
    today = today or today_jst()
    jiyu = KINDS[notice.kind]
    if not is_local_honseki(notice.honseki, today):
        message = f"本籍「{notice.honseki}」は{municipality().name}の本籍ではありません（送付先の誤り）"
        if reject_raises:
            raise InputError.single("本籍", message)
        row = batch_of(uow).log(
            direction="in",
            channel=channel,
            status="rejected",
            message=message,
            kind=notice.kind,
            jiyu=jiyu,
            honseki=notice.honseki,
            hittosha=notice.hittosha,
            items=notice.items,
            effective_date=notice.effective_date,
            today=today,
            from_lg_code=notice.from_lg_code,
            from_name=notice.from_name,
            batch=batch,
            line_no=line_no,
        )
        return Applied(_stored(uow, row["id"]))
    return apply_notice(
        uow,
        channel=channel,
        honseki=notice.honseki,
        hittosha=notice.hittosha,
        kind=notice.kind,
        jiyu=jiyu,
        items=notice.items,
        effective_date=notice.effective_date,
        today=today,
        from_lg_code=notice.from_lg_code,
        from_name=notice.from_name,
        batch=batch,
        line_no=line_no,
    )


KIND_WORDS = {
    **{code: code for code in ("kisai", "jusho", "kokugai", "shusei", "jusho_shojo", "torikeshi")},
    "記載": "kisai",
    "転入": "kisai",
    "出生": "kisai",
    "職権記載": "kisai",
    "住所の変更": "jusho",
    "住所変更": "jusho",
    "転居": "jusho",
    "国外転出": "kokugai",
    "記載の修正": "shusei",
    "修正": "shusei",
    "職権修正": "shusei",
    "職権消除": "jusho_shojo",
    "取消し": "torikeshi",
    "取消": "torikeshi",
}
TRUE_WORDS = frozenset({"1", "true", "TRUE", "True", "○", "有", "はい", "国外転出者"})
SEX_WORDS = {"0": "0", "1": "1", "2": "2", "不明": "0", "男": "1", "女": "2"}
REQUIRED_COLUMNS = ("from_lg_code", "kind", "honseki", "hittosha", "shi")
COLUMN_LABELS = {
    "from_lg_code": "通知元団体コード",
    "from_name": "通知元団体名",
    "kind": "異動区分",
    "effective_date": "異動日",
    "honseki": "本籍",
    "hittosha": "筆頭者",
    **ITEM_LABELS,
}


@dataclass
class ImportResult:
    """What a file import did, line by line (line 1 is the header)."""

    batch: str
    applied: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    notice_ids: list[int] = field(default_factory=list)


def _cell(row: dict[str, str | None], column: str | None) -> str | None:
    if column is None:
        return None
    value = row.get(column)
    value = value.strip() if isinstance(value, str) else None
    return value or None


def _parse_line(
    values: dict[str, str | None], line: int, headings: dict[str, str]
) -> tuple[InboundNotice | None, list[FieldProblem]]:
    problems: list[FieldProblem] = []

    def where(name: str) -> str:
        return f"{line}行目 {headings.get(name) or COLUMN_LABELS.get(name, name)}"

    def date_of(name: str) -> dt.date | None:
        text = values.get(name)
        if not text:
            return None
        try:
            return parse_date(text, field=COLUMN_LABELS[name])
        except InputError as exc:
            problems.append(FieldProblem(where(name), "; ".join(p.message for p in exc.problems)))
            return None

    kind = KIND_WORDS.get(values.get("kind") or "")
    if values.get("kind") and kind is None:
        problems.append(FieldProblem(where("kind"), f"「{values['kind']}」は異動区分ではありません"))
    sex_text = values.get("sex")
    sex = SEX_WORDS.get(sex_text) if sex_text else None
    if sex_text and sex is None:
        problems.append(FieldProblem(where("sex"), "0（不明）・1（男）・2（女）のいずれかです"))
    raw = {
        "from_lg_code": values.get("from_lg_code"),
        "from_name": values.get("from_name"),
        "kind": kind,
        "effective_date": date_of("effective_date"),
        "honseki": values.get("honseki"),
        "hittosha": values.get("hittosha"),
        "items": {
            "shi": values.get("shi"),
            "mei": values.get("mei") or "",
            "shi_kana": values.get("shi_kana"),
            "mei_kana": values.get("mei_kana"),
            "kyu_uji": values.get("kyu_uji"),
            "birth_date": date_of("birth_date"),
            "sex": sex,
            "address": values.get("address"),
            "jusho_date": date_of("jusho_date"),
            "kokugai": (values.get("kokugai") or "") in TRUE_WORDS,
            "jumin_code": values.get("jumin_code"),
        },
    }
    if problems:
        return None, problems
    try:
        return InboundNotice.model_validate(raw), []
    except ValidationError as exc:
        for error in exc.errors():
            loc = [str(p) for p in error["loc"] if str(p) != "items"]
            name = loc[0] if loc else ""
            problems.append(FieldProblem(where(name) if name else f"{line}行目", str(error["msg"])))
        return None, problems


def import_notices(uow: UnitOfWork, csv_text: str, *, today: dt.date | None = None) -> ImportResult:
    """Import a file of 附票記載事項通知 from other municipalities (CSV with a header row).

    The columns and their headings are the parameter ``municipal.fuhyo.import_csv``. A malformed file is
    refused whole, naming each line and item; a file already imported is refused (same SHA-256). Lines for a
    本籍 elsewhere are logged as ``rejected`` and listed in the result; the others are reflected.
    """
    today = today or today_jst()
    text = csv_text.removeprefix("\ufeff")
    batch = hashlib.sha256(text.encode("utf-8")).hexdigest()
    seen = uow.session.execute(select(Tsuchi.shori_date).where(Tsuchi.batch == batch).limit(1)).scalar()
    if seen is not None:
        raise Conflict(f"このファイルは {seen.isoformat()} に取り込み済みです")
    columns: dict[str, str] = dict(params.get("municipal.fuhyo.import_csv", on=today)["columns"])
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [columns[c] for c in REQUIRED_COLUMNS if columns[c] not in header]
    if missing:
        raise InputError.single("見出し", f"列がありません: {', '.join(missing)}")
    parsed: list[tuple[int, InboundNotice]] = []
    problems: list[FieldProblem] = []
    for line, row in enumerate(reader, start=2):
        values = {
            name: _cell(row, heading if heading in header else None) for name, heading in columns.items()
        }
        if not any(values.values()):
            continue
        notice, found = _parse_line(values, line, columns)
        problems.extend(found)
        if notice is not None:
            parsed.append((line, notice))
    if problems:
        raise InputError(*problems)
    if not parsed:
        raise InputError.single("ファイル", "通知が1件もありません")
    result = ImportResult(batch=batch)
    for line, notice in parsed:
        applied = receive_notice(
            uow, notice, channel="csv", today=today, batch=batch, line_no=line, reject_raises=False
        )
        result.notice_ids.append(applied.notice.id)
        if applied.notice.status == "rejected":
            result.rejected.append((line, applied.notice.message or ""))
        elif applied.notice.status == "unchanged":
            result.unchanged += 1
        else:
            result.applied += 1
    return result


# ------------------------------------------------------------------------------------ 在外選挙人・支援措置


def mark_zaigai_senkyo(uow: UnitOfWork, command: ZaigaiSenkyo, *, today: dt.date | None = None) -> Tsuchi:
    """在外選挙人名簿への登録・抹消 (§17の2), reported by the 選挙 module (the 市町村選挙管理委員会).

    本籍 here → the entry is appended to the local 附票. 本籍 elsewhere → the notice goes to that 本籍地
    through the outbox (the 選管 notifies the 本籍地).
    """
    today = today or today_jst()
    jiyu = "在外選挙人名簿への登録" if command.registered else "在外選挙人名簿からの抹消"
    changes: dict[str, Any] = {
        "zaigai": command.registered,
        "zaigai_municipality": command.senkyo_municipality,
        "zaigai_date": command.on,
    }
    if not is_local_honseki(command.honseki, today):
        items = FuhyoItems(
            shi=command.shi,
            mei=command.mei or "",
            birth_date=command.birth_date,
            jumin_code=command.jumin_code,
        )
        sent = send_notice(
            uow,
            honseki=command.honseki,
            hittosha=command.hittosha,
            kind="zaigai",
            jiyu=jiyu,
            items=items,
            effective_date=command.on,
            today=today,
            channel="senkyo",
            force=True,
            zaigai=command.registered,
            zaigai_municipality=command.senkyo_municipality,
        )
        assert sent is not None
        return sent
    pending = batch_of(uow)
    fuhyo_id = pending.find(command.honseki, command.hittosha)
    if fuhyo_id is None:
        raise NotFound(f"本籍「{command.honseki}」筆頭者「{command.hittosha}」の附票はありません")
    person = match_person(
        pending.entries(fuhyo_id),
        jumin_code=command.jumin_code,
        shi=command.shi,
        mei=command.mei,
        birth_date=command.birth_date,
    )
    if person is None or person.removed:
        raise NotFound("その人は附票に記載されていません")
    notice = pending.log(
        direction="in",
        channel="senkyo",
        status="applied",
        kind="zaigai",
        jiyu=jiyu,
        honseki=command.honseki,
        hittosha=command.hittosha,
        items=items_of(person),
        effective_date=command.on,
        today=today,
        fuhyo_id=fuhyo_id,
        changed=["zaigai"],
    )
    pending.append(
        fuhyo_id,
        person,
        kind="zaigai",
        jiyu=jiyu,
        effective_date=command.on,
        source="senkyo",
        today=today,
        notice_id=notice["id"],
        **changes,
    )
    return _stored(uow, notice["id"])


def record_shien_forward(
    uow: UnitOfWork,
    *,
    fuhyo_id: int,
    person_no: int,
    from_lg_code: str,
    start_date: dt.date,
    end_date: dt.date,
    note: str | None = None,
) -> ShienForward:
    """A 支援措置 the 住所地 forwarded for a person on a local 附票 (事務処理要領 第5-10). The latest row for
    the person decides; an early end is a new row whose end date is that day."""
    if end_date < start_date:
        raise InputError.single("支援措置の終了日", "開始日より前の日付は指定できません")
    settle(uow)
    if not any(e.person_no == person_no for e in current_entries(uow.session, fuhyo_id)):
        raise NotFound(f"附票 {fuhyo_id} に {person_no} 番の人はいません")
    row = ShienForward(
        fuhyo_id=fuhyo_id,
        person_no=person_no,
        from_lg_code=from_lg_code,
        start_date=start_date,
        end_date=end_date,
        note=note,
        operator=uow.actor.login,
    )
    uow.session.add(row)
    uow.session.flush()
    return row


def forwarded_shien(session: Session, fuhyo_id: int, person_no: int, on: dt.date) -> bool:
    """Whether a forwarded 支援措置 protects the person on ``on``."""
    latest = session.execute(
        select(ShienForward)
        .where(ShienForward.fuhyo_id == fuhyo_id, ShienForward.person_no == person_no)
        .order_by(ShienForward.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return latest is not None and latest.start_date <= on <= latest.end_date


__all__ = [
    "SNAPSHOT",
    "Applied",
    "ImportResult",
    "append_entry",
    "apply_notice",
    "closed_on",
    "current_entries",
    "entries_of",
    "find_fuhyo",
    "forwarded_shien",
    "get_fuhyo",
    "hold",
    "import_notices",
    "is_joshohyo",
    "items_of",
    "last_sent",
    "log_local",
    "mark_zaigai_senkyo",
    "match_person",
    "person_entries",
    "receive_notice",
    "record_shien_forward",
    "remove_entry",
    "send_notice",
    "shojo",
]
