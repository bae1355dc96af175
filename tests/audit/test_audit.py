"""The audit log: hash chain (append, verify, tampering found), canonical hashing, reviews, retention.

Runs on SQLite and on PostgreSQL (YAKUBA_TEST_DATABASE_URL). Times are stored in UTC and judged in
Japan time: 22:00 JST is 13:00 UTC the same day.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import delete, inspect, text, update

from yakuba.audit import service
from yakuba.audit.models import AuditChainHead, AuditEntry
from yakuba.audit.service import JST, AuditRecord, Checkpoint
from yakuba.bootstrap import Yakuba
from yakuba.db import make_engine
from yakuba.errors import InputError
from yakuba.uow import Actor

_TABLES = (AuditEntry.__table__, AuditChainHead.__table__)


@pytest.fixture(scope="session")
def audit_tables(database_url: str) -> Iterator[None]:
    """Create the audit tables unless the migrations already did; drop only what was created here.

    Requested before ``yakuba`` so that its emptying of every known table finds them.
    """
    engine = make_engine(database_url)
    existing = set(inspect(engine).get_table_names())
    created = [t for t in _TABLES if t.name not in existing]
    for table in created:
        table.create(engine, checkfirst=True)
    engine.dispose()
    yield
    engine = make_engine(database_url)
    for table in reversed(created):
        table.drop(engine, checkfirst=True)
    engine.dispose()


def _empty(container: Yakuba) -> None:
    with container.engine.begin() as conn:
        for table in _TABLES:
            conn.execute(delete(table))


@pytest.fixture
def app(audit_tables: None, yakuba: Yakuba) -> Iterator[Yakuba]:
    _empty(yakuba)
    try:
        yield yakuba
    finally:
        _empty(yakuba)


def _jst(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=JST)


def _record(**overrides: Any) -> AuditRecord:
    fields: dict[str, Any] = {
        "login": "tanaka",
        "terminal": "T-0101",
        "roles": ("juki_clerk",),
        "category": "access",
        "operation": "GET /api/v1/juki/residents/{atena_no}",
        "permission": "juki:resident:read",
        "subjects": ("0000000011",),
        "purpose": "住民票の写しの交付",
        "result": "success",
        "record_count": 1,
        "occurred_at": _jst(2026, 11, 24, 10, 0),
    }
    fields.update(overrides)
    return AuditRecord(**fields)


def _append_many(app: Yakuba, n: int, **overrides: Any) -> list[AuditEntry]:
    entries = []
    with app.uow() as uow:
        for i in range(n):
            entries.append(service.append(uow.session, _record(detail={"i": i}, **overrides)))
        uow.commit()
    return entries


def _verify(app: Yakuba, **kwargs: Any) -> service.VerifyResult:
    with app.session_factory() as session:
        return service.verify(session, **kwargs)


def _execute(app: Yakuba, statement: Any, **params: Any) -> None:
    with app.engine.begin() as conn:
        conn.execute(statement, params)


# --- the chain ----------------------------------------------------------------------------------


def test_appended_entries_form_a_chain_that_verifies(app: Yakuba) -> None:
    entries = _append_many(app, 5)

    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == service.GENESIS_HASH
    assert all(b.prev_hash == a.entry_hash for a, b in itertools.pairwise(entries))
    result = _verify(app)
    assert result.ok, result.reason
    assert (result.checked, result.first_broken_seq) == (5, None)
    with app.session_factory() as session:
        assert service.current_head(session) == Checkpoint(5, entries[-1].entry_hash)


def test_an_empty_log_verifies(app: Yakuba) -> None:
    assert _verify(app) == service.VerifyResult(True, 0, None, "監査ログはまだありません")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("login", "mallory"),
        ("subjects", ["0000000099"]),
        ("record_count", 0),
        ("mynumber_revealed", True),
        ("result", "denied"),
        ("occurred_at", dt.datetime(2026, 11, 24, 1, 0, 0, 1, tzinfo=dt.UTC)),  # one microsecond later
        ("detail", {"i": 2, "note": "追記"}),
    ],
)
def test_changing_one_column_of_a_middle_entry_names_that_entry(app: Yakuba, column: str, value: Any) -> None:
    _append_many(app, 5)

    table = AuditEntry.__table__
    _execute(app, update(table).where(table.c.seq == 3).values({column: value}))

    result = _verify(app)
    assert not result.ok
    assert result.first_broken_seq == 3
    assert result.checked == 2
    assert result.reason == "監査ログ 3 番の内容が改ざんされています"


def test_a_raw_sql_update_is_found(app: Yakuba) -> None:
    _append_many(app, 4)

    _execute(app, text("UPDATE audit_log SET purpose = :p WHERE seq = :s"), p="私的な興味", s=2)

    assert _verify(app).first_broken_seq == 2


def test_deleting_a_middle_entry_names_the_gap(app: Yakuba) -> None:
    _append_many(app, 5)

    _execute(app, text("DELETE FROM audit_log WHERE seq = 3"))

    result = _verify(app)
    assert not result.ok
    assert result.first_broken_seq == 3
    assert result.reason == "監査ログ 2 番の次の記録（3 番）が削除されています"


def test_deleting_the_first_entries_is_found(app: Yakuba) -> None:
    _append_many(app, 4)

    _execute(app, text("DELETE FROM audit_log WHERE seq <= 2"))

    result = _verify(app)
    assert result.first_broken_seq == 1
    assert result.reason == "監査ログの最初の記録（1 番〜2 番）が削除されています"


def test_deleting_the_last_entries_is_found_through_the_head(app: Yakuba) -> None:
    _append_many(app, 5)

    _execute(app, text("DELETE FROM audit_log WHERE seq >= 4"))

    result = _verify(app)
    assert not result.ok
    assert (result.checked, result.first_broken_seq) == (3, 4)
    assert result.reason == "監査ログ 3 番の次の記録（4 番〜5 番）が削除されています"


def test_deleting_everything_is_found_through_the_head(app: Yakuba) -> None:
    _append_many(app, 2)

    _execute(app, text("DELETE FROM audit_log"))

    assert _verify(app).reason == "監査ログの最初の記録（1 番〜2 番）が削除されています"


def test_changing_prev_hash_is_found(app: Yakuba) -> None:
    entries = _append_many(app, 5)

    _execute(app, text("UPDATE audit_log SET prev_hash = :h WHERE seq = 4"), h=entries[0].entry_hash)

    result = _verify(app)
    assert result.first_broken_seq == 4
    assert result.reason == "監査ログ 4 番の前の記録との連結（prev_hash）が一致しません"


def test_rewriting_an_entry_with_a_fresh_hash_breaks_the_link_to_the_next(app: Yakuba) -> None:
    _append_many(app, 5)
    _forge(app, seq=3, login="mallory")

    result = _verify(app)
    # the forged entry itself looks consistent; its successor's link does not
    assert result.first_broken_seq == 4
    assert result.reason == "監査ログ 4 番の前の記録との連結（prev_hash）が一致しません"


def test_rewriting_the_last_entry_with_a_fresh_hash_is_found_through_the_head(app: Yakuba) -> None:
    _append_many(app, 5)
    _forge(app, seq=5, login="mallory")

    result = _verify(app)
    assert result.first_broken_seq == 5
    assert result.reason == "監査ログ 5 番が書き換えられています（先頭管理行のハッシュと一致しません）"


def _forge(app: Yakuba, *, seq: int, login: str) -> None:
    """What an intruder who knows the algorithm does: change a row and recompute its own hash."""
    with app.session_factory() as session:
        entry = session.get(AuditEntry, seq)
        assert entry is not None
        entry.login = login
        entry.entry_hash = service.entry_hash_of(entry)
        session.commit()


def test_a_removed_head_row_is_reported(app: Yakuba) -> None:
    _append_many(app, 2)

    _execute(app, delete(AuditChainHead.__table__))

    result = _verify(app)
    assert not result.ok
    assert "先頭管理行" in result.reason


def test_the_hash_is_the_same_before_insert_and_read_back(app: Yakuba) -> None:
    # A non-UTC aware time with microseconds, non-ASCII text, nested JSON and every flag set.
    record = _record(
        occurred_at=dt.datetime(2026, 11, 24, 22, 5, 7, 123456, tzinfo=JST),
        purpose="児童手当の認定（世帯全員の確認）",
        subjects=("0000000011", "0000000029"),
        roles=("juki_clerk", "juki_supervisor"),
        client_ip="10.1.2.3",
        reason=None,
        mynumber_revealed=True,
        contractor=True,
        shien_subject=True,
        record_count=2,
        detail={"filters": {"氏名": "ヤマダ", "age": [18, None]}, "ratio": 0.1, "page": 1},
    )
    with app.uow() as uow:
        entry = service.append(uow.session, record)
        before = entry.entry_hash
        assert service.entry_hash_of(entry) == before
        uow.commit()

    with app.session_factory() as session:
        stored = session.get(AuditEntry, entry.seq)
        assert stored is not None
        assert service.entry_hash_of(stored) == before
        assert stored.entry_hash == before
        assert service.canonical_json(
            {n: getattr(stored, n) for n in service.HASHED_FIELDS}
        ) == service.canonical_json({n: getattr(entry, n) for n in service.HASHED_FIELDS})
    assert '"occurred_at":"2026-11-24T13:05:07.123456Z"' in service.canonical_json(
        {n: getattr(entry, n) for n in service.HASHED_FIELDS}
    )
    assert "児童手当" in service.canonical_json({n: getattr(entry, n) for n in service.HASHED_FIELDS})
    assert _verify(app).ok


def test_naive_and_aware_utc_times_hash_the_same() -> None:
    values: dict[str, Any] = {n: None for n in service.HASHED_FIELDS}
    values.update(seq=1, record_count=0, subjects=[], detail={})
    aware = dict(values, occurred_at=dt.datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=dt.UTC))
    naive = dict(values, occurred_at=dt.datetime(2026, 1, 2, 3, 4, 5, 6))
    in_jst = dict(values, occurred_at=dt.datetime(2026, 1, 2, 12, 4, 5, 6, tzinfo=JST))
    hashes = {service.compute_entry_hash(service.GENESIS_HASH, v) for v in (aware, naive, in_jst)}
    assert len(hashes) == 1


def test_overlong_text_is_clipped_to_its_column_and_still_verifies(app: Yakuba) -> None:
    with app.uow() as uow:
        entry = service.append(uow.session, _record(operation="GET /" + "x" * 300, reason="理" * 500))
        uow.commit()
    assert len(entry.operation) == 200
    assert entry.reason is not None and len(entry.reason) == 400
    assert _verify(app).ok


def test_unknown_category_or_result_is_rejected(app: Yakuba) -> None:
    with app.uow() as uow:
        with pytest.raises(ValueError, match="区分"):
            service.append(uow.session, _record(category="read"))
        with pytest.raises(ValueError, match="結果"):
            service.append(uow.session, _record(result="ok"))


def test_append_at_commit_seals_the_entry_with_the_transaction(app: Yakuba) -> None:
    actor = Actor(login="sato", terminal="T-0202", roles=("juki_clerk",), is_contractor=True)
    with app.uow(actor) as uow:
        service.append_at_commit(
            uow, AuditRecord.for_actor(actor, category="admin", operation="grant", result="success")
        )
        uow.commit()
    with app.uow(actor) as uow:
        service.append_at_commit(
            uow, AuditRecord.for_actor(actor, category="admin", operation="lost", result="success")
        )
        # no commit: rolled back together with the business transaction

    with app.session_factory() as session:
        rows = service.search(session)
    assert [(e.login, e.terminal, e.roles, e.contractor, e.operation) for e in rows] == [
        ("sato", "T-0202", "juki_clerk", True, "grant")
    ]
    assert _verify(app).ok


def test_concurrent_appends_keep_one_unbroken_chain(app: Yakuba) -> None:
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(8):
                with app.uow() as uow:
                    service.append(uow.session, _record(login=f"user{n}", detail={"i": i}))
                    uow.commit()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    result = _verify(app)
    assert result.ok, result.reason
    assert result.checked == 32


# --- reviews ------------------------------------------------------------------------------------


def _seed(app: Yakuba, records: list[AuditRecord]) -> list[AuditEntry]:
    with app.uow() as uow:
        entries = [service.append(uow.session, r) for r in records]
        uow.commit()
    return entries


def test_night_and_holiday_access_is_judged_in_japan_time(app: Yakuba) -> None:
    # 2026-11-24 is a Tuesday; office hours 08:30–17:15 (security.audit.office_hours).
    # 2026-11-23 is 勤労感謝の日 (国民の祝日に関する法律第2条); 2026-11-21 is a Saturday;
    # 2026-01-02 (a Friday) is in the 年末年始 closure of the 休日条例.
    cases = {
        "night_22": (_jst(2026, 11, 24, 22, 0), "勤務時間外（22:00）"),
        "early": (_jst(2026, 11, 24, 8, 29), "勤務時間外（08:29）"),
        "opening": (_jst(2026, 11, 24, 8, 30), None),
        "before_close": (_jst(2026, 11, 24, 17, 14, 59), None),
        "closing": (_jst(2026, 11, 24, 17, 15), "勤務時間外（17:15）"),
        # 07:00 UTC is 16:00 in Japan: in office hours (a UTC reading would call it early morning)
        "utc_morning": (dt.datetime(2026, 11, 24, 7, 0, tzinfo=dt.UTC), None),
        # 2026-11-22 16:00 UTC is 2026-11-23 01:00 in Japan: the holiday
        "utc_sunday_evening": (dt.datetime(2026, 11, 22, 16, 0, tzinfo=dt.UTC), "休日（勤労感謝の日）"),
        "holiday_noon": (_jst(2026, 11, 23, 12, 0), "休日（勤労感謝の日）"),
        "saturday": (_jst(2026, 11, 21, 10, 0), "休日（土曜日）"),
        "nenmatsu": (_jst(2026, 1, 2, 10, 0), "休日（年末年始の休日）"),
    }
    records = [_record(occurred_at=at, detail={"case": case}) for case, (at, _) in cases.items()]
    records.append(_record(category="auth", operation="login", occurred_at=_jst(2026, 11, 24, 23, 0)))
    _seed(app, records)

    with app.session_factory() as session:
        found = service.night_and_holiday_access(session, dt.date(2026, 1, 1), dt.date(2026, 11, 30))
        november = service.night_and_holiday_access(session, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
        with_logins = service.night_and_holiday_access(
            session, dt.date(2026, 11, 24), dt.date(2026, 11, 24), categories=("access", "auth")
        )

    got = {f.entry.detail["case"]: f.reason for f in found}
    assert got == {case: reason for case, (_, reason) in cases.items() if reason is not None}
    assert "nenmatsu" not in {f.entry.detail.get("case") for f in november}
    assert [f.local_time for f in found if f.entry.detail["case"] == "utc_sunday_evening"] == [
        _jst(2026, 11, 23, 1, 0)
    ]
    assert "login" in {f.entry.operation for f in with_logins}


def test_failed_logins_are_counted_per_login(app: Yakuba) -> None:
    def auth(login: str, result: str, at: dt.datetime) -> AuditRecord:
        return _record(
            login=login, category="auth", operation="login", result=result, subjects=(), occurred_at=at
        )

    _seed(
        app,
        [
            auth("alice", "failure", _jst(2026, 11, 20, 9, 0)),
            auth("alice", "failure", _jst(2026, 11, 20, 9, 1)),
            auth("alice", "failure", _jst(2026, 11, 20, 9, 2)),
            auth("alice", "success", _jst(2026, 11, 20, 9, 3)),
            auth("bob", "failure", _jst(2026, 11, 20, 9, 0)),
            auth("carol", "denied", _jst(2026, 11, 21, 3, 0)),
            auth("carol", "failure", _jst(2026, 11, 21, 3, 1)),
            auth("dave", "failure", _jst(2026, 10, 1, 9, 0)),  # before the period
            auth("dave", "failure", _jst(2026, 10, 1, 9, 1)),
            _record(login="erin", result="failure", occurred_at=_jst(2026, 11, 20, 9, 0)),  # not auth
            _record(login="erin", result="failure", occurred_at=_jst(2026, 11, 20, 9, 1)),
        ],
    )
    with app.session_factory() as session:
        two_or_more = service.failed_logins(session, dt.date(2026, 11, 1), 2)
        by_default = service.failed_logins(session, dt.date(2026, 11, 1))

    assert [(s.login, s.failures) for s in two_or_more] == [("alice", 3), ("carol", 2)]
    assert two_or_more[0].first_at == _jst(2026, 11, 20, 9, 0)
    assert two_or_more[0].last_at == _jst(2026, 11, 20, 9, 2)
    assert [(s.login, s.failures) for s in by_default] == [("alice", 3)]  # review threshold 3


def test_mass_searches_use_the_threshold_parameter(app: Yakuba) -> None:
    _seed(
        app,
        [
            _record(record_count=99, detail={"n": 99}),
            _record(record_count=100, detail={"n": 100}),
            _record(record_count=5000, detail={"n": 5000}),
            _record(record_count=5000, category="system", detail={"n": -1}),  # batch, not a search
            _record(record_count=5000, occurred_at=_jst(2026, 10, 1, 10, 0), detail={"n": -2}),
        ],
    )
    with app.session_factory() as session:
        default = service.mass_searches(session, dt.date(2026, 11, 1))
        large = service.mass_searches(session, dt.date(2026, 11, 1), 1000)

    assert [e.detail["n"] for e in default] == [100, 5000]
    assert [e.detail["n"] for e in large] == [5000]


def test_access_to_shien_subjects_is_listed(app: Yakuba) -> None:
    _seed(
        app,
        [
            _record(subjects=("0000000011",)),
            _record(subjects=("0000000037",), shien_subject=True, result="denied"),
            _record(subjects=("0000000037",), shien_subject=True, occurred_at=_jst(2026, 1, 5, 10, 0)),
        ],
    )
    with app.session_factory() as session:
        found = service.shien_access(session, dt.date(2026, 11, 1))
    assert [(e.subjects, e.result) for e in found] == [(["0000000037"], "denied")]


def test_search_filters_and_pages_newest_first(app: Yakuba) -> None:
    entries = _seed(
        app,
        [
            _record(login="tanaka", subjects=("0000000011",), occurred_at=_jst(2026, 11, 2, 10, 0)),
            _record(login="suzuki", subjects=("00000000111", "0000000029")),
            _record(login="tanaka", subjects=("0000000029", "0000000011"), result="denied"),
            _record(login="tanaka", category="auth", operation="login", subjects=()),
        ],
    )
    with app.session_factory() as session:

        def seqs(**kwargs: Any) -> list[int]:
            return [e.seq for e in service.search(session, **kwargs)]

        assert seqs() == [4, 3, 2, 1]
        assert seqs(subject="0000000011") == [3, 1]  # not 00000000111
        assert seqs(subject="0000000029") == [3, 2]
        assert seqs(login="tanaka", category="access") == [3, 1]
        assert seqs(result="denied") == [3]
        assert seqs(start=dt.date(2026, 11, 24), end=dt.date(2026, 11, 24)) == [4, 3, 2]
        assert seqs(end=dt.date(2026, 11, 2)) == [1]
        assert seqs(limit=2) == [4, 3]
        assert seqs(limit=2, offset=2) == [2, 1]
        assert seqs(subject="0000000%") == []
        with pytest.raises(
            InputError, match="対象者の宛名番号"
        ):  # a 422 naming the field, not a 500 (issue 24)
            seqs(subject='0"')
    assert entries[0].seq == 1


# --- retention ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "cutoff"),
    [
        (dt.date(2026, 11, 26), dt.date(2019, 11, 26)),
        (dt.date(2028, 2, 29), dt.date(2021, 2, 28)),  # 2月29日 → 2月28日
    ],
)
def test_retention_cutoff_follows_the_parameter(today: dt.date, cutoff: dt.date) -> None:
    # security.audit.retention_years = 7 (default; a municipal setting)
    assert service.retention_cutoff(today) == cutoff


def test_expired_entries_are_only_reported_and_verify_from_the_archive_checkpoint(app: Yakuba) -> None:
    entries = _seed(
        app,
        [
            _record(occurred_at=_jst(2018, 4, 1, 10, 0)),
            _record(occurred_at=_jst(2019, 11, 25, 23, 59)),  # last day past retention on 2026-11-26
            _record(occurred_at=_jst(2019, 11, 26, 0, 0)),  # still kept
            _record(occurred_at=_jst(2026, 11, 26, 9, 0)),
        ],
    )
    with app.session_factory() as session:
        report = service.archiving_report(session, dt.date(2026, 11, 26))
    assert report == service.ArchiveReport(dt.date(2019, 11, 26), 2, Checkpoint(2, entries[1].entry_hash))
    with app.session_factory() as session:
        assert session.query(AuditEntry).count() == 4  # nothing was deleted

    # The operational archiving step: export, note the checkpoint, remove the prefix.
    _execute(app, text("DELETE FROM audit_log WHERE seq <= 2"))
    assert _verify(app).first_broken_seq == 1
    result = _verify(app, start=report.checkpoint)
    assert result.ok, result.reason
    assert result.checked == 2


def test_nothing_to_archive(app: Yakuba) -> None:
    _seed(app, [_record()])
    with app.session_factory() as session:
        assert service.archiving_report(session, dt.date(2026, 11, 26)).count == 0
