"""Appending to, verifying and reviewing the audit log.

**Append.** ``append`` locks the single ``audit_chain_head`` row, gives the entry the next ``seq``,
computes ``entry_hash = sha256(prev_hash + canonical JSON)`` and moves the head. It flushes and never
commits: the entry belongs to the caller's transaction. Because every append waits for that lock,
append as late as possible in a transaction (``append_at_commit`` does it as the unit of work's last
step, its ``seal``). An entry for a *failed* or *denied* request must be appended in its own unit
of work, or the rollback of the request would take it away.

**Canonical form.** The hashed document holds every column except the two hashes, keys sorted,
``ensure_ascii=False``, no whitespace, and ``occurred_at`` as UTC ISO 8601 with microseconds and
``Z`` — SQLite gives back naive datetimes and PostgreSQL aware ones; both hash the same.

**Verify.** ``verify`` streams the entries in ``seq`` order, recomputes every hash, checks every link
and the head, and names the first broken entry. The chain is tamper-*evident* against anyone who edits
rows; someone able to rewrite the whole chain and the head can only be caught by comparing with a head
hash kept outside the database (``current_head``, e.g. printed in the daily operations log).

**Retention.** Entries are never deleted by the application: deleting would break the chain. Entries
older than ``security.audit.retention_years`` are only *reported* as eligible for archiving
(``archiving_report``). Archiving is an operational step: export the prefix up to the reported
checkpoint, record the checkpoint (seq and hash), remove the prefix, and from then on verify with
``verify(session, start=checkpoint)``.

**Reviews** (住民記録システム標準仕様書 第1.0版 j1370 定型分析): night and holiday access, failed logins,
mass searches, access to 支援措置 subjects, and a general search. Times are stored in UTC and judged in
Japan time (office hours and 休日 are local notions).

The module is the audit layer's face: the work is done in :mod:`.chain` (canonical form, hashing,
append), :mod:`.verification`, :mod:`.reviews` (定型分析 and search) and :mod:`.retention`; every name
importers use is re-exported here, so ``from yakuba.audit.service import X`` keeps working.
"""

from __future__ import annotations

from yakuba.audit.chain import (
    GENESIS_HASH,
    HASHED_FIELDS,
    AuditRecord,
    Checkpoint,
    append,
    append_at_commit,
    canonical_json,
    compute_entry_hash,
    current_head,
    entry_hash_of,
)
from yakuba.audit.retention import ArchiveReport, archiving_report, retention_cutoff
from yakuba.audit.reviews import (
    FailedLoginSummary,
    OffHoursAccess,
    failed_logins,
    mass_searches,
    night_and_holiday_access,
    search,
    shien_access,
)
from yakuba.audit.verification import VerifyResult, verify

# 日本標準時. Japan has had no daylight saving time since 1951, so a fixed offset is exact for audit times
# and needs no time zone database on the server.
from yakuba.kernel.clock import JST

__all__ = [
    "GENESIS_HASH",
    "HASHED_FIELDS",
    "JST",
    "ArchiveReport",
    "AuditRecord",
    "Checkpoint",
    "FailedLoginSummary",
    "OffHoursAccess",
    "VerifyResult",
    "append",
    "append_at_commit",
    "archiving_report",
    "canonical_json",
    "compute_entry_hash",
    "current_head",
    "entry_hash_of",
    "failed_logins",
    "mass_searches",
    "night_and_holiday_access",
    "retention_cutoff",
    "search",
    "shien_access",
    "verify",
]
