"""Taking in 課税資料 as a CSV file (issue 14): one row per taxpayer, validated whole before anything is kept.

The file comes from the 申告 system, or is the 給与支払報告書 / 公的年金等支払報告書 converted to yakuba's
layout (docs/zeimu-kojin-intake.md). Its headings are Japanese and are data — the parameter
``zeimu.kojin.intake_csv`` maps each :class:`~yakuba.zeimu.kojin.schemas.TaxpayerInput` field to its
heading — so a changed layout is a parameter change. The type of a cell (whole yen, 0/1, a word) comes
from the schema, so the file is checked by the same model the engine reads.

All or nothing: one wrong cell refuses the whole file with every problem named by its line and heading
(a clerk corrects the file and sends it again), and a file already taken in (same SHA-256) is refused, so
a re-sent file cannot append every person's 課税資料 a second time.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pydantic import BaseModel, Strict, ValidationError
from sqlalchemy import select

from yakuba import params
from yakuba.errors import Conflict, FieldProblem, InputError
from yakuba.kernel import clock
from yakuba.uow import UnitOfWork
from yakuba.validation import problems_from_pydantic
from yakuba.zeimu.kojin.commands.shiryo import record_shiryo
from yakuba.zeimu.kojin.models import SOURCES, KazeiShiryo
from yakuba.zeimu.kojin.schemas import DependantInput, SpouseInput, TaxpayerInput

PARAMETER = "zeimu.kojin.intake_csv"
FILE_SOURCES = ("shinkoku", "kyuyo", "nenkin")  # madoguchi is typed in at the counter, never a file
ATENA_NO = re.compile(r"[0-9]{1,15}")
# Half-width digits, optionally grouped by commas in threes ("1,234,000"); nothing else is a yen amount.
AMOUNT = re.compile(r"[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+")
FULL_WIDTH = re.compile(r"[０-９，．－]")
# The model's own cross-field checks, said in terms of the file: (a word of the message, field, message).
MODEL_RULES = (
    ("同居特別障害者", "shogai", "本人には「同居特別障害者」を指定できません"),
    ("jutaku_kyoju_nen", "jutaku_kyoju_nen", "住宅借入金等控除可能額があるときは入力してください"),
)


@dataclass
class IntakeResult:
    """What a file appended: one 課税資料 per row, all from the one batch."""

    batch: str
    nendo: int
    source: str
    appended: int = 0
    atena_nos: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Layout:
    """The file's headings as the parameter in force says: heading → where the value goes."""

    atena_no: str
    taxpayer: dict[str, str]  # heading → TaxpayerInput field
    spouse: dict[str, str]  # heading → SpouseInput field
    dependants: list[dict[str, str]]  # per group (扶養1 …): heading → DependantInput field
    words: dict[str, dict[str, str]]
    flags: dict[str, bool]
    max_problems: int
    encoding: str

    @classmethod
    def on(cls, day: dt.date) -> Layout:
        value = params.get(PARAMETER, on=day)
        deps = value["dependants"]
        groups = [
            {deps["heading"].format(n=n, item=item): name for name, item in deps["columns"].items()}
            for n in range(1, int(deps["groups"]) + 1)
        ]
        return cls(
            atena_no=str(value["atena_no"]),
            taxpayer={heading: name for name, heading in value["columns"].items()},
            spouse={heading: name for name, heading in value["spouse"].items()},
            dependants=groups,
            words={kind: dict(words) for kind, words in value["words"].items()},
            flags={str(k): bool(v) for k, v in value["flags"].items()},
            max_problems=int(value["max_problems"]),
            encoding=str(value["encoding"]),
        )

    def headings(self) -> set[str]:
        known = {self.atena_no, *self.taxpayer, *self.spouse}
        for group in self.dependants:
            known.update(group)
        return known

    def heading_of(self, loc: tuple[Any, ...]) -> str | None:
        """The heading a pydantic error location points at (``("dependants", 0, "age")`` → 扶養1年齢)."""
        if not loc:
            return None
        if loc[0] == "spouse" and len(loc) > 1:
            return _reverse(self.spouse).get(str(loc[1]))
        if (
            loc[0] == "dependants"
            and len(loc) > 2
            and isinstance(loc[1], int)
            and loc[1] < len(self.dependants)
        ):
            return _reverse(self.dependants[loc[1]]).get(str(loc[2]))
        return _reverse(self.taxpayer).get(str(loc[0]))


def _reverse(mapping: dict[str, str]) -> dict[str, str]:
    return {name: heading for heading, name in mapping.items()}


def parse_amount(text: str, *, yen: bool = True) -> int:
    """A whole-yen (or age, year) cell as an integer; ValueError with the clerk's message otherwise."""
    if AMOUNT.fullmatch(text):
        return int(text.replace(",", ""))
    unit = "（円）" if yen else ""
    if FULL_WIDTH.search(text):
        raise ValueError(f"「{text}」は半角数字で入力してください")
    if text.startswith(("-", "−", "▲", "△")):
        raise ValueError(f"「{text}」は0以上の整数{unit}で入力してください（マイナスは取り込めません）")
    raise ValueError(f"「{text}」は整数{unit}で入力してください")


class _Row:
    """One line being turned into the raw dict TaxpayerInput is validated from, collecting problems."""

    def __init__(self, layout: Layout, line: int, cells: dict[str, str]) -> None:
        self.layout, self.line, self.cells = layout, line, cells
        self.problems: list[FieldProblem] = []

    def where(self, heading: str | None) -> str:
        return f"{self.line}行目 {heading}" if heading else f"{self.line}行目"

    def values(self, model: type[BaseModel], mapping: dict[str, str]) -> dict[str, Any]:
        """The non-empty cells of ``mapping``'s headings, converted by the type of the model's field."""
        out: dict[str, Any] = {}
        for heading, name in mapping.items():
            text = self.cells.get(heading, "")
            if not text:
                continue
            try:
                out[name] = self._convert(model, name, text)
            except ValueError as exc:
                self.problems.append(FieldProblem(self.where(heading), str(exc)))
        return out

    def _convert(self, model: type[BaseModel], name: str, text: str) -> Any:
        info = model.model_fields[name]
        annotation = info.annotation
        if annotation is bool:
            if text not in self.layout.flags:
                raise ValueError(f"「{text}」は {' か '.join(self.layout.flags)} で入力してください")
            return self.layout.flags[text]
        if isinstance(annotation, type) and issubclass(annotation, Enum):
            words = self.layout.words.get(name, {})
            if model is TaxpayerInput:  # 同居特別障害者 is a relative's category, never the taxpayer's
                words = {w: v for w, v in words.items() if v != "dokyo_tokubetsu"}
            if text not in words:
                raise ValueError(f"「{text}」は {'・'.join(words)} のいずれかで入力してください")
            return words[text]
        return parse_amount(text, yen=any(isinstance(m, Strict) for m in info.metadata))  # Yen is Strict

    def taxpayer(self) -> TaxpayerInput | None:
        raw = self.values(TaxpayerInput, self.layout.taxpayer)
        spouse = self.values(SpouseInput, self.layout.spouse)
        if spouse:
            raw["spouse"] = spouse
        groups = [self.values(DependantInput, group) for group in self.layout.dependants]
        raw["dependants"] = [group for group in groups if group]
        try:  # validated even after a bad cell, so a missing 配偶者の年齢 is said in the same reply
            taxpayer = TaxpayerInput.model_validate(raw)
        except ValidationError as exc:
            self._translate(exc)
            return None
        return None if self.problems else taxpayer

    def _translate(self, exc: ValidationError) -> None:
        said = {problem.field for problem in self.problems}  # a bad cell left out is not also "missing"
        # An empty dependant group is skipped, so the error's position is among the non-empty ones.
        filled = [
            i for i, group in enumerate(self.layout.dependants) if any(self.cells.get(h) for h in group)
        ]
        for error, (_label, message) in zip(exc.errors(), problems_from_pydantic(exc.errors()), strict=True):
            loc = tuple(error["loc"])
            if (
                loc[:1] == ("dependants",)
                and len(loc) > 1
                and isinstance(loc[1], int)
                and loc[1] < len(filled)
            ):
                loc = ("dependants", filled[loc[1]], *loc[2:])
            heading = self.layout.heading_of(loc)
            if error["type"] == "value_error":
                text = str(error["msg"]).removeprefix("Value error, ")
                for word, name, wording in MODEL_RULES:
                    if word in text:
                        heading, text = self.layout.heading_of((name,)), wording
                        break
                message = text
            if self.where(heading) not in said:
                self.problems.append(FieldProblem(self.where(heading), message))


def _read(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The headings, and (line number, heading → stripped cell) of each record (its last line)."""
    reader = csv.reader(io.StringIO(text), strict=True)
    records: list[tuple[int, list[str]]] = []
    try:  # a stray CR or an unclosed quote is the sender's file, not a server error (issue 24)
        header = next(reader, None)
        records = [(reader.line_num, record) for record in reader]
    except csv.Error as exc:
        message = "CSV として読み取れません（引用符・改行を確認してください）"
        raise InputError.single(f"{reader.line_num}行目", message) from exc
    if header is None:
        raise InputError.single("ファイル", "見出し行がありません")
    headings = [h.strip() for h in header]
    rows: list[tuple[int, dict[str, str]]] = []
    for line, record in records:
        if len(record) > len(headings):
            message = f"列が見出しより多くあります（{len(record)}列、見出しは{len(headings)}列）"
            raise InputError.single(f"{line}行目", message)
        rows.append((line, {h: v.strip() for h, v in zip(headings, record, strict=False)}))
    return headings, rows


def _check_headings(layout: Layout, headings: list[str]) -> None:
    problems = []
    known = layout.headings()
    seen: set[str] = set()
    for heading in headings:
        if heading in seen:
            problems.append(FieldProblem("見出し", f"「{heading}」が2回あります"))
        elif heading and heading not in known:
            problems.append(FieldProblem("見出し", f"「{heading}」は取込みの見出しにありません"))
        seen.add(heading)
    required = [layout.atena_no, _reverse(layout.taxpayer)["age"]]
    missing = [h for h in required if h not in seen]
    if missing:
        problems.append(FieldProblem("見出し", f"列がありません: {', '.join(missing)}"))
    if problems:
        raise InputError(*problems)


def _capped(problems: list[FieldProblem], limit: int) -> list[FieldProblem]:
    if len(problems) <= limit:
        return problems
    rest = len(problems) - limit
    return [*problems[:limit], FieldProblem("ファイル", f"ほかに {rest} 件の誤りがあります")]


def validate_csv(text: str, layout: Layout) -> list[tuple[int, str, TaxpayerInput]]:
    """Every row as (line, 宛名番号, inputs), or InputError naming every wrong cell (nothing is kept)."""
    headings, rows = _read(text)
    _check_headings(layout, headings)
    parsed: list[tuple[int, str, TaxpayerInput]] = []
    problems: list[FieldProblem] = []
    first_line: dict[str, int] = {}
    for line, cells in rows:
        if not any(cells.values()):
            continue  # an empty line (or only commas) is not a taxpayer
        row = _Row(layout, line, cells)
        atena_no = cells.get(layout.atena_no, "")
        if not atena_no:
            row.problems.append(FieldProblem(row.where(layout.atena_no), "入力してください"))
        elif not ATENA_NO.fullmatch(atena_no):
            message = f"「{atena_no}」は15桁以内の半角数字です"
            row.problems.append(FieldProblem(row.where(layout.atena_no), message))
        elif atena_no in first_line:
            message = f"「{atena_no}」は{first_line[atena_no]}行目と重複しています（1人1行）"
            row.problems.append(FieldProblem(row.where(layout.atena_no), message))
        else:
            first_line[atena_no] = line
        taxpayer = row.taxpayer()
        problems.extend(row.problems)
        if taxpayer is not None and not row.problems:
            parsed.append((line, atena_no, taxpayer))
    if problems:
        raise InputError(*_capped(problems, layout.max_problems))
    if not parsed:
        raise InputError.single("ファイル", "課税資料が1件もありません")
    return parsed


def batch_of(text: str) -> str:
    """The file's identity: SHA-256 of its text (without a BOM, so the same content is the same file)."""
    return hashlib.sha256(text.removeprefix("\ufeff").encode("utf-8")).hexdigest()


def import_csv(
    uow: UnitOfWork, csv_text: str, *, nendo: int, source: str, today: dt.date | None = None
) -> IntakeResult:
    """Append one 課税資料 per row, or nothing: refused whole on any problem, or if taken in before."""
    today = today or clock.today()
    if source not in FILE_SOURCES:
        raise InputError.single("資料の種類", f"ファイルの資料は {', '.join(FILE_SOURCES)} のいずれかです")
    text = csv_text.removeprefix("\ufeff")
    batch = batch_of(text)
    seen = uow.session.execute(
        select(KazeiShiryo.shori_date).where(KazeiShiryo.batch == batch).limit(1)
    ).scalar()
    if seen is not None:
        raise Conflict(f"このファイルは {seen.isoformat()} に取り込み済みです")
    parsed = validate_csv(text, Layout.on(today))
    result = IntakeResult(batch=batch, nendo=nendo, source=source)
    for line, atena_no, taxpayer in parsed:
        record_shiryo(
            uow,
            nendo=nendo,
            atena_no=atena_no,
            source=source,
            taxpayer=taxpayer,
            received=today,
            batch=batch,
            line_no=line,
        )
        result.appended += 1
        result.atena_nos.append(atena_no)
        result.lines.append(line)
    uow.session.flush()
    return result


def shiryo_view(row: KazeiShiryo) -> dict[str, Any]:
    """One 課税資料 as the API shows it: the inputs and where they came from."""
    return {
        "rireki_no": row.rireki_no,
        "source": row.source,
        "source_label": SOURCES.get(row.source, row.source),
        "taxpayer": row.data,
        "batch": row.batch,
        "line_no": row.line_no,
        "effective_date": row.effective_date,
        "shori_date": row.shori_date,
        "operator": row.operator,
    }
