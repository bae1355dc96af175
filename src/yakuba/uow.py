"""The unit of work: one transaction per command; services never commit.

The request (or CLI command) boundary opens a ``UnitOfWork``, calls services with it and commits.
Commit appends the recorded domain events to the outbox and dispatches them to subscribed handlers
in the same transaction; a handler's failure rolls everything back.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from yakuba.events import DomainEvent, MessageBus, OutboxEntry
from yakuba.kernel import clock

if TYPE_CHECKING:
    from collections.abc import Callable, Collection

    from yakuba.security.crypto import FieldCipher


@dataclass(frozen=True)
class Actor:
    """Who is doing the work: every history row and audit entry is attributed to one."""

    login: str
    terminal: str = "-"
    roles: tuple[str, ...] = ()
    is_contractor: bool = False


SYSTEM_ACTOR = Actor(login="system", terminal="batch")


@dataclass
class UnitOfWork:
    session_factory: sessionmaker[Session]
    bus: MessageBus
    actor: Actor = SYSTEM_ACTOR
    cipher: FieldCipher | None = None
    session: Session = field(init=False)
    _pending: deque[DomainEvent] = field(init=False, default_factory=deque)
    _before_commit: list[Callable[[UnitOfWork], None]] = field(init=False, default_factory=list)
    _seals: list[Callable[[UnitOfWork], None]] = field(init=False, default_factory=list)
    _outbox: list[dict[str, Any]] = field(init=False, default_factory=list)  # rows not yet inserted
    _committed: bool = field(init=False, default=False)
    # Per-transaction scratch space for handlers that batch their work (e.g. one 異動 for a whole run).
    scratch: dict[str, Any] = field(init=False, default_factory=dict)

    def __enter__(self) -> UnitOfWork:
        self.session = self.session_factory()
        self._pending.clear()
        self._before_commit.clear()
        self._seals.clear()
        self._outbox.clear()
        self._committed = False
        self.scratch.clear()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._committed:
            self.session.rollback()
        self.session.close()

    @property
    def field_cipher(self) -> FieldCipher:
        if self.cipher is None:
            raise RuntimeError("この処理には項目暗号化の鍵が必要です（UnitOfWork に cipher がありません）")
        return self.cipher

    @property
    def queued(self) -> Collection[DomainEvent]:
        """Events recorded and not dispatched yet (read only, not copied: thousands in a bulk load).

        A batching handler reads them to load, in one query, what the next events will need.
        """
        return self._pending

    def record(self, event: DomainEvent) -> None:
        """Queue an event; it is stored and dispatched when the unit of work commits."""
        self._pending.append(event)

    def before_commit(self, hook: Callable[[UnitOfWork], None]) -> None:
        """Run ``hook`` at the last moment of this transaction (e.g. to seal audit entries)."""
        self._before_commit.append(hook)

    def seal(self, hook: Callable[[UnitOfWork], None]) -> None:
        """Run ``hook`` after every event and ``before_commit`` hook, just before the commit itself.

        For work that takes a lock every transaction queues behind (the audit chain head): taken here,
        the lock is held for the commit only, not for the handlers of other businesses. A seal must not
        record events (they would not be dispatched).
        """
        self._seals.append(hook)

    def dispatch(self, *, defer_outbox: bool = False) -> None:
        """Store and hand out queued events until none are left (handlers may record more).

        The outbox rows are written together, in the order the events were handed out, at the end of
        the call — one INSERT of many rows rather than one per event. No handler reads the outbox, so
        the handlers need not see them earlier. ``defer_outbox`` keeps them until :meth:`write_outbox`
        or the commit (a bulk load dispatching household by household writes them once per batch).
        """
        self.session.flush()
        while self._pending:
            event = self._pending.popleft()
            self._outbox.append(
                {
                    "event_type": event.event_type,
                    "business": event.business,
                    "payload": event.payload(),
                    "recorded_at": clock.now(),
                    "recorded_by": self.actor.login,
                }
            )
            for handler in self.bus.handlers_for(event):
                handler(event, self)
                self.session.flush()
        if not defer_outbox:
            self.write_outbox()

    def write_outbox(self) -> None:
        """Insert the outbox rows of the events handed out so far (before writing the outbox directly)."""
        if self._outbox:
            rows, self._outbox = self._outbox, []
            self.session.execute(insert(OutboxEntry), rows)

    def commit(self) -> None:
        # Hooks may record events (a batching handler finishing its 異動); dispatch until both are empty.
        self.dispatch()
        while self._before_commit:
            hooks, self._before_commit = self._before_commit, []
            for hook in hooks:
                hook(self)
            self.dispatch()
        self.write_outbox()
        seals, self._seals = self._seals, []
        for hook in seals:
            hook(self)
        if self._pending:
            raise RuntimeError("封印（seal）の処理でイベントを記録することはできません")
        self.session.commit()
        self._committed = True
        self.scratch.clear()

    def rollback(self) -> None:
        self._pending.clear()
        self._before_commit.clear()
        self._seals.clear()
        self._outbox.clear()
        self.scratch.clear()
        self.session.rollback()
