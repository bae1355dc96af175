"""The bulk loader's machinery below the load itself: the Bloom filter of the duplicate pre-check,
the in-memory numbering and the sink that writes rows (``COPY`` on PostgreSQL, ``executemany`` on SQLite).

Split from :mod:`yakuba.demo.bulk` (issue 23): the loader there decides *what* to write, household by
household or through the command; this module only knows *how* rows reach the tables.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Table, insert, select, text
from sqlalchemy.orm import Session

from yakuba.events import OutboxEntry
from yakuba.juki.public import Ido, Jumin, Numbering, Rireki, Setai
from yakuba.kernel.checkdigit import atena_check_digit

# --------------------------------------------------------------------------------------------------
# Duplicate pre-check
# --------------------------------------------------------------------------------------------------


class _Bloom:
    """Set membership without false negatives in a fixed number of bits (memory bounded by design).

    Python's ``hash`` is salted per process; that is fine, the filter lives only as long as the load.
    """

    def __init__(self, bits_log2: int, hashes: int = 6) -> None:
        self.mask = (1 << bits_log2) - 1
        self.bits = bytearray(1 << (bits_log2 - 3))
        self.steps = range(hashes)

    def positions(self, key: tuple[Any, ...]) -> list[int]:
        """Kirsch–Mitzenmacher double hashing from the two halves of one 64-bit hash."""
        h = hash(key) & 0xFFFF_FFFF_FFFF_FFFF
        h1, h2 = h & 0xFFFF_FFFF, (h >> 32) | 1
        mask = self.mask
        return [(h1 + i * h2) & mask for i in self.steps]

    def add(self, positions: list[int]) -> None:
        bits = self.bits
        for p in positions:
            bits[p >> 3] |= 1 << (p & 7)

    def has(self, positions: list[int]) -> bool:
        bits = self.bits
        for p in positions:  # noqa: SIM110 - a plain loop: this runs for every key of every resident
            if not bits[p >> 3] & (1 << (p & 7)):
                return False
        return True

    def add_key(self, key: tuple[Any, ...]) -> None:
        self.add(self.positions(key))


def _bits_for(expected_residents: int | None) -> int:
    """32–64 bits per key (4 keys a person), 6 hashes: under 1 false positive in 20,000 keys.

    A false positive costs a trip through the command (whose 氏名・性別・生年月日 look-up scans
    juki_rireki), so memory is cheaper: 16–32 MiB at a million residents.
    """
    keys = 4 * (expected_residents or 1_000_000)
    bits_log2 = max(16, (keys * 32 - 1).bit_length())
    return min(bits_log2, 33)  # never above 1 GiB


def _keys(state: dict[str, Any]) -> list[tuple[Any, ...]]:
    """What ``find_returning`` looks up: the three numbers, and 氏名・性別・生年月日."""
    keys: list[tuple[Any, ...]] = []
    if state.get("mynumber_bidx"):
        keys.append(("m", state["mynumber_bidx"]))
    if state.get("jumin_code"):
        keys.append(("j", state["jumin_code"]))
    if state.get("zairyu_card_no"):
        keys.append(("z", state["zairyu_card_no"]))
    if state.get("birth_date") is not None:
        keys.append(("n", state["shi"], state["mei"], state["sex"], state["birth_date"]))
    return keys


# --------------------------------------------------------------------------------------------------
# Numbering (mirrors juki.numbering._next, in memory between batches)
# --------------------------------------------------------------------------------------------------


@dataclass
class _Counter:
    name: str
    digits: int
    serial: int = 0
    exists: bool = False
    dirty: bool = False

    def next(self) -> str:
        """The next number exactly as ``juki.numbering._next`` gives it (no check digit ⇒ skipped)."""
        serial = self.serial
        while True:
            serial += 1
            base = str(serial).zfill(self.digits - 1)
            if len(base) != self.digits - 1:
                raise RuntimeError(f"{self.name} の番号が桁数 {self.digits} を使い切りました")
            check = atena_check_digit(base)
            if check is not None:
                self.serial = serial
                self.dirty = True
                return base + str(check)

    def read(self, conn: Connection, *, lock: bool) -> None:
        query = select(Numbering.last_serial).where(Numbering.name == self.name)
        if lock:
            query = query.with_for_update()
        value = conn.execute(query).scalar_one_or_none()
        self.exists = value is not None
        self.serial = int(value or 0)
        self.dirty = False

    def write(self, conn: Connection) -> None:
        if not self.dirty:
            return
        table = cast(Table, Numbering.__table__)
        if self.exists:
            conn.execute(table.update().where(table.c.name == self.name).values(last_serial=self.serial))
        else:
            conn.execute(table.insert().values(name=self.name, last_serial=self.serial))
            self.exists = True
        self.dirty = False


# --------------------------------------------------------------------------------------------------
# Writing rows
# --------------------------------------------------------------------------------------------------


def _columns(table: Table, *, skip: Sequence[str] = ()) -> tuple[str, ...]:
    return tuple(c.key for c in table.columns if c.key not in skip)


IDO_TABLE = cast(Table, Ido.__table__)
RIREKI_TABLE = cast(Table, Rireki.__table__)
JUMIN_TABLE = cast(Table, Jumin.__table__)
SETAI_TABLE = cast(Table, Setai.__table__)
OUTBOX_TABLE = cast(Table, OutboxEntry.__table__)
IDO_COLUMNS = _columns(IDO_TABLE)  # ids are reserved so the snapshots can point at them
RIREKI_COLUMNS = _columns(RIREKI_TABLE, skip=("id",))  # serial / rowid in insertion order
JUMIN_COLUMNS = _columns(JUMIN_TABLE)
SETAI_COLUMNS = _columns(SETAI_TABLE)
OUTBOX_COLUMNS = _columns(OUTBOX_TABLE, skip=("seq",))  # delivery order = insertion order


class _Sink:
    """Writes row tuples into a table on the session's connection: COPY (PostgreSQL) or executemany."""

    def __init__(self, session: Session) -> None:
        self.session = session
        bind = session.get_bind()
        self.postgres = bind.dialect.name == "postgresql"
        serializer = getattr(bind.dialect, "_json_serializer", None) or json.dumps
        # SQLAlchemy serialises JSON columns itself on executemany; COPY needs the text.
        self.json: Callable[[Any], Any] = serializer if self.postgres else (lambda value: value)

    def write(self, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        conn = self.session.connection()
        if self.postgres:
            raw = conn.connection.driver_connection
            assert raw is not None
            names = ", ".join(f'"{c}"' for c in columns)
            with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])

    def reserve_ids(self, table: Table, count: int) -> list[int]:
        """``count`` ids for ``table`` in the order the ORM would have given them."""
        conn = self.session.connection()
        if self.postgres:
            found = conn.execute(
                text(
                    f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id')) "
                    "FROM generate_series(1, :n)"
                ),
                {"n": count},
            ).scalars()
            return sorted(int(v) for v in found)
        top = conn.execute(text(f'SELECT coalesce(max(id), 0) FROM "{table.name}"')).scalar_one()
        return list(range(int(top) + 1, int(top) + 1 + count))
