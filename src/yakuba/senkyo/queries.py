"""Outputs of the roll: entries per 投票区 in address order, 登録者数 by 投票区 × 性別, 投票所入場券 data.

Everything is computed from the ledger as of a day (``meibo.entries_as_of``), so a count or a 抄本 of a
past 登録日 can be produced again exactly.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from typing import Any

from sqlalchemy.orm import Session

from yakuba.errors import InputError, NotFound
from yakuba.kernel.wareki import format_wareki
from yakuba.senkyo import meibo
from yakuba.senkyo.commands.tohyoku import banchi_sort_key, districts
from yakuba.senkyo.models import Election, MeiboRireki

SEX_LABELS = {"1": "男", "2": "女", "0": "不明"}
UNASSIGNED = "（未設定）"


def address_key(row: MeiboRireki) -> tuple[Any, ...]:
    """住所順: 町字コード, 番地の数字, 方書, 世帯, 生年月日, 宛名番号."""
    return (
        row.choaza_code or "",
        banchi_sort_key(row.banchi),
        row.banchi or "",
        row.katagaki or "",
        row.setai_no or "",
        row.birth_date or dt.date.min,
        row.atena_no,
    )


def roll(session: Session, on: dt.date, *, tohyoku_code: str | None = None) -> list[MeiboRireki]:
    """Entries on the roll on ``on`` (表示 included), by 投票区 then in address order."""
    rows = meibo.entries_as_of(session, on)
    if tohyoku_code is not None:
        rows = [r for r in rows if (r.tohyoku_code or "") == tohyoku_code]
    return sorted(rows, key=lambda r: (r.tohyoku_code or "~", *address_key(r)))


def hyoji_text(row: MeiboRireki) -> str:
    parts = []
    if row.hyoji_jusho_date is not None:
        label = {"kokugai": "国外転出", "shokken": "職権消除"}.get(row.hyoji_jusho_reason or "", "転出")
        parts.append(f"{label} {format_wareki(row.hyoji_jusho_date)}")
    if row.hyoji_teishi:
        parts.append("選挙権なし")
    return "・".join(parts)


def shohon(session: Session, tohyoku_code: str, on: dt.date) -> list[dict[str, Any]]:
    """The lines of the 選挙人名簿抄本 of one 投票区, numbered in address order."""
    return [
        {
            "meibo_no": i,
            "atena_no": r.atena_no,
            "name": f"{r.shi}\u3000{r.mei}" if r.mei else r.shi,
            "kana": "\u3000".join(p for p in (r.shi_kana, r.mei_kana) if p),
            "sex": SEX_LABELS.get(r.sex, ""),
            "birth_date": r.birth_date,
            "address": f"{r.choaza_name or ''}{r.banchi or ''}"
            + (f"\u3000{r.katagaki}" if r.katagaki else ""),
            "toroku_date": r.toroku_date,
            "hyoji": hyoji_text(r),
            "status": r.status,
            "setai_no": r.setai_no,
            "postal_code": r.postal_code,
        }
        for i, r in enumerate(roll(session, on, tohyoku_code=tohyoku_code), start=1)
    ]


def counts(session: Session, on: dt.date) -> dict[str, Any]:
    """登録者数 by 投票区 × 性別 on ``on`` (表示者 are on the roll and counted; also shown apart)."""
    names = {code: d.name for code, d in districts(session, on).items()}
    cells: Counter[tuple[str, str]] = Counter()
    marked: Counter[str] = Counter()
    for row in meibo.entries_as_of(session, on):
        code = row.tohyoku_code or ""
        cells[(code, row.sex)] += 1
        if row.status == "hyoji":
            marked[code] += 1
    codes = sorted({c for c, _ in cells} | set(names), key=lambda c: (c == "", c))
    lines: list[dict[str, Any]] = []
    for code in codes:
        male, female = cells[(code, "1")], cells[(code, "2")]
        other = sum(n for (c, s), n in cells.items() if c == code and s not in ("1", "2"))
        lines.append(
            {
                "tohyoku_code": code or None,
                "tohyoku_name": names.get(code, code if code else UNASSIGNED),
                "male": male,
                "female": female,
                "other": other,
                "total": male + female + other,
                "hyoji": marked[code],
            }
        )
    totals = {k: sum(int(line[k]) for line in lines) for k in ("male", "female", "other", "total", "hyoji")}
    return {"on": on, "lines": lines, "totals": totals}


NYUJOKEN_COLUMNS = (
    "選挙名",
    "選挙期日",
    "投票区コード",
    "投票区名",
    "投票所",
    "投票所所在地",
    "名簿番号",
    "宛名番号",
    "世帯番号",
    "氏名",
    "フリガナ",
    "性別",
    "生年月日",
    "郵便番号",
    "住所",
)


def nyujoken(
    session: Session, election_id: int, *, on: dt.date | None = None, unit: str = "kojin"
) -> list[dict[str, Any]]:
    """投票所入場券 data for an election: one line per 選挙人 (or per 世帯 with ``unit="setai"``).

    Entries with a 表示 (moved away, or without 選挙権) get no card: whether and where they may vote
    depends on the election and is handled at the counter (``docs/conformance/senkyo.md``).
    """
    election = session.get(Election, election_id)
    if election is None:
        raise NotFound(f"選挙 {election_id} はありません")
    if unit not in ("kojin", "setai"):
        raise InputError.single("単位", "kojin（個人）か setai（世帯）を指定してください")
    day = on or max(election.toroku_date, election.kijun_date)
    places = districts(session, day)
    lines: list[dict[str, Any]] = []
    numbers: Counter[str] = Counter()
    for row in roll(session, day):
        code = row.tohyoku_code or ""
        numbers[code] += 1
        if row.status != "toroku":
            continue
        place = places.get(code)
        lines.append(
            {
                "選挙名": election.name,
                "選挙期日": format_wareki(election.kijitsu),
                "投票区コード": code,
                "投票区名": place.name if place else UNASSIGNED,
                "投票所": place.tohyosho_name if place else "",
                "投票所所在地": place.tohyosho_address if place else "",
                "名簿番号": numbers[code],
                "宛名番号": row.atena_no,
                "世帯番号": row.setai_no or "",
                "氏名": f"{row.shi}\u3000{row.mei}" if row.mei else row.shi,
                "フリガナ": "\u3000".join(p for p in (row.shi_kana, row.mei_kana) if p),
                "性別": SEX_LABELS.get(row.sex, ""),
                "生年月日": format_wareki(row.birth_date) if row.birth_date else "",
                "郵便番号": row.postal_code or "",
                "住所": f"{row.choaza_name or ''}{row.banchi or ''}"
                + (f"\u3000{row.katagaki}" if row.katagaki else ""),
            }
        )
    if unit == "kojin":
        return lines
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    for line in lines:
        key = (line["投票区コード"], line["世帯番号"] or line["宛名番号"])
        if key not in grouped:
            grouped[key] = dict(line)
        else:
            grouped[key]["氏名"] += "、" + line["氏名"]
            grouped[key]["フリガナ"] += "、" + line["フリガナ"]
            grouped[key]["名簿番号"] = f"{grouped[key]['名簿番号']}、{line['名簿番号']}"
    return list(grouped.values())


def to_csv(lines: list[dict[str, Any]], columns: tuple[str, ...] = NYUJOKEN_COLUMNS) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    for line in lines:
        writer.writerow(line)
    return buffer.getvalue()
