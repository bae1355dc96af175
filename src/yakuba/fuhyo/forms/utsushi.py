"""戸籍の附票の写し and 戸籍の附票の除票の写し (住民基本台帳法第20条): A4 portrait PDF.

What is printed (docs/decisions/fuhyo-utsushi-omissions.md):

* 本籍・筆頭者 and 在外選挙人名簿に登録された旨 only on a special request (since 2022-01-11,
  ``fuhyo.utsushi.default_include``); each person's full 氏名 is always printed;
* 住民票コード only when 本人等 ask for it (``fuhyo.utsushi.requester_rules``) and only from 2024-05-27;
* 生年月日・性別 (from 2022-01-11), 住民票コード and 振り仮名 (from 2025-05-26) are not printed for a
  person who had left the 戸籍 before the item existed (``fuhyo.items_since``);
* every address the 附票 recorded, with its 住所を定めた年月日 (or only the current one on request); a
  国外転出者 shows 「国外転出者である旨」 and the 転出予定日.

Before anything is drawn: the 除票's retention (150 years, 5 before 2014-06-20), the 支援措置 of every
included person — through 住民記録's gate (:func:`yakuba.juki.yokushi.check_process`, process ``fuhyo`` /
``fuhyo_joshohyo``, for every 宛名番号 the person ever had here) and the 支援措置 forwarded by another
住所地 — and the fonts. The 帳票 furniture, 発行番号, 交付履歴, QR code and PAdES signature are the
forms toolkit's (``yakuba.forms``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import partial

from yakuba import params
from yakuba.config import Settings
from yakuba.errors import InputError, NotFound, YakubaError
from yakuba.forms import (
    BODY_BOTTOM,
    BODY_TOP,
    CONTENT_W,
    MARGIN,
    Furniture,
    Issuance,
    PageBody,
    Pen,
    allocate_serial,
    assert_printable,
    ensure_material,
    new_issuance_id,
    new_verification_code,
    render,
    seal_path,
    sign_pdf,
)
from yakuba.fuhyo import queries as service  # the read side; named for the lines below
from yakuba.fuhyo.models import Kisai
from yakuba.fuhyo.queries import joshohyo_status
from yakuba.fuhyo.rules import item_in_force
from yakuba.fuhyo.schemas import UtsushiRequest
from yakuba.juki.public import AlertConfirmationRequired, check_process
from yakuba.kernel.wareki import format_wareki
from yakuba.security.classification import label_for
from yakuba.uow import UnitOfWork

BLANK = "【空欄】"
OMITTED = "省略"
SEX = {"0": "不明", "1": "男", "2": "女"}
from yakuba.kernel.clock import JST  # noqa: E402 - one definition of Japan time


class RetentionExpired(YakubaError):
    """The 附票の除票 is past its retention (住基令 §34) and has been disposed of: nothing can be issued."""

    http_status = 410


class ShienBlocked(YakubaError):
    """A 支援措置 forwarded by another 住所地 protects a person on this 附票 (事務処理要領 第5-10)."""

    http_status = 423


@dataclass
class AddressLine:
    address: str
    date: str
    note: str = ""


@dataclass
class PersonBlock:
    person_no: int
    name: str
    furigana: str | None  # None: not printed (before 2025-05-26 or left the 戸籍 before)
    birth_date: str | None
    sex: str | None
    jumin_code: str | None  # None: not printed; OMITTED when not requested
    zaigai: str | None  # None: not printed
    addresses: list[AddressLine] = field(default_factory=list)
    removed: str | None = None


@dataclass
class UtsushiDocument:
    kind: str  # fuhyo / fuhyo_joshohyo
    title: str
    honseki: str  # the value or OMITTED
    hittosha: str
    persons: list[PersonBlock]
    printed: dict[str, bool]
    subjects: list[str]
    alerts: list[str] = field(default_factory=list)


def _wareki(value: dt.date | None) -> str:
    return format_wareki(value) if value else BLANK


def resolve(request: UtsushiRequest, on: dt.date) -> dict[str, bool]:
    """Which optional items are printed: the request, else the default; a forbidden request is refused."""
    defaults = params.get("fuhyo.utsushi.default_include", on=on)
    rules = params.in_force("fuhyo.utsushi.requester_rules", on=on)
    forbidden = set(rules[request.requester_type]["forbidden"]) if rules else {"jumin_code"}
    asked = {
        "honseki": request.include_honseki,
        "zaigai": request.include_zaigai,
        "jumin_code": request.include_jumin_code,
    }
    labels = {"honseki": "本籍・筆頭者", "zaigai": "在外選挙人", "jumin_code": "住民票コード"}
    printed: dict[str, bool] = {}
    for name, value in asked.items():
        if value and name in forbidden:
            who = {"honnin": "本人等", "koyo": "国・地方公共団体の機関", "daisansha": "第三者"}
            raise InputError.single(
                labels[name], f"{who[request.requester_type]}の請求では記載できません（住民基本台帳法第20条）"
            )
        printed[name] = bool(defaults.get(name, False)) if value is None else bool(value)
        if name in forbidden:
            printed[name] = False
    return printed


def _addresses(entries: list[Kisai], *, current_only: bool) -> list[AddressLine]:
    lines: list[AddressLine] = []
    last: tuple[object, ...] | None = None
    for entry in entries:
        if entry.kokugai:
            line = AddressLine("国外転出者である旨", f"転出予定日 {_wareki(entry.jusho_date)}")
        elif entry.address is None:
            continue
        else:
            note = f"{_wareki(entry.jusho_shojo_date)}職権消除" if entry.jusho_shojo_date else ""
            line = AddressLine(entry.address, _wareki(entry.jusho_date), note)
        signature = (line.address, line.date, line.note)
        if signature != last:
            lines.append(line)
            last = signature
    return lines[-1:] if current_only else lines


def _furigana(entry: Kisai) -> str:
    if not entry.shi_kana and not entry.mei_kana:
        return "********"
    return f"{entry.shi_kana or '【氏空欄】'}\u3000{entry.mei_kana or '【名空欄】'}"


def _person(
    entries: list[Kisai], printed: dict[str, bool], request: UtsushiRequest, on: dt.date
) -> PersonBlock:
    current = entries[-1]
    removed_on = current.removed_date if current.removed else None

    def in_force(item: str) -> bool:
        return item_in_force(item, on=on, removed_date=removed_on)

    zaigai: str | None = None
    if printed["zaigai"]:
        zaigai = (
            f"{current.zaigai_municipality} {_wareki(current.zaigai_date)}登録" if current.zaigai else BLANK
        )
    jumin_code: str | None = None
    if in_force("jumin_code"):
        jumin_code = (current.jumin_code or BLANK) if printed["jumin_code"] else OMITTED
    return PersonBlock(
        person_no=current.person_no,
        name=f"{current.shi}\u3000{current.mei}" if current.mei else current.shi,
        furigana=_furigana(current) if in_force("furigana") else None,
        birth_date=_wareki(current.birth_date) if in_force("birth_date") else None,
        sex=SEX.get(current.sex or "", BLANK) if in_force("sex") else None,
        jumin_code=jumin_code,
        zaigai=zaigai,
        addresses=_addresses(entries, current_only=request.current_only),
        removed=f"{_wareki(current.removed_date)} {current.removed_reason or ''}消除"
        if current.removed
        else None,
    )


def _guard(
    uow: UnitOfWork,
    fuhyo_id: int,
    persons: dict[int, list[Kisai]],
    *,
    process: str,
    now: dt.datetime,
    on: dt.date,
    confirm_alerts: bool,
) -> list[str]:
    """支援措置 and 抑止 for every included person (any 宛名番号 they had here) and forwarded 支援措置."""
    alerts: list[str] = []
    for person_no, entries in persons.items():
        if service.forwarded_shien(uow.session, fuhyo_id, person_no, on):
            raise ShienBlocked(
                f"{person_no}番の人は他の市町村から通知された支援措置の対象です。"
                "附票の写しは交付できません（支援措置の担当者に確認してください）"
            )
        for atena_no in dict.fromkeys(e.atena_no for e in entries if e.atena_no):
            warnings = check_process(
                uow.session,
                atena_no=atena_no,
                setai_no=None,
                process=process,
                now=now,
                confirm_alerts=confirm_alerts,
            )
            alerts.extend(w.message for w in warnings)
    if alerts and not confirm_alerts:
        raise AlertConfirmationRequired(alerts)
    return alerts


def prepare(uow: UnitOfWork, fuhyo_id: int, request: UtsushiRequest, *, now: dt.datetime) -> UtsushiDocument:
    """Check everything and gather what the 写し prints (no rendering, no log)."""
    session = uow.session
    on = now.astimezone(JST).date()
    fuhyo = service.get_fuhyo(session, fuhyo_id)
    status = joshohyo_status(session, fuhyo_id)
    if status is not None and not status.retained(on):
        raise RetentionExpired(
            f"この附票の除票は保存期間（{status.years}年、{format_wareki(status.last_day)}まで）を経過して"
            "廃棄されたため、写しを交付できません（廃棄証明の交付は可能です）"
        )
    kind = "fuhyo_joshohyo" if status is not None else "fuhyo"
    printed = resolve(request, on)
    by_person: dict[int, list[Kisai]] = {}
    for entry in service.entries_of(session, fuhyo_id):
        by_person.setdefault(entry.person_no, []).append(entry)
    chosen = request.persons or sorted(by_person)
    unknown = [n for n in chosen if n not in by_person]
    if unknown:
        raise NotFound(f"附票 {fuhyo_id} に {', '.join(map(str, unknown))} 番の人はいません")
    selected = {n: by_person[n] for n in chosen}
    alerts = _guard(
        uow, fuhyo_id, selected, process=kind, now=now, on=on, confirm_alerts=request.confirm_alerts
    )
    names = {"fuhyo": "戸籍の附票の写し", "fuhyo_joshohyo": "戸籍の附票の除票の写し"}
    return UtsushiDocument(
        kind=kind,
        title=names[kind],
        honseki=fuhyo.honseki if printed["honseki"] else OMITTED,
        hittosha=fuhyo.hittosha if printed["honseki"] else OMITTED,
        persons=[_person(entries, printed, request, on) for entries in selected.values()],
        printed=printed,
        subjects=[entries[-1].atena_no or f"fuhyo:{fuhyo_id}:{n}" for n, entries in selected.items()],
        alerts=alerts,
    )


# ------------------------------------------------------------------------------------------- layout


ROW_H = 18.0
LABEL_W = 84.0


def _block_height(person: PersonBlock) -> float:
    rows = 2 + (1 if person.furigana is not None else 0) + (1 if person.jumin_code is not None else 0)
    rows += 1 if person.zaigai is not None else 0
    rows += 1 if person.removed else 0
    rows += 1 + max(1, len(person.addresses))  # heading + lines
    return rows * ROW_H + 10


def _pair(pen: Pen, x: float, y: float, w: float, label: str, value: str, field_name: str) -> None:
    pen.label_cell(x, y, LABEL_W, ROW_H, label)
    pen.box(x + LABEL_W, y, w - LABEL_W, ROW_H)
    pen.fit(x + LABEL_W, y, w - LABEL_W, ROW_H, value, field=field_name)


def _draw_header(pen: Pen, doc: UtsushiDocument, top: float) -> float:
    half = CONTENT_W / 2
    _pair(pen, MARGIN, top - ROW_H, half, "本籍", doc.honseki, "本籍")
    _pair(pen, MARGIN + half, top - ROW_H, half, "筆頭者", doc.hittosha, "筆頭者")
    return top - ROW_H - 8


def _draw_person(pen: Pen, person: PersonBlock, top: float) -> float:
    y = top
    where = f"{person.person_no}番の人の"

    def row(label: str, value: str) -> None:
        nonlocal y
        y -= ROW_H
        _pair(pen, MARGIN, y, CONTENT_W, label, value, where + label)

    row("氏名", person.name)
    if person.furigana is not None:
        row("氏名の振り仮名", person.furigana)
    third = CONTENT_W / 2
    y -= ROW_H
    _pair(pen, MARGIN, y, third, "生年月日", person.birth_date or "", where + "生年月日")
    _pair(pen, MARGIN + third, y, third, "性別", person.sex or "", where + "性別")
    if person.jumin_code is not None:
        row("住民票コード", person.jumin_code)
    if person.zaigai is not None:
        row("在外選挙人", person.zaigai)
    y -= ROW_H
    date_w = 150.0
    pen.label_cell(MARGIN, y, CONTENT_W - date_w, ROW_H, "住所")
    pen.label_cell(MARGIN + CONTENT_W - date_w, y, date_w, ROW_H, "住所を定めた年月日")
    for line in person.addresses or [AddressLine(BLANK, "")]:
        y -= ROW_H
        text = f"{line.address}（{line.note}）" if line.note else line.address
        pen.box(MARGIN, y, CONTENT_W - date_w, ROW_H)
        pen.fit(MARGIN, y, CONTENT_W - date_w, ROW_H, text, field=where + "住所")
        pen.box(MARGIN + CONTENT_W - date_w, y, date_w, ROW_H)
        pen.fit(MARGIN + CONTENT_W - date_w, y, date_w, ROW_H, line.date, field=where + "住所を定めた年月日")
    if person.removed:
        row("消除", person.removed)
    return y - 10


def pages(doc: UtsushiDocument) -> list[PageBody]:
    """Page bodies: the 本籍・筆頭者 row on the first page, then person blocks as they fit."""
    groups: list[list[PersonBlock]] = [[]]
    room = BODY_TOP - ROW_H - 8 - BODY_BOTTOM
    for person in doc.persons:
        need = _block_height(person)
        if groups[-1] and need > room:
            groups.append([])
            room = BODY_TOP - BODY_BOTTOM
        groups[-1].append(person)
        room -= need

    def body(pen: Pen, *, persons: list[PersonBlock], first: bool) -> None:
        top = _draw_header(pen, doc, BODY_TOP) if first else BODY_TOP
        for person in persons:
            top = _draw_person(pen, person, top)

    return [partial(body, persons=group, first=index == 0) for index, group in enumerate(groups)]


# ------------------------------------------------------------------------------------------- issue


@dataclass(frozen=True)
class IssuedUtsushi:
    pdf: bytes
    kind: str
    subjects: list[str]
    alerts: list[str]
    printed: dict[str, bool]
    issuance_id: str | None = None
    verification_code: str | None = None
    sha256: str | None = None
    pages: int = 0
    fee: int = 0


def _check_printable(doc: UtsushiDocument) -> None:
    assert_printable("本籍", doc.honseki)
    assert_printable("筆頭者", doc.hittosha)
    for person in doc.persons:
        where = f"{person.person_no}番の人の"
        for label, value in (
            ("氏名", person.name),
            ("振り仮名", person.furigana),
            ("在外選挙人", person.zaigai),
        ):
            assert_printable(where + label, value)
        for line in person.addresses:
            assert_printable(where + "住所", line.address)


def fee_for(requester_type: str, on: dt.date) -> int:
    if requester_type in params.get("municipal.shomei.fee_exempt_requesters", on=on):
        return 0
    return int(params.get("municipal.fuhyo.fee_utsushi", on=on))


def issue(
    uow: UnitOfWork,
    fuhyo_id: int,
    request: UtsushiRequest,
    *,
    settings: Settings,
    now: dt.datetime,
    issued_by: str,
    terminal: str | None = None,
    printer: str | None = None,
) -> IssuedUtsushi:
    """Issue one 附票の写し: checked, rendered, numbered, signed and logged (a 見本 when ``preview``)."""
    doc = prepare(uow, fuhyo_id, request, now=now)
    _check_printable(doc)
    on = now.astimezone(JST).date()
    marking = label_for("fuhyo.entry", on).marking()
    ninshobun = params.get("fuhyo.utsushi.ninshobun", on=on)["joshohyo" if doc.kind != "fuhyo" else "fuhyo"]
    certifier = str(params.get("municipal.shomei.certifier", on=on)).format(
        municipality=settings.municipality_name
    )
    bodies = pages(doc)
    if request.preview:
        furniture = Furniture(
            title=doc.title,
            hakko_prefix="",
            marking=marking,
            issue_date=format_wareki(on),
            certifier=certifier,
            ninshobun=ninshobun,
            preview=True,
            koyo=request.requester_type == "koyo",
        )
        pdf = render(bodies, furniture, author=settings.municipality_name)
        return IssuedUtsushi(pdf, doc.kind, doc.subjects, doc.alerts, doc.printed, pages=len(bodies))
    terminal = terminal or str(params.get("municipal.shomei.terminal_name", on=on))
    printer = printer or str(params.get("municipal.shomei.printer_name", on=on))
    row = Issuance(
        issuance_id=new_issuance_id(),
        verification_code=new_verification_code(),
        kind=doc.kind,
        issue_date=on,
        issued_at=now.astimezone(dt.UTC),
        issued_by=issued_by,
        terminal=terminal,
        printer=printer,
        serial=0,
        municipality_code=settings.municipality_code,
        municipality_name=settings.municipality_name,
        requester_type=request.requester_type,
        options={
            "request": request.model_dump(mode="json"),
            "printed": doc.printed,
            "fuhyo_id": fuhyo_id,
            "alerts_confirmed": doc.alerts,
        },
        subjects=doc.subjects,
        pages=0,
        fee=fee_for(request.requester_type, on),
        status="issuing",
        public=True,
    )
    allocate_serial(uow.session, row)
    hakko = f"{on:%Y%m%d} {settings.municipality_name} {terminal} {printer} {row.serial:03d}"
    base = str(params.get("municipal.shomei.verify_url_base", on=on)).rstrip("/")
    furniture = Furniture(
        title=doc.title,
        hakko_prefix=hakko,
        marking=marking,
        issue_date=format_wareki(on),
        certifier=certifier,
        ninshobun=ninshobun,
        qr_payload=f"{base}/verify/{row.issuance_id}?code={row.verification_code}",
        verification_code=row.verification_code,
        seal=seal_path(settings.data_dir, settings.municipality_name, on),
        koyo=request.requester_type == "koyo",
    )
    pdf = render(bodies, furniture, author=settings.municipality_name)
    material = ensure_material(settings.key_dir, settings.municipality_name, settings.municipality_code)
    signed = sign_pdf(pdf, material, reason=f"{doc.title} {hakko}", location=settings.municipality_name)
    row.sha256 = hashlib.sha256(signed).hexdigest()
    row.pages = len(bodies)
    row.status = "issued"
    uow.session.flush()
    return IssuedUtsushi(
        pdf=signed,
        kind=doc.kind,
        subjects=doc.subjects,
        alerts=doc.alerts,
        printed=doc.printed,
        issuance_id=row.issuance_id,
        verification_code=row.verification_code,
        sha256=row.sha256,
        pages=row.pages,
        fee=row.fee,
    )
