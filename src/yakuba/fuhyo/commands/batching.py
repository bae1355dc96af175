"""The one writer of 附票 rows: what a transaction implies is kept in memory and written at its end.

Why (docs/decisions/handler-batching.md): 住民記録's events reach the 附票 one by one, thousands in one
transaction during a bulk load. Written one by one (a query for the last notice sent, an ORM flush per
notice and per entry) they cost more than the 異動 itself. Here a transaction's 附票 work is:

* **read once** — the last notice sent about each resident, the 附票 of each 戸籍 and its current entries,
  loaded for every pending event of the dispatch round in one query each, then kept in memory;
* **decided in memory** — the commands (``kisai.apply_notice``: a notice reflected on a local 附票,
  ``soshin.send_notice``: a notice to another 本籍地, 消除, 取消し, 在外選挙人 …) decide on this memory
  and change it through :meth:`FuhyoBatch.log` and :meth:`FuhyoBatch.append` at once, so a later event
  for the same person in the same transaction sees what is pending;
* **written once** — in a ``before_commit`` hook, one multi-row INSERT per table (``fuhyo_fuhyo``,
  ``fuhyo_tsuchi``, ``fuhyo_kisai``).

A command called from the API and a handler reacting to an event go through the same functions; the API
caller only reads the rows afterwards (:func:`stored_notice`, after :func:`settle`).

The events (:class:`FuhyoNoticeToHonsekichi`, :class:`FuhyoEntryRecorded`) are still recorded when the
handler runs, so the outbox keeps the order the per-event code gave it; the notice and 附票 ids they carry
are reserved in advance (PostgreSQL: ``nextval`` of the table's sequence, a block at a time; SQLite, whose
writers are serialised: counting on from ``max(id)``).

Anything that reads these tables through the ORM must first call :func:`settle` (write what is pending and
forget the memory); the commands that return ORM rows do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import Table, func, insert, select, text

from yakuba.fuhyo.events import FuhyoEntryRecorded
from yakuba.fuhyo.models import Fuhyo, Kisai, Tsuchi
from yakuba.fuhyo.rules import SNAPSHOT, changed_items, items_of, key
from yakuba.fuhyo.schemas import FuhyoItems
from yakuba.kernel import clock
from yakuba.uow import UnitOfWork

SCRATCH_KEY = "fuhyo.batch"
_CHUNK = 500  # values per IN (…): well under every driver's parameter limit
FUHYO_TABLE = cast(Table, Fuhyo.__table__)
TSUCHI_TABLE = cast(Table, Tsuchi.__table__)
KISAI_TABLE = cast(Table, Kisai.__table__)
_TSUCHI_COLUMNS = tuple(c.name for c in Tsuchi.__table__.columns)
_KISAI_COLUMNS = tuple(c.name for c in Kisai.__table__.columns if c.name != "id")


@dataclass(frozen=True)
class Notice:
    """What a 附票記載事項通知 says, whichever way it goes (received, sent, held for a clerk).

    One value instead of the same nine parameters repeated by every command and handler that logs,
    reflects or sends a notice."""

    kind: str
    jiyu: str
    honseki: str | None
    hittosha: str | None
    items: FuhyoItems | None
    effective_date: dt.date | None
    today: dt.date
    atena_no: str | None = None
    juki_ido_id: int | None = None


@dataclass
class Sent:
    """The last 附票記載事項通知 sent to another 本籍地 about a resident (as stored)."""

    id: int
    honseki: str | None
    items: dict[str, Any]


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
        self, notice: Notice, *, direction: str, channel: str, status: str, **extra: Any
    ) -> dict[str, Any]:
        """One notice received or sent (``fuhyo_tsuchi``); the row stays editable until written."""
        row: dict[str, Any] = dict.fromkeys(_TSUCHI_COLUMNS)
        row.update(
            id=self.ids["tsuchi"].take(self.uow),
            direction=direction,
            channel=channel,
            status=status,
            kind=notice.kind,
            jiyu=notice.jiyu,
            honseki=notice.honseki,
            hittosha=notice.hittosha,
            items=notice.items.model_dump(mode="json") if notice.items is not None else {},
            changed=[],
            effective_date=notice.effective_date,
            shori_date=notice.today,
            operator=self.uow.actor.login,
            recorded_at=clock.now(),
            atena_no=notice.atena_no,
            juki_ido_id=notice.juki_ido_id,
        )
        row.update(extra)
        self.tsuchi_rows.append(row)
        if direction == "out" and row["atena_no"]:
            self.sent[row["atena_no"]] = Sent(row["id"], notice.honseki, row["items"])
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


def stored_notice(uow: UnitOfWork, notice_id: int) -> Tsuchi:
    """The notice as a row, for a caller that reads it (writes what is pending first)."""
    settle(uow)
    row = uow.session.get(Tsuchi, notice_id)
    assert row is not None
    return row


__all__ = ["FuhyoBatch", "Notice", "Sent", "batch_of", "settle", "stored_notice"]
