"""The chokepoint that hides 支援措置 subjects (spec-resident.md §1.8; 住民基本台帳事務処理要領 第5-10).

A person protected by a 支援措置 (the 申出者 and every added person with a 宛名番号, 仮支援措置 included)
is invisible to anyone without ``juki.shien.read``: a search does not return them, and a direct read
answers exactly as if the record did not exist — the same :class:`~yakuba.errors.NotFound`, the same
message 「宛名番号 … の住民は見つかりません」, the same HTTP 404 — so the answer reveals nothing.

Every search and read of 住民記録 must pass through here:

* searches: drop :func:`hidden_subjects` (in SQL with ``not_in`` or afterwards), or call
  :func:`guard_search` with the route's :class:`~yakuba.security.auth.RequestContext`;
* reads of one person: :func:`assert_visible` before anything else, or :func:`guard_read`.

**The attempt is audited by the caller**: before raising (or returning), the route marks the person
with ``ctx.touched(atena_no, shien=True)``. The ``require`` dependency then writes the audit entry with
``shien_subject`` set — result ``failure`` and the NotFound text as the reason when the read was refused,
``success`` when a permitted person read it — so ``GET /api/v1/audit/checks?kind=shien`` lists both.
:func:`guard_read` and :func:`guard_search` do that marking themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from yakuba.errors import NotFound
from yakuba.juki.yokushi import is_shien_subject, shien_subjects, today_jst

if TYPE_CHECKING:
    from yakuba.security.auth import RequestContext

#: The text of the ordinary not-found answer (yakuba.juki.queries); the two must never differ.
NOT_FOUND_MESSAGE = "宛名番号 {atena_no} の住民は見つかりません"
SHIEN_PERMISSION = "juki.shien.read"


def not_found(atena_no: str) -> NotFound:
    """The exact error a read of a non-existent person raises."""
    return NotFound(NOT_FOUND_MESSAGE.format(atena_no=atena_no))


def hidden_subjects(session: Session, principal_can_see_shien: bool, on: dt.date) -> frozenset[str]:
    """宛名番号 the caller must not see on ``on``: every 支援措置 subject, or none with the permission."""
    if principal_can_see_shien:
        return frozenset()
    return frozenset(shien_subjects(session, on))


def assert_visible(session: Session, atena_no: str, *, can_see_shien: bool, on: dt.date) -> None:
    """Raise the ordinary :class:`NotFound` when ``atena_no`` is a 支援措置 subject the caller may not see.

    The caller audits the attempt: ``ctx.touched(atena_no, shien=True)`` before letting the error out,
    so the failure entry carries the subject and the 支援措置 flag (see the module docstring).
    """
    if not can_see_shien and is_shien_subject(session, atena_no, on):
        raise not_found(atena_no)


def can_see_shien(ctx: RequestContext) -> bool:
    """Whether the caller may see 支援措置 subjects: the permission and the policy (declared purpose …).

    The decision is logged in the audit entry's detail, like every further permission a route checks.
    """
    return ctx.allows(SHIEN_PERMISSION, sensitivity="3A").allowed


def _today(ctx: RequestContext, on: dt.date | None) -> dt.date:
    return on if on is not None else today_jst(ctx.yakuba.clock())


def guard_read(ctx: RequestContext, atena_no: str, *, on: dt.date | None = None) -> None:
    """For a route reading one person: audit a 支援措置 subject and answer 404 unless permitted."""
    session = ctx.uow.session
    day = _today(ctx, on)
    if not is_shien_subject(session, atena_no, day):
        return
    ctx.touched(atena_no, shien=True)
    if not can_see_shien(ctx):
        raise not_found(atena_no)


def guard_search(ctx: RequestContext, atena_nos: Sequence[str], *, on: dt.date | None = None) -> list[str]:
    """For a search: the 宛名番号 the caller may see, in the given order; matches with 支援措置 subjects
    are audited (``shien=True``) whether they were shown or withheld."""
    day = _today(ctx, on)
    subjects = shien_subjects(ctx.uow.session, day)
    hits = [a for a in atena_nos if a in subjects]
    if not hits:
        return list(atena_nos)
    ctx.touched(*hits, shien=True)
    if can_see_shien(ctx):
        return list(atena_nos)
    ctx.audit.detail["shien_withheld"] = len(hits)
    return [a for a in atena_nos if a not in subjects]


__all__ = [
    "NOT_FOUND_MESSAGE",
    "assert_visible",
    "can_see_shien",
    "guard_read",
    "guard_search",
    "hidden_subjects",
    "not_found",
]
