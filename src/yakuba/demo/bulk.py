"""Bulk load of a synthetic town: the rows the 住民記録 command writes, written in large batches.

Why: through the command (``setup.load_household``) every 世帯 is one transaction of a dozen ORM
flushes — fine for a demo town, hours for a million residents. Here the rows are *built* by the
domain's own functions (``person_state`` for validation, encryption and the blind index of the 個人番号,
``atena_check_digit`` for the numbers, ``history.search_keys`` for the projection, ``base.summary`` and
``ResidentRegistered`` for the outbox payload) and *written* with ``COPY`` on PostgreSQL or
``executemany`` on SQLite, one transaction per batch. ``tests/demo/test_bulk.py`` proves both paths
leave identical tables.

What the command does that a batch cannot do cheaply is the 再転入 / 二重登録 check
(``_persons.find_returning``: the same 個人番号・住民票コード・在留カード番号, or the same 氏名・性別・
生年月日, on a record already there). A fixed-size Bloom filter over those keys answers "certainly
new" for nearly every person; a household with a possible match (a real one, or a false positive) is
handed to the command itself, in the same transaction, after the pending rows are written — so the
alert text, the refusal and the numbering are the command's own. The same happens for any household
the command would refuse (bad dates, not exactly one 世帯主): the command raises its own error.

Other businesses subscribed to ``ResidentRegistered`` (選挙's copy of the registry, 附票 notices …) are
served too: when the message bus has handlers, the events are dispatched through ``UnitOfWork.dispatch``
household by household, in the command's order, instead of being copied into the outbox. Their rows are
then written by their own ORM code, one event at a time — correct, but it dominates the load time
(docs/performance.md); a batch form of those handlers is what would close that gap.

Assumption: nobody else writes 住民記録 during the load (a migration window). Numbering rows are
locked per batch on PostgreSQL, but the Bloom filter only knows the records that existed when the load
started plus those it wrote.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, TextIO, cast

from sqlalchemy import and_, inspect, select, text

from yakuba import params
from yakuba.bootstrap import Yakuba
from yakuba.db import Base
from yakuba.demo.arguments import household_arguments
from yakuba.demo.bulk_sink import (
    IDO_COLUMNS,
    IDO_TABLE,
    JUMIN_COLUMNS,
    JUMIN_TABLE,
    OUTBOX_COLUMNS,
    OUTBOX_TABLE,
    RIREKI_COLUMNS,
    RIREKI_TABLE,
    SETAI_COLUMNS,
    SETAI_TABLE,
    _bits_for,
    _Bloom,
    _Counter,
    _keys,
    _Sink,
)
from yakuba.demo.generator import SyntheticHousehold, SyntheticTown
from yakuba.juki.public import (
    JIYU_KIND,
    SNAPSHOT_COLUMNS,
    AddressInput,
    Jumin,
    PersonInput,
    ResidentRegistered,
    Rireki,
    label,
    person_state,
    register_household,
    search_keys,
    summary,
)
from yakuba.kernel import clock
from yakuba.uow import UnitOfWork

__all__ = ["BulkStats", "StderrProgress", "load_town"]

DEFAULT_BATCH = 5000  # residents per transaction: ~15 MB of pending rows, a few seconds of work


@dataclass
class BulkStats:
    """What a bulk load did; ``command_households`` went through the 住民記録 command (see module doc)."""

    residents: int = 0
    households: int = 0
    command_households: int = 0
    batches: int = 0
    seconds: float = 0.0
    source_seconds: float = 0.0  # time spent waiting for the household iterator (the generator)
    analyze_seconds: float = 0.0  # ANALYZE of the loaded tables (PostgreSQL), included in ``seconds``
    handler_seconds: float = 0.0  # other businesses' handlers run through UnitOfWork.dispatch
    command_seconds: float = 0.0  # households handed to the 住民記録 command


class StderrProgress:
    """A one-line progress report on stderr, redrawn at most twice a second (no extra dependency)."""

    def __init__(self, total: int | None, *, label: str = "住民", stream: TextIO | None = None) -> None:
        self.total = total
        self.label = label
        self.stream = stream or sys.stderr
        self.started = time.perf_counter()
        self._last = 0.0

    def __call__(self, done: int, *, final: bool = False) -> None:
        now = time.perf_counter()
        if not final and now - self._last < 0.5:
            return
        self._last = now
        elapsed = max(now - self.started, 1e-9)
        rate = done / elapsed
        if self.total:
            share = min(done / self.total, 1.0)
            eta = (self.total - done) / rate if rate > 0 else 0.0
            line = f"\r{self.label} {done:,}/{self.total:,} ({share:6.1%}) {rate:,.0f}/s 残り{eta:5.0f}s"
        else:
            line = f"\r{self.label} {done:,} {rate:,.0f}/s"
        self.stream.write(line + ("\n" if final else ""))
        self.stream.flush()


# --------------------------------------------------------------------------------------------------
# The load
# --------------------------------------------------------------------------------------------------


@dataclass
class _Pending:
    """One household built in memory, waiting for its 異動 id."""

    jiyu_code: str
    kind: str
    ido_date: dt.date
    todoke_date: dt.date
    late: bool
    setai_no: str
    members: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (宛名番号, snapshot state)


class _Loader:
    def __init__(self, yakuba: Yakuba, town: SyntheticTown, *, today: dt.date, batch: int, bits: int) -> None:
        self.yakuba = yakuba
        self.names = {c.code: c.name for c in town.choaza}
        self.today = today
        self.batch = max(1, batch)
        self.session = yakuba.session_factory()
        self.sink = _Sink(self.session)
        self.uow: UnitOfWork = yakuba.uow()
        self.uow.session = self.session  # the command fallback and handlers share this transaction
        self.cipher = yakuba.cipher
        self.actor = self.uow.actor
        self.bloom = _Bloom(bits)
        self.jiyu = params.get("juki.ido_jiyu", on=today)
        self.setai = _Counter("setai_no", params.get("municipal.numbering.setai_no_digits", on=today))
        self.atena = _Counter("atena_no", params.get("municipal.numbering.atena_no_digits", on=today))
        self.deadlines: dict[dt.date, int | None] = {}
        self.pending: list[_Pending] = []
        self.uncommitted = 0  # residents since the last commit: one transaction per ``batch``
        self.has_handlers: bool | None = None
        self.analyzed: list[str] | None = None  # the application's tables present in this database
        self.stats = BulkStats()

    # -- transaction boundaries ----------------------------------------------------------------

    def begin(self) -> None:
        """Start a batch: lock the numbering rows (PostgreSQL) and take their values from the database."""
        conn = self.session.connection()
        for counter in (self.setai, self.atena):
            counter.read(conn, lock=self.sink.postgres)

    def seed_bloom(self) -> None:
        """Records already on file take part in the duplicate check exactly like the ones we write."""
        current = (
            select(
                Rireki.shi,
                Rireki.mei,
                Rireki.sex,
                Rireki.birth_date,
                Rireki.mynumber_bidx,
                Rireki.jumin_code,
                Rireki.zairyu_card_no,
            )
            .join(Jumin, and_(Jumin.atena_no == Rireki.atena_no, Jumin.current_rireki_no == Rireki.rireki_no))
            .execution_options(yield_per=10_000)
        )
        for row in self.session.execute(current):
            for key in _keys(row._asdict()):
                self.bloom.add_key(key)

    def flush(self, *, commit: bool) -> None:
        """Write every pending household (and the numbering rows); optionally end the transaction."""
        if self.pending:
            self._write_pending()
        conn = self.session.connection()
        self.setai.write(conn)
        self.atena.write(conn)
        if commit:
            # Through the unit of work: handlers that batch their writes per transaction (before_commit
            # hooks) write them here, once per batch.
            self.uow.commit()
            self.uncommitted = 0
            # Handlers leave their ORM objects in this long-lived session; without this the load grows
            # by kilobytes a resident (2.8 GB at 20,000 residents with 選挙 and 附票 subscribed).
            self.session.expunge_all()
            self.stats.batches += 1
            if self.sink.postgres and self.stats.batches & (self.stats.batches - 1) == 0:
                self.analyze()  # after batches 1, 2, 4, 8 …: plans follow the tables as they grow
            self.begin()

    def analyze(self) -> None:
        """Planner statistics for the application's tables (PostgreSQL), in a transaction of its own.

        Rows that arrive by COPY leave the planner without statistics until autovacuum comes by. The
        handlers' look-ups (e.g. the last 附票 notice of a person) then scan instead of using their
        index, and every event costs more than the one before; and a fresh town's カナ search nests
        over every snapshot (≈100× slower). The command path never notices: autovacuum keeps up with it.
        """
        t0 = time.perf_counter()
        if self.analyzed is None:
            present = set(inspect(self.session.connection()).get_table_names())
            self.analyzed = [t.name for t in Base.metadata.sorted_tables if t.name in present]
        names = ", ".join(f'"{name}"' for name in self.analyzed)
        self.session.execute(text(f"ANALYZE {names}"))
        self.session.commit()
        self.stats.analyze_seconds += time.perf_counter() - t0

    # -- one household ---------------------------------------------------------------------------

    def add(self, household: SyntheticHousehold) -> None:
        arguments = household_arguments(self.names, household)
        built = self._build(arguments)
        if built is None:
            self._through_command(arguments)
        else:
            self.pending.append(built)
        self.stats.households += 1
        self.stats.residents += len(household.members)
        self.uncommitted += len(household.members)
        if self.uncommitted >= self.batch:
            self.flush(commit=True)

    def _build(self, arguments: dict[str, Any]) -> _Pending | None:
        """The household's rows as ``tennyu`` would append them, or None if the command must decide.

        Mirrors ``IdoWriter.__init__`` (事由, date checks, 届出期間経過) and ``kisai.tennyu`` (the state
        of each new record); any deviation is caught by tests/demo/test_bulk.py.
        """
        jiyu_code: str = arguments["jiyu_code"]
        persons: list[PersonInput] = arguments["persons"]
        address: AddressInput = arguments["address"]
        ido_date: dt.date = arguments["ido_date"]
        todoke_date: dt.date = arguments["todoke_date"]
        prev_address: str | None = arguments["prev_address"]
        kind = JIYU_KIND.get(jiyu_code)
        if (
            kind is None
            or jiyu_code not in self.jiyu
            or ido_date > self.today
            or todoke_date > self.today
            or (kind == "kokunai" and not prev_address)
            or sum(1 for p in persons if p.zokugara == "世帯主") != 1
        ):
            return None  # the command refuses with its own message
        states: list[dict[str, Any]] = []
        keys: list[tuple[Any, ...]] = []
        marks: list[list[int]] = []
        bloom = self.bloom
        total = len(persons)
        for index, person in enumerate(persons):
            state = person_state(self.cipher, person, where=label(index, total))
            for key in _keys(state):
                positions = bloom.positions(key)
                if key in keys or bloom.has(positions):
                    return None  # maybe a 再転入 / 二重登録 / same 氏名・性別・生年月日: the command checks
                keys.append(key)
                marks.append(positions)
            states.append(state)
        for positions in marks:
            bloom.add(positions)
        if ido_date not in self.deadlines:
            self.deadlines[ido_date] = params.in_force("juki.todokede_kikan_days", on=ido_date)
        deadline = self.deadlines[ido_date]
        late = deadline is not None and (todoke_date - ido_date).days > deadline
        setai_no = self.setai.next()
        head = next(p for p in persons if p.zokugara == "世帯主")
        head_name = f"{head.shi}\u3000{head.mei}" if head.mei else head.shi
        place = address.model_dump()
        pending = _Pending(jiyu_code, kind, ido_date, todoke_date, late, setai_no)
        for index, (person, state) in enumerate(zip(persons, states, strict=True)):
            is_birth = kind == "shussei" or (person.birth_date == ido_date and prev_address is None)
            state.update(
                setai_no=setai_no,
                jumin_jotai="01",
                setainushi_name=None if person.zokugara == "世帯主" else head_name,
                jumin_date=ido_date,
                jusho_date=ido_date,
                todoke_date=todoke_date or ido_date,
                prev_address=None if is_birth else prev_address,
                prev_postal_code=None,
                sort_order=1 + index,
                gaikokujin_date=ido_date if person.nationality else None,
                **place,
            )
            pending.members.append((self.atena.next(), state))
        return pending

    def _through_command(self, arguments: dict[str, Any]) -> None:
        """The 住民記録 command itself, in this transaction, after everything before it is written."""
        self.flush(commit=False)
        t0 = time.perf_counter()
        register_household(self.uow, **arguments, today=self.today)
        self.uow.dispatch()
        self.session.flush()
        conn = self.session.connection()
        for counter in (self.setai, self.atena):
            counter.read(conn, lock=False)  # already locked in this transaction on PostgreSQL
        for person in arguments["persons"]:
            for key in _keys(person_state(self.cipher, person)):
                self.bloom.add_key(key)
        self.stats.command_households += 1
        self.stats.command_seconds += time.perf_counter() - t0

    def _write_pending(self) -> None:
        pending, self.pending = self.pending, []
        json_out = self.sink.json
        now = clock.now()
        ids = self.sink.reserve_ids(IDO_TABLE, len(pending))
        ido_rows: list[tuple[Any, ...]] = []
        rireki_rows: list[tuple[Any, ...]] = []
        jumin_rows: list[tuple[Any, ...]] = []
        setai_rows: list[tuple[Any, ...]] = []
        events: list[list[ResidentRegistered]] = []
        for ido_id, household in zip(ids, pending, strict=True):
            ido = {
                "id": ido_id,
                "jiyu_code": household.jiyu_code,
                "ido_date": household.ido_date,
                "ido_date_text": None,
                "todoke_date": household.todoke_date,
                "shori_date": self.today,
                "moushide_date": None,
                "tsuchi_date": None,
                "shokken": False,
                "status": "hon",
                "cancels_ido_id": None,
                "operator": self.actor.login,
                "terminal": self.actor.terminal,
                "recorded_at": now,
                "confirmed_at": None,
                "confirmed_by": None,
                "note_b": None,
                "late_notification": household.late,
                "details": json_out({"kind": household.kind, "tokurei": False}),
            }
            ido_rows.append(tuple(ido[c] for c in IDO_COLUMNS))
            registered: list[ResidentRegistered] = []
            for atena_no, state in household.members:
                row = {name: state.get(name) for name in SNAPSHOT_COLUMNS}
                row.update(
                    atena_no=atena_no,
                    rireki_no=1,
                    ido_id=ido_id,
                    effective_date=household.ido_date,
                    linked_items=dict(state.get("linked_items") or {}),
                    extra=dict(state.get("extra") or {}),
                    sort_order=state.get("sort_order") or 0,
                )
                view = SimpleNamespace(**row)
                kana_key, name_key = search_keys(cast(Rireki, view))
                registered.append(
                    ResidentRegistered(
                        ido_id=ido_id,
                        jiyu_code=household.jiyu_code,
                        atena_no=atena_no,
                        setai_no=household.setai_no,
                        ido_date=household.ido_date,
                        todoke_date=household.todoke_date,
                        resident=summary(cast(Rireki, view)),
                        returning=False,
                    )
                )
                row["linked_items"] = json_out(row["linked_items"])
                row["extra"] = json_out(row["extra"])
                rireki_rows.append(tuple(row[c] for c in RIREKI_COLUMNS))
                jumin = {
                    "atena_no": atena_no,
                    "current_rireki_no": 1,
                    "version": 1,
                    "setai_no": household.setai_no,
                    "jumin_jotai": row["jumin_jotai"],
                    "jumin_shubetsu": row["jumin_shubetsu"],
                    "kana_key": kana_key,
                    "name_key": name_key,
                    "birth_date": row["birth_date"],
                    "choaza_code": row["choaza_code"],
                }
                jumin_rows.append(tuple(jumin[c] for c in JUMIN_COLUMNS))
            # The command inserts the 世帯 (version 1), then flushes its last_ido_id (2) and one member
            # count per person (+1 each): the optimistic-lock version ends at 2 + members.
            setai = {
                "setai_no": household.setai_no,
                "version": 2 + len(household.members),
                "member_count": len(household.members),
                "last_ido_id": ido_id,
            }
            setai_rows.append(tuple(setai[c] for c in SETAI_COLUMNS))
            events.append(registered)
        sink = self.sink
        sink.write(IDO_TABLE, IDO_COLUMNS, ido_rows)
        sink.write(RIREKI_TABLE, RIREKI_COLUMNS, rireki_rows)
        sink.write(JUMIN_TABLE, JUMIN_COLUMNS, jumin_rows)
        sink.write(SETAI_TABLE, SETAI_COLUMNS, setai_rows)
        if self.has_handlers is None and events and events[0]:
            self.has_handlers = bool(self.yakuba.bus.handlers_for(events[0][0]))
        if self.has_handlers:
            t0 = time.perf_counter()
            for registered in events:  # outbox rows and handlers exactly as UnitOfWork.commit orders them
                for event in registered:
                    self.uow.record(event)
                self.uow.dispatch(defer_outbox=True)  # the outbox rows once per batch, at the commit
            self.session.flush()
            self.stats.handler_seconds += time.perf_counter() - t0
            return
        outbox_rows = [
            (event.event_type, event.business, json_out(event.payload()), now, self.actor.login, None)
            for registered in events
            for event in registered
        ]
        assert OUTBOX_COLUMNS == (
            "event_type",
            "business",
            "payload",
            "recorded_at",
            "recorded_by",
            "delivered_at",
        )
        sink.write(OUTBOX_TABLE, OUTBOX_COLUMNS, outbox_rows)


def load_town(
    yakuba: Yakuba,
    town: SyntheticTown,
    households: Iterable[SyntheticHousehold],
    *,
    today: dt.date,
    batch: int = DEFAULT_BATCH,
    expected_residents: int | None = None,
    progress: Callable[..., None] | None = None,
) -> BulkStats:
    """Register every household as ``setup.load_household`` would, ``batch`` residents per transaction.

    Memory stays bounded: one batch of rows plus a Bloom filter sized once from ``expected_residents``
    (16–32 bytes a resident; 16 MiB when not given). Each batch is one transaction; an error rolls back
    the current batch only, like the command path leaves the households it already committed.
    """
    started = time.perf_counter()
    loader = _Loader(yakuba, town, today=today, batch=batch, bits=_bits_for(expected_residents))
    waited = 0.0
    try:
        loader.begin()
        loader.seed_bloom()
        iterator = iter(households)
        while True:
            t0 = time.perf_counter()
            household = next(iterator, None)
            waited += time.perf_counter() - t0
            if household is None:
                break
            loader.add(household)
            if progress is not None:
                progress(loader.stats.residents)
        loader.flush(commit=True)
        loader.session.commit()
        if loader.sink.postgres:
            loader.analyze()
        if progress is not None:
            progress(loader.stats.residents, final=True)
    except BaseException:
        loader.session.rollback()
        raise
    finally:
        loader.session.close()
    loader.stats.seconds = time.perf_counter() - started
    loader.stats.source_seconds = waited
    return loader.stats
