"""印鑑登録's public face: its events and the read queries others may use (issue 23).

Others import only from here (``tests/house/test_import_contract.py``): the linkage API and the
counter read a person's registrations; nobody outside 印鑑登録 touches its tables or commands.
"""

from __future__ import annotations

from yakuba.inkan.events import (
    InkanCertificateIssued,
    InkanEvent,
    InkanRegistered,
    InkanRegistrationEnded,
)
from yakuba.inkan.queries import open_registration, registrations_of

__all__ = [
    "InkanCertificateIssued",
    "InkanEvent",
    "InkanRegistered",
    "InkanRegistrationEnded",
    "open_registration",
    "registrations_of",
]
