"""Verifying the hash chain (``yakuba audit verify``).

**Verify.** ``verify`` streams the entries in ``seq`` order, recomputes every hash, checks every link
and the head, and names the first broken entry. The chain is tamper-*evident* against anyone who edits
rows; someone able to rewrite the whole chain and the head can only be caught by comparing with a head
hash kept outside the database (``current_head``, e.g. printed in the daily operations log).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from yakuba.audit.chain import (
    _HEAD_ID,
    _STREAM_BATCH,
    GENESIS_HASH,
    HASHED_FIELDS,
    Checkpoint,
    compute_entry_hash,
)
from yakuba.audit.models import AuditChainHead, AuditEntry

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_broken_seq: int | None
    reason: str


def _span(first: int, last: int) -> str:
    return f"{first} 番" if first == last else f"{first} 番〜{last} 番"


def _deleted(previous: int, first_missing: int, last_missing: int, checked: int) -> VerifyResult:
    span = _span(first_missing, last_missing)
    if previous < 1:
        reason = f"監査ログの最初の記録（{span}）が削除されています"
    else:
        reason = f"監査ログ {previous} 番の次の記録（{span}）が削除されています"
    return VerifyResult(False, checked, first_missing, reason)


def verify(
    session: Session, *, start: Checkpoint | None = None, batch_size: int = _STREAM_BATCH
) -> VerifyResult:
    """Recompute the chain and report the first broken entry (with a Japanese reason).

    ``start`` is the checkpoint of an archived prefix (the entries up to it are no longer here).
    Entries appended after the head was read (by concurrent requests) are left for the next run.
    """
    head = session.execute(
        select(AuditChainHead.last_seq, AuditChainHead.last_hash).where(AuditChainHead.id == _HEAD_ID)
    ).first()
    expected_seq = start.seq + 1 if start else 1
    expected_prev = start.entry_hash if start else GENESIS_HASH
    table = AuditEntry.__table__
    stmt = select(table).where(table.c.seq >= expected_seq).order_by(table.c.seq)
    if head is not None:
        stmt = stmt.where(table.c.seq <= head.last_seq)
    checked = 0
    result = session.execute(stmt.execution_options(yield_per=batch_size))
    try:
        for row in result.mappings():
            seq = int(row["seq"])
            if seq != expected_seq:
                return _deleted(expected_seq - 1, expected_seq, seq - 1, checked)
            if row["prev_hash"] != expected_prev:
                return VerifyResult(
                    False, checked, seq, f"監査ログ {seq} 番の前の記録との連結（prev_hash）が一致しません"
                )
            if compute_entry_hash(row["prev_hash"], {n: row[n] for n in HASHED_FIELDS}) != row["entry_hash"]:
                return VerifyResult(False, checked, seq, f"監査ログ {seq} 番の内容が改ざんされています")
            checked += 1
            expected_prev = row["entry_hash"]
            expected_seq = seq + 1
    finally:
        result.close()
    last = expected_seq - 1
    if head is None:
        if checked == 0 and start is None:
            return VerifyResult(True, 0, None, "監査ログはまだありません")
        return VerifyResult(
            False,
            checked,
            None,
            "監査ログの先頭管理行（audit_chain_head）がありません（削除されたおそれがあります）",
        )
    head_seq = int(head.last_seq)
    if head_seq > last:
        return _deleted(last, last + 1, head_seq, checked)
    if head_seq < last:  # only with a start checkpoint beyond the head
        return VerifyResult(
            False, checked, head_seq + 1, f"監査ログの先頭管理行（{head_seq} 番）が起点より前です"
        )
    if last > 0 and head.last_hash != expected_prev:
        return VerifyResult(
            False,
            checked,
            last,
            f"監査ログ {last} 番が書き換えられています（先頭管理行のハッシュと一致しません）",
        )
    return VerifyResult(
        True, checked, None, f"監査ログ {checked} 件のハッシュ連鎖を確認しました（異常はありません）"
    )
