"""Retention of the audit log.

Entries are never deleted by the application: deleting would break the chain. Entries
older than ``security.audit.retention_years`` are only *reported* as eligible for archiving
(``archiving_report``). Archiving is an operational step: export the prefix up to the reported
checkpoint, record the checkpoint (seq and hash), remove the prefix, and from then on verify with
``verify(session, start=checkpoint)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yakuba.audit.chain import Checkpoint
from yakuba.audit.models import AuditEntry
from yakuba.audit.reviews import _lower_bound
from yakuba.params import ParameterSet, default_parameters

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class ArchiveReport:
    """Entries past retention, as a prefix of the chain that may be archived (never deleted here)."""

    cutoff: dt.date  # entries that occurred (Japan time) before this day are past retention
    count: int
    checkpoint: Checkpoint | None  # the last entry of the prefix; verify(start=checkpoint) after archiving


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 2月29日 → 2月28日
        return day.replace(year=day.year - years, day=28)


def retention_cutoff(today: dt.date, *, parameters: ParameterSet | None = None) -> dt.date:
    """Entries that occurred (Japan time) before this day are past ``security.audit.retention_years``.

    They are only eligible for archiving: the application never deletes audit entries.
    """
    parameters = parameters or default_parameters()
    years = int(parameters.get("security.audit.retention_years", on=today))
    return _years_before(today, years)


def archiving_report(
    session: Session, today: dt.date, *, parameters: ParameterSet | None = None
) -> ArchiveReport:
    """The prefix of the chain (by seq) whose entries are all past retention, with its checkpoint."""
    cutoff = retention_cutoff(today, parameters=parameters)
    boundary = _lower_bound(cutoff)
    first_kept = session.scalar(select(func.min(AuditEntry.seq)).where(AuditEntry.occurred_at >= boundary))
    last_seq = (
        int(first_kept) - 1 if first_kept is not None else session.scalar(select(func.max(AuditEntry.seq)))
    )
    if last_seq is None:
        return ArchiveReport(cutoff, 0, None)
    count = int(session.scalar(select(func.count(AuditEntry.seq)).where(AuditEntry.seq <= last_seq)) or 0)
    if count == 0:
        return ArchiveReport(cutoff, 0, None)
    last_hash = session.scalar(select(AuditEntry.entry_hash).where(AuditEntry.seq == last_seq))
    return ArchiveReport(cutoff, count, Checkpoint(int(last_seq), str(last_hash)) if last_hash else None)
