"""The one writer of 附票 rows: what a transaction implies is kept in memory and written at its end.

Why (docs/decisions/handler-batching.md): 住民記録's events reach the 附票 one by one, thousands in one
transaction during a bulk load. Written one by one (a query for the last notice sent, an ORM flush per
notice and per entry) they cost more than the 異動 itself. Here a transaction's 附票 work is:

* **read once** — the last notice sent about each resident, the 附票 of each 戸籍 and its current entries,
  loaded for every pending event of the dispatch round in one query each, then kept in memory;
* **decided in memory** — :meth:`FuhyoBatch.apply` (a notice reflected on a local 附票),
  :meth:`FuhyoBatch.send` (a notice to another 本籍地), :meth:`FuhyoBatch.append` (one entry) update that
  memory at once, so a later event for the same person in the same transaction sees what is pending;
* **written once** — in a ``before_commit`` hook, one multi-row INSERT per table (``fuhyo_fuhyo``,
  ``fuhyo_tsuchi``, ``fuhyo_kisai``).

The events (:class:`FuhyoNoticeToHonsekichi`, :class:`FuhyoEntryRecorded`) are still recorded when the
handler runs, so the outbox keeps the order the per-event code gave it; the notice and 附票 ids they carry
are reserved in advance (PostgreSQL: ``nextval`` of the table's sequence, a block at a time; SQLite, whose
writers are serialised: counting on from ``max(id)``).

Anything that reads these tables through the ORM must first call :func:`settle` (write what is pending and
forget the memory); the service's ORM-returning functions do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import Table, func, insert, select, text

from yakuba.fuhyo.config import municipality
from yakuba.fuhyo.events import FuhyoEntryRecorded, FuhyoNoticeToHonsekichi
from yakuba.fuhyo.models import Fuhyo, Kisai, Tsuchi
from yakuba.fuhyo.rules import changed_items, key
from yakuba.fuhyo.schemas import FuhyoItems
from yakuba.kernel import clock
from yakuba.uow import UnitOfWork

SCRATCH_KEY = "fuhyo.batch"
SNAPSHOT = (
    "atena_no",
    "shi",
    "mei",
    "shi_kana",
    "mei_kana",
    "kyu_uji",
    "birth_date",
    "sex",
    "address",
    "jusho_date",
    "kokugai",
    "jusho_shojo_date",
    "jumin_code",
    "zaigai",
    "zaigai_municipality",
    "zaigai_date",
    "removed",
    "removed_date",
    "removed_reason",
)
ITEM_NAMES = tuple(FuhyoItems.model_fields)
_CHUNK = 500  # values per IN (…): well under every driver's parameter limit
FUHYO_TABLE = cast(Table, Fuhyo.__table__)
TSUCHI_TABLE = cast(Table, Tsuchi.__table__)
KISAI_TABLE = cast(Table, Kisai.__table__)
_TSUCHI_COLUMNS = tuple(c.name for c in Tsuchi.__table__.columns)
_KISAI_COLUMNS = tuple(c.name for c in Kisai.__table__.columns if c.name != "id")


def items_of(entry: Any) -> FuhyoItems:
    """The 附票 items of an entry (an ORM row or a pending one)."""
    return FuhyoItems.model_validate({name: getattr(entry, name) for name in ITEM_NAMES})


def _same_name(entry: Any, shi: str, mei: str | None, birth_date: dt.date | None) -> bool:
    return (
        birth_date is not None
        and entry.birth_date == birth_date
        and key(entry.shi) == key(shi)
        and key(entry.mei) == key(mei or "")
    )


def match_person(
    entries: Iterable[Any],
    *,
    jumin_code: str | None = None,
    atena_no: str | None = None,
    shi: str | None = None,
    mei: str | None = None,
    birth_date: dt.date | None = None,
) -> Any | None:
    """The person's current entry: by 住民票コード, then 宛名番号, then 氏名 + 生年月日.

    A person still on the 附票 wins over one removed from it."""
    listed = list(entries)
    tests = []
    if jumin_code:
        tests.append(lambda e: e.jumin_code == jumin_code)
    if atena_no:
        tests.append(lambda e: e.atena_no == atena_no)
    if shi:
        tests.append(lambda e: _same_name(e, shi, mei, birth_date))
    for test in tests:
        found = [e for e in listed if test(e)]
        if found:
            return next((e for e in found if not e.removed), found[0])
    return None


@dataclass
class Sent:
    """The last 附票記載事項通知 sent to another 本籍地 about a resident (as stored)."""

    id: int
    honseki: str | None
    items: dict[str, Any]


@dataclass
class Outcome:
    """What :meth:`FuhyoBatch.apply` did: the notice, its 附票, the entry appended (if any)."""

    notice_id: int
    fuhyo_id: int
    entry: Any | None
    changed: list[str]
    status: str


class _Ids:
    """Primary keys handed out before the INSERT, in the order the rows are made (so id order = time)."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.next = 0  # SQLite: the next id (0: not read yet)
        self.block = 8  # PostgreSQL: ids reserved at a time, doubling up to 1024
        self.pool: list[int] = []

    def take(self, uow: UnitOfWork) -> int:
        session = uow.session
        if session.get_bind().dialect.name == "postgresql":
            if not self.pool:
                sequence = f"pg_get_serial_sequence('{self.table.name}', 'id')"
                self.pool = list(
                    session.execute(
                        text(f"SELECT nextval({sequence}) FROM generate_series(1, :n)"), {"n": self.block}
                    ).scalars()
                )
                self.pool.reverse()
                self.block = min(self.block * 2, 1024)
            return int(self.pool.pop())
        if self.next == 0:  # SQLite: writers are serialised and every write here comes through this batch
            last = session.execute(select(func.max(self.table.c.id))).scalar()
            self.next = (last or 0) + 1
        value = self.next
        self.next += 1
        return value


class FuhyoBatch:
    """The 附票 work of one transaction: what is known, and what is still to be written."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.sent: dict[str, Sent | None] = {}
        self.highest_sent: str | None = None  # the highest 宛名番号 with a notice sent ("" = none)
        self.by_key: dict[tuple[str, str], list[int]] = {}  # 戸籍 → its 附票 ids, newest first
        self.names: dict[int, tuple[str, str]] = {}  # 附票 id → (本籍, 筆頭者) as written
        self.current: dict[int, dict[int, Any]] = {}  # 附票 id → person_no → latest entry
        self.fuhyo_rows: list[dict[str, Any]] = []
        self.tsuchi_rows: list[dict[str, Any]] = []
        self.kisai_rows: list[dict[str, Any]] = []
        self.ids = {"fuhyo": _Ids(FUHYO_TABLE), "tsuchi": _Ids(TSUCHI_TABLE)}

    # -- reading (once per key, then from memory) ------------------------------------------------

    def _never_notified(self, atena_no: str) -> bool:
        """Above the highest 宛名番号 any notice was sent about, so none was (one query per transaction).

        Only digit strings of the same length are compared, where every collation agrees with the number;
        a 宛名番号 just numbered (転入・出生) is above it, so a bulk load of new residents asks nothing more.
        """
        if self.highest_sent is None:
            found = self.uow.session.execute(
                select(func.max(Tsuchi.atena_no)).where(Tsuchi.direction == "out")
            ).scalar()
            self.highest_sent = found or ""
        last = self.highest_sent
        if not atena_no.isdigit():
            return False
        return last == "" or (last.isdigit() and len(last) == len(atena_no) and atena_no > last)

    def load_sent(self, atena_nos: Iterable[str], *, new_residents: bool = False) -> None:
        """The last outbound notice of each resident not known yet: one query for all of them.

        ``new_residents``: the events register residents, most with a new 宛名番号 — try
        :meth:`_never_notified` first."""
        want = sorted({a for a in atena_nos if a and a not in self.sent})
        for atena_no in want:
            self.sent[atena_no] = None
        if new_residents and want:
            want = [a for a in want if not self._never_notified(a)]
        session = self.uow.session
        for start in range(0, len(want), _CHUNK):
            chunk = want[start : start + _CHUNK]
            latest = (
                select(func.max(Tsuchi.id))
                .where(Tsuchi.direction == "out", Tsuchi.atena_no.in_(chunk))
                .group_by(Tsuchi.atena_no)
            )
            rows = session.execute(
                select(Tsuchi.id, Tsuchi.atena_no, Tsuchi.honseki, Tsuchi.items).where(Tsuchi.id.in_(latest))
            )
            for row in rows:
                self.sent[row.atena_no] = Sent(row.id, row.honseki, dict(row.items or {}))

    def last_sent(self, atena_no: str) -> Sent | None:
        if atena_no not in self.sent:
            self.load_sent([atena_no])
        return self.sent[atena_no]

    def load_fuhyo(self, pairs: Iterable[tuple[str, str]]) -> None:
        """The 附票 of each 戸籍 (本籍, 筆頭者) not known yet, with their current entries: two queries."""
        want = {(key(h), key(p)) for h, p in pairs} - self.by_key.keys()
        if not want:
            return
        for pair in want:
            self.by_key[pair] = []
        session = self.uow.session
        honseki_keys = sorted({h for h, _ in want})
        found: list[int] = []
        for start in range(0, len(honseki_keys), _CHUNK):
            rows = session.execute(
                select(Fuhyo.id, Fuhyo.honseki, Fuhyo.hittosha, Fuhyo.honseki_key, Fuhyo.hittosha_key)
                .where(Fuhyo.honseki_key.in_(honseki_keys[start : start + _CHUNK]))
                .order_by(Fuhyo.id.desc())
            )
            for row in rows:
                pair = (row.honseki_key, row.hittosha_key)
                if pair in want:
                    self.by_key[pair].append(row.id)
                    self.names.setdefault(row.id, (row.honseki, row.hittosha))
                    found.append(row.id)
        self._load_entries(found)

    def _load_entries(self, fuhyo_ids: list[int]) -> None:
        fuhyo_ids = [f for f in fuhyo_ids if f not in self.current]
        for fuhyo_id in fuhyo_ids:
            self.current[fuhyo_id] = {}
        columns = [Kisai.fuhyo_id, Kisai.person_no, Kisai.entry_no, *(getattr(Kisai, n) for n in SNAPSHOT)]
        for start in range(0, len(fuhyo_ids), _CHUNK):
            rows = self.uow.session.execute(
                select(*columns)
                .where(Kisai.fuhyo_id.in_(fuhyo_ids[start : start + _CHUNK]))
                .order_by(Kisai.fuhyo_id, Kisai.person_no, Kisai.entry_no)
            )
            for row in rows:
                self.current[row.fuhyo_id][row.person_no] = SimpleNamespace(**row._asdict())

    def ensure_fuhyo(self, fuhyo_id: int, honseki: str, hittosha: str) -> None:
        """Know a 附票 met through the ORM (e.g. a 消除) before writing to it."""
        if fuhyo_id not in self.names:
            self.names[fuhyo_id] = (honseki, hittosha)
        self._load_entries([fuhyo_id])

    def entries(self, fuhyo_id: int) -> list[Any]:
        """The latest entry of each person on the 附票, by person (pending ones included)."""
        current = self.current[fuhyo_id]
        return [current[n] for n in sorted(current)]

    def is_joshohyo(self, fuhyo_id: int) -> bool:
        entries = self.current[fuhyo_id].values()
        return bool(entries) and all(e.removed for e in entries)

    def find(self, honseki: str, hittosha: str) -> int | None:
        """The open (not 除票) 附票 of the 戸籍, or None."""
        pair = (key(honseki), key(hittosha))
        if pair not in self.by_key:
            self.load_fuhyo([(honseki, hittosha)])
        return next((f for f in self.by_key[pair] if not self.is_joshohyo(f)), None)

    # -- writing (in memory; see write) ----------------------------------------------------------

    def open_or_create(self, honseki: str, hittosha: str, today: dt.date) -> tuple[int, bool]:
        found = self.find(honseki, hittosha)
        if found is not None:
            return found, False
        fuhyo_id = self.ids["fuhyo"].take(self.uow)
        self.fuhyo_rows.append(
            {
                "id": fuhyo_id,
                "honseki": honseki,
                "hittosha": hittosha,
                "honseki_key": key(honseki),
                "hittosha_key": key(hittosha),
                "opened_on": today,
                "created_at": clock.now(),
                "created_by": self.uow.actor.login,
            }
        )
        self.by_key[(key(honseki), key(hittosha))].insert(0, fuhyo_id)
        self.names[fuhyo_id] = (honseki, hittosha)
        self.current[fuhyo_id] = {}
        return fuhyo_id, True

    def log(
        self,
        *,
        direction: str,
        channel: str,
        status: str,
        kind: str,
        jiyu: str,
        honseki: str | None,
        hittosha: str | None,
        items: FuhyoItems | None,
        effective_date: dt.date | None,
        today: dt.date,
        **extra: Any,
    ) -> dict[str, Any]:
        """One notice received or sent (``fuhyo_tsuchi``); the row stays editable until written."""
        row: dict[str, Any] = dict.fromkeys(_TSUCHI_COLUMNS)
        row.update(
            id=self.ids["tsuchi"].take(self.uow),
            direction=direction,
            channel=channel,
            status=status,
            kind=kind,
            jiyu=jiyu,
            honseki=honseki,
            hittosha=hittosha,
            items=items.model_dump(mode="json") if items is not None else {},
            changed=[],
            effective_date=effective_date,
            shori_date=today,
            operator=self.uow.actor.login,
            recorded_at=clock.now(),
        )
        row.update(extra)
        self.tsuchi_rows.append(row)
        if direction == "out" and row["atena_no"]:
            self.sent[row["atena_no"]] = Sent(row["id"], honseki, row["items"])
        return row

    def append(
        self,
        fuhyo_id: int,
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
        """Append one complete entry for a person: ``base`` (their current entry) + ``items`` + ``changes``.

        ``base=None`` adds a new person to the 附票. This is the only place that makes ``fuhyo_kisai`` rows.
        """
        current = self.current[fuhyo_id]
        values: dict[str, Any] = {name: getattr(base, name) for name in SNAPSHOT} if base is not None else {}
        if items is not None:
            values.update(items.model_dump())
        values.update(changes)
        if base is not None:
            person_no, entry_no = base.person_no, base.entry_no + 1
        else:
            person_no, entry_no = max(current, default=0) + 1, 1
        before = items_of(base) if base is not None and not base.removed else None
        row: dict[str, Any] = {name: values.get(name) for name in SNAPSHOT}
        row.update(
            fuhyo_id=fuhyo_id,
            person_no=person_no,
            entry_no=entry_no,
            kind=kind,
            jiyu=jiyu,
            effective_date=effective_date,
            shori_date=today,
            source=source,
            notice_id=notice_id,
            juki_ido_id=juki_ido_id,
            note=note,
            operator=self.uow.actor.login,
            kokugai=bool(values.get("kokugai")),
            zaigai=bool(values.get("zaigai")),
            removed=bool(values.get("removed")),
            recorded_at=clock.now(),
        )
        self.kisai_rows.append(row)
        names = ("fuhyo_id", "person_no", "entry_no", *SNAPSHOT)
        entry = SimpleNamespace(**{name: row[name] for name in names})
        current[person_no] = entry
        self.uow.record(
            FuhyoEntryRecorded(
                fuhyo_id=fuhyo_id,
                person_no=person_no,
                entry_no=entry_no,
                kind=kind,
                jiyu=jiyu,
                effective_date=effective_date,
                jumin_code=entry.jumin_code,
                changed=changed_items(before, items_of(entry)) if not entry.removed else ["removed"],
                removed=entry.removed,
            )
        )
        return entry

    def apply(
        self,
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
    ) -> Outcome:
        """Reflect one 附票記載事項通知 on the local 附票 (本籍 here): log it, then append if changed."""
        notice = self.log(
            direction="in",
            channel=channel,
            status="applied",
            kind=kind,
            jiyu=jiyu,
            honseki=honseki,
            hittosha=hittosha,
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
        fuhyo_id, created = self.open_or_create(honseki, hittosha, today)
        notice["fuhyo_id"] = fuhyo_id
        person = match_person(
            self.entries(fuhyo_id),
            jumin_code=items.jumin_code,
            atena_no=atena_no,
            shi=items.shi,
            mei=items.mei,
            birth_date=items.birth_date,
        )
        before = items_of(person) if person is not None and not person.removed else None
        changed = changed_items(before, items)
        same_holder = person is not None and person.atena_no == atena_no
        if before is not None and not changed and same_holder:
            notice["status"] = "unchanged"
            notice["message"] = "記載事項に変更はありません"
            return Outcome(notice["id"], fuhyo_id, None, [], "unchanged")
        note = None
        if created and kind != "kisai":
            note = "附票がなかったため、この通知により作成"
        elif person is None and kind != "kisai":
            note = "附票に記載のない者のため、この通知により記載"
        entry = self.append(
            fuhyo_id,
            person,
            kind=kind,
            jiyu=jiyu,
            effective_date=effective_date,
            source="juki" if channel == "juki" else "notice",
            today=today,
            items=items,
            notice_id=notice["id"],
            juki_ido_id=juki_ido_id,
            note=note,
            atena_no=atena_no,
            removed=False,
            removed_date=None,
            removed_reason=None,
        )
        notice["changed"] = changed
        notice["message"] = note
        return Outcome(notice["id"], fuhyo_id, entry, changed, "applied")

    def send(
        self,
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
    ) -> int | None:
        """The 附票記載事項通知 to another 本籍地 (§19①), unless nothing changed since the last one sent about
        this resident (``force`` sends anyway: a 記載, a 取消し). Returns the notice id."""
        previous = self.last_sent(atena_no) if atena_no else None
        same_honseki = previous is not None and key(previous.honseki) == key(honseki)
        before = FuhyoItems.model_validate(previous.items) if previous is not None and same_honseki else None
        changed = changed_items(before, items)
        if before is not None and not changed and not force:
            return None
        muni = municipality()
        notice = self.log(
            direction="out",
            channel=channel,
            status="sent",
            kind=kind,
            jiyu=jiyu,
            honseki=honseki,
            hittosha=hittosha,
            items=items,
            effective_date=effective_date,
            today=today,
            atena_no=atena_no,
            juki_ido_id=juki_ido_id,
            from_lg_code=muni.code,
            from_name=muni.name,
            message="記載の取消し" if cancels_kisai else None,
        )
        notice["changed"] = changed
        self.uow.record(
            FuhyoNoticeToHonsekichi(
                notice_id=notice["id"],
                from_lg_code=muni.code,
                from_name=muni.name,
                honseki=honseki,
                hittosha=hittosha,
                kind=kind,
                jiyu=jiyu,
                effective_date=effective_date,
                items=items,
                changed=changed,
                zaigai=zaigai,
                zaigai_municipality=zaigai_municipality,
                cancels_kisai=cancels_kisai,
            )
        )
        return int(notice["id"])

    # -- the end of the transaction ----------------------------------------------------------------

    def write(self) -> None:
        """One multi-row INSERT per table, parents first (``fuhyo_tsuchi`` refers to ``fuhyo_fuhyo``,
        ``fuhyo_kisai`` to both)."""
        session = self.uow.session
        for table, rows in (
            (FUHYO_TABLE, self.fuhyo_rows),
            (TSUCHI_TABLE, self.tsuchi_rows),
            (KISAI_TABLE, self.kisai_rows),
        ):
            if rows:  # Core, not the ORM: one executemany (insertmanyvalues), no per-row bookkeeping
                session.execute(insert(table), rows)
        self.fuhyo_rows, self.tsuchi_rows, self.kisai_rows = [], [], []


def batch_of(uow: UnitOfWork) -> FuhyoBatch:
    """This transaction's batch (made, with its ``before_commit`` hook, on first use)."""
    found = uow.scratch.get(SCRATCH_KEY)
    if isinstance(found, FuhyoBatch) and found.uow is uow:
        return found
    made = FuhyoBatch(uow)
    uow.scratch[SCRATCH_KEY] = made
    uow.before_commit(settle)
    return made


def settle(uow: UnitOfWork) -> None:
    """Write what is pending and forget what was read (before ORM reads of these tables, and at commit)."""
    found = uow.scratch.pop(SCRATCH_KEY, None)
    if isinstance(found, FuhyoBatch):
        found.write()


def pending(uow: UnitOfWork) -> FuhyoBatch | None:
    found = uow.scratch.get(SCRATCH_KEY)
    return found if isinstance(found, FuhyoBatch) else None


__all__ = ["FuhyoBatch", "Outcome", "Sent", "batch_of", "items_of", "match_person", "settle"]
