"""住民記録 reacts to no other business yet; its events are consumed by 印鑑, 附票, 選挙 and 税."""

from yakuba.events import MessageBus


def register_handlers(bus: MessageBus) -> None:
    """Nothing to subscribe: 住民記録 is the source of the events others react to."""
