"""The composition root: builds the engine, the message bus and the business handlers from settings.

Each business exposes ``register_handlers(bus)`` in its ``handlers`` module; this is the only place
that knows the list, so a new business is one line here plus its own folder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from yakuba.config import Settings
from yakuba.db import make_engine, make_session_factory
from yakuba.events import MessageBus
from yakuba.kernel import clock as kernel_clock
from yakuba.security.crypto import FieldCipher, KeyRing
from yakuba.uow import SYSTEM_ACTOR, Actor, UnitOfWork

# Business handler modules, in the order they are wired. Each has ``register_handlers(bus)``.
HANDLER_MODULES: tuple[str, ...] = (
    "yakuba.juki.handlers",
    "yakuba.inkan.handlers",
    "yakuba.fuhyo.handlers",
    "yakuba.senkyo.handlers",
)


@dataclass
class Yakuba:
    """Everything a request or a CLI command needs, built once per process."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    cipher: FieldCipher
    bus: MessageBus = field(default_factory=MessageBus)
    # The one clock (kernel.clock) unless a caller injects another source for this container.
    clock: Callable[[], dt.datetime] = field(default=kernel_clock.now)

    def uow(self, actor: Actor = SYSTEM_ACTOR) -> UnitOfWork:
        return UnitOfWork(self.session_factory, self.bus, actor, cipher=self.cipher)

    def dispose(self) -> None:
        self.engine.dispose()


def bootstrap(settings: Settings | None = None) -> Yakuba:
    import importlib

    settings = settings or Settings()
    if settings.clock_start is not None:  # a rehearsal environment: the whole process runs on its clock
        kernel_clock.set_source(kernel_clock.running_from(settings.clock_start))
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url)
    cipher = FieldCipher(KeyRing.for_deployment(settings.key_dir))
    container = Yakuba(
        settings=settings, engine=engine, session_factory=make_session_factory(engine), cipher=cipher
    )
    from yakuba.fuhyo import config as fuhyo_config

    fuhyo_config.configure(settings)  # the 附票 needs to know which 本籍 are local
    for module_name in HANDLER_MODULES:
        importlib.import_module(module_name).register_handlers(container.bus)
    return container
