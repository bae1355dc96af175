"""Domain events, the in-process message bus, and the outbox.

A service records what happened (``uow.record(SomethingHappened(...))``). When the unit of work
commits, each event is appended to the outbox with a monotonically increasing sequence number and
handed to the handlers other businesses subscribed — inside the same transaction, so a 転出 and the
印鑑登録 抹消 it causes are committed together or not at all. External delivery reads the outbox.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict
from sqlalchemy import JSON, BigInteger, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from yakuba.db import Base
from yakuba.kernel import clock


class DomainEvent(BaseModel):
    """Something that happened in one business that others may react to. Past tense names."""

    model_config = ConfigDict(frozen=True)

    event_type: ClassVar[str] = "domain_event"
    business: ClassVar[str] = "kernel"

    def payload(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


# A handler is called as ``handler(event, uow)`` with the ``yakuba.uow.UnitOfWork`` that dispatches the
# event. The second argument is typed ``Any`` on purpose: ``yakuba.uow`` imports this module, and naming
# its class here (even only for type checking) would make the two modules import each other.
Handler = Callable[[Any, Any], None]


class MessageBus:
    """Maps event classes to in-process handlers. Built once by the composition root."""

    def __init__(self) -> None:
        self._handlers: dict[type[DomainEvent], list[Handler]] = defaultdict(list)

    def subscribe(self, event_cls: type[DomainEvent], handler: Handler) -> None:
        """Idempotent: wiring a business twice (composition root and a test) must not run it twice."""
        if handler not in self._handlers[event_cls]:
            self._handlers[event_cls].append(handler)

    def handlers_for(self, event: DomainEvent) -> list[Handler]:
        found: list[Handler] = []
        for cls in type(event).__mro__:
            if isinstance(cls, type) and issubclass(cls, DomainEvent):
                found.extend(self._handlers.get(cls, []))
        return found


class OutboxEntry(Base):
    """Every event ever recorded, in order. ``seq`` is the delivery order for external consumers."""

    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(100), index=True)
    business: Mapped[str] = mapped_column(String(30))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    recorded_by: Mapped[str | None] = mapped_column(String(64))
    delivered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
