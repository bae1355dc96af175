"""附票記載事項通知の受信 (住民基本台帳法第19条第1項): notices from another 住所地, by API or by file.

A notice for a 本籍 here is reflected on the local 附票 by ``kisai.apply_notice`` — the same function the
handlers use for 住民記録's events — and the rows are read back for the API once written
(:func:`receive_notice` settles the batch). A notice for a 本籍 elsewhere was sent to the wrong office: it
is refused (API: HTTP 422; file: the line is logged as ``rejected`` and reported).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlalchemy import select

from yakuba import params
from yakuba.errors import Conflict, FieldProblem, InputError
from yakuba.fuhyo.commands.batching import Notice, batch_of, stored_notice
from yakuba.fuhyo.commands.kisai import Outcome, apply_notice
from yakuba.fuhyo.config import municipality
from yakuba.fuhyo.models import Fuhyo, Kisai, Tsuchi
from yakuba.fuhyo.queries import get_fuhyo
from yakuba.fuhyo.rules import KINDS, is_local_honseki
from yakuba.fuhyo.schemas import ITEM_LABELS, InboundNotice
from yakuba.kernel import clock
from yakuba.kernel.wareki import parse_date
from yakuba.uow import UnitOfWork


@dataclass
class Applied:
    """What one notice did to the local 附票, as rows (for the API and the file import's report)."""

    notice: Tsuchi
    fuhyo: Fuhyo | None = None
    entry: Kisai | None = None
    changed: list[str] = field(default_factory=list)


def _as_rows(uow: UnitOfWork, outcome: Outcome) -> Applied:
    """The rows of what :func:`apply_notice` decided (written first)."""
    notice = stored_notice(uow, outcome.notice_id)
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
    today = today or clock.today()
    content = Notice(
        kind=notice.kind,
        jiyu=KINDS[notice.kind],
        honseki=notice.honseki,
        hittosha=notice.hittosha,
        items=notice.items,
        effective_date=notice.effective_date,
        today=today,
    )
    if not is_local_honseki(notice.honseki, today):
        message = f"本籍「{notice.honseki}」は{municipality().name}の本籍ではありません（送付先の誤り）"
        if reject_raises:
            raise InputError.single("本籍", message)
        row = batch_of(uow).log(
            content,
            direction="in",
            channel=channel,
            status="rejected",
            message=message,
            from_lg_code=notice.from_lg_code,
            from_name=notice.from_name,
            batch=batch,
            line_no=line_no,
        )
        return Applied(stored_notice(uow, row["id"]))
    outcome = apply_notice(
        uow,
        content,
        channel=channel,
        from_lg_code=notice.from_lg_code,
        from_name=notice.from_name,
        batch=batch,
        line_no=line_no,
    )
    return _as_rows(uow, outcome)


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
    today = today or clock.today()
    text = csv_text.removeprefix("\ufeff")
    batch = hashlib.sha256(text.encode("utf-8")).hexdigest()
    seen = uow.session.execute(select(Tsuchi.shori_date).where(Tsuchi.batch == batch).limit(1)).scalar()
    if seen is not None:
        raise Conflict(f"このファイルは {seen.isoformat()} に取り込み済みです")
    columns: dict[str, str] = dict(params.get("municipal.fuhyo.import_csv", on=today)["columns"])
    reader = csv.DictReader(io.StringIO(text))
    try:  # a stray CR or an unclosed quote is the sender's file, not a server error (issue 24)
        header = [h.strip() for h in (reader.fieldnames or [])]
        reader.fieldnames = header
        rows = list(reader)
    except csv.Error as exc:
        raise InputError.single(
            "ファイル", f"{reader.line_num}行目を CSV として読み取れません（引用符・改行を確認してください）"
        ) from exc
    missing = [columns[c] for c in REQUIRED_COLUMNS if columns[c] not in header]
    if missing:
        raise InputError.single("見出し", f"列がありません: {', '.join(missing)}")
    parsed: list[tuple[int, InboundNotice]] = []
    problems: list[FieldProblem] = []
    for line, row in enumerate(rows, start=2):
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
