"""Events 印鑑登録 publishes (past tense) — for コンビニ交付, 宛名 and statistics. Never the 印影 itself."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from yakuba.events import DomainEvent


class InkanEvent(DomainEvent):
    business: ClassVar[str] = "inkan"
    toroku_id: int
    atena_no: str


class InkanApplicationReceived(InkanEvent):
    """登録申請を受け、照会書を送付した（回答書の提出期限まで登録されない）."""

    event_type: ClassVar[str] = "inkan.application_received"
    shokaisho_date: dt.date
    kaito_deadline: dt.date


class InkanRegistered(InkanEvent):
    """印鑑を登録し、印鑑登録証を交付した."""

    event_type: ClassVar[str] = "inkan.registered"
    toroku_no: str
    toroku_date: dt.date
    kakunin_hoho: str


class InkanNotRegistered(InkanEvent):
    """照会による申請が登録に至らなかった（回答期限の経過・本人の意思でない・取下げ・資格の喪失）."""

    event_type: ClassVar[str] = "inkan.not_registered"
    jiyu: str
    end_date: dt.date


class InkanRegistrationEnded(InkanEvent):
    """印鑑登録を抹消した（申請・届出または職権）."""

    event_type: ClassVar[str] = "inkan.registration_ended"
    toroku_no: str
    jiyu: str
    end_date: dt.date
    shokken: bool


class InkanEndDateCorrected(InkanEvent):
    """抹消日を訂正した（転入通知で転出の確定日が予定日より早かった）."""

    event_type: ClassVar[str] = "inkan.end_date_corrected"
    toroku_no: str
    previous_end_date: dt.date | None
    end_date: dt.date


class InkanRegistrationRestored(InkanEvent):
    """抹消の原因となった住民記録の異動が取り消され、登録を回復した."""

    event_type: ClassVar[str] = "inkan.registration_restored"
    toroku_no: str


class InkanNameConfirmationReopened(InkanEvent):
    """氏名等が変わったので、登録印鑑が氏名等を表しているかの確認が必要になった."""

    event_type: ClassVar[str] = "inkan.name_confirmation_reopened"
    ido_id: int | None


class InkanNameConfirmed(InkanEvent):
    """登録印鑑が記録された氏名等（represents）を表していることを職員が確認した."""

    event_type: ClassVar[str] = "inkan.name_confirmed"
    represents: str


class InkanCardChanged(InkanEvent):
    """印鑑登録証の交付・亡失・返還・無効・回復."""

    event_type: ClassVar[str] = "inkan.card_changed"
    card_no: str
    action: str  # kofu / boshitsu / kaishu / mukou / fukki


class InkanCertificateIssued(InkanEvent):
    """印鑑登録証明書を交付した（交付履歴は shomei_issuance）."""

    event_type: ClassVar[str] = "inkan.certificate_issued"
    issuance_id: str
    fee: int
