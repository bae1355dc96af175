"""住民記録's public face: everything another business, the counter UI or a tool may use (issue 23).

Other folders import from here and from nowhere else inside ``yakuba.juki``
(``tests/house/test_import_contract.py`` enforces it), so 住民記録 can change its insides without
breaking 印鑑, 附票, 選挙, 証明書 or the taxes. What is here:

* **events** — the published language other businesses react to (``handlers`` of each business);
* **commands** — the 異動 use cases (the same functions ``juki.service`` wires for the API);
* **read queries** — the current row, a 世帯, the history, 検索, a past state as of a date;
* **visibility and 抑止 / 支援措置 checks** — every reader of personal data goes through them;
* **read models** — the row types (``Rireki``, ``Ido`` …) for type hints and read-only queries by
  the counter UI and the certificate layouts. Nobody outside 住民記録 writes them: changes go through
  the commands, which keep the history append-only and publish the events;
* **bulk registration** for the demo town and the migration loader (``person_state``, ``search_keys``).
"""

from __future__ import annotations

from yakuba.juki.base import (
    AlertConfirmationRequired,
    IdoResult,
    current_row,
    full_name,
    setai_rows,
    summary,
)
from yakuba.juki.commands._persons import label, person_state
from yakuba.juki.commands.shusei import ITEM_LABELS
from yakuba.juki.events import (
    IdoCancelled,
    JukiEvent,
    NameChanged,
    NationalityChanged,
    ResidentCorrected,
    ResidentMoved,
    ResidentRegistered,
    ResidentRemoved,
    ResidentSummary,
    SetaiChanged,
    TenshutsuConfirmed,
    TenshutsuFiled,
)
from yakuba.juki.history import SNAPSHOT_COLUMNS, resident_on, residents_on, search_keys, state_as_of
from yakuba.juki.models import Ido, Jumin, Numbering, Rireki, Setai
from yakuba.juki.queries import get_resident_row, joshohyo_retention
from yakuba.juki.queries import history as resident_history
from yakuba.juki.queries import search as search_residents
from yakuba.juki.service import (
    JIYU_KIND,
    MYNUMBER_CONTEXT,
    AddressInput,
    PersonInput,
    SetaiHenko,
    Shojo,
    Shusei,
    Tenkyo,
    Tennyu,
    Tenshutsu,
    apply_due_tenshutsu,
    confirm,
    discard,
    register_household,
    setai_henko,
    shojo,
    shusei,
    tenkyo,
    tennyu,
    tenshutsu,
)
from yakuba.juki.visibility import (
    assert_visible,
    can_see_shien,
    guard_read,
    guard_search,
    hidden_subjects,
)
from yakuba.juki.yokushi import (
    LEVELS,
    PROCESSES,
    SHIEN_KINDS,
    SHIEN_PROCESSES,
    TARGET_KINDS,
    AddedPerson,
    Kagaisha,
    ShienApplicant,
    YokushiBlocked,
    apply_shien,
    check_process,
    end_shien,
    ending_soon,
    expired,
    extend_shien,
    extension_opens,
    is_in_force,
    is_shien_subject,
    list_shien,
    list_yokushi,
    release_yokushi,
    set_yokushi,
    shien_subjects,
    subjects_of,
    temp_release,
    today_jst,
    yokushi_flags,
)
from yakuba.juki.zokugara import MemberForOrder, display_order, validate_zokugara

__all__ = [
    "ITEM_LABELS",
    "JIYU_KIND",
    "LEVELS",
    "MYNUMBER_CONTEXT",
    "PROCESSES",
    "SHIEN_KINDS",
    "SHIEN_PROCESSES",
    "SNAPSHOT_COLUMNS",
    "TARGET_KINDS",
    "AddedPerson",
    "AddressInput",
    "AlertConfirmationRequired",
    "Ido",
    "IdoCancelled",
    "IdoResult",
    "JukiEvent",
    "Jumin",
    "Kagaisha",
    "MemberForOrder",
    "NameChanged",
    "NationalityChanged",
    "Numbering",
    "PersonInput",
    "ResidentCorrected",
    "ResidentMoved",
    "ResidentRegistered",
    "ResidentRemoved",
    "ResidentSummary",
    "Rireki",
    "Setai",
    "SetaiChanged",
    "SetaiHenko",
    "ShienApplicant",
    "Shojo",
    "Shusei",
    "Tenkyo",
    "Tennyu",
    "Tenshutsu",
    "TenshutsuConfirmed",
    "TenshutsuFiled",
    "YokushiBlocked",
    "apply_due_tenshutsu",
    "apply_shien",
    "assert_visible",
    "can_see_shien",
    "check_process",
    "confirm",
    "current_row",
    "discard",
    "display_order",
    "end_shien",
    "ending_soon",
    "expired",
    "extend_shien",
    "extension_opens",
    "full_name",
    "get_resident_row",
    "guard_read",
    "guard_search",
    "hidden_subjects",
    "is_in_force",
    "is_shien_subject",
    "joshohyo_retention",
    "label",
    "list_shien",
    "list_yokushi",
    "person_state",
    "register_household",
    "release_yokushi",
    "resident_history",
    "resident_on",
    "residents_on",
    "search_keys",
    "search_residents",
    "set_yokushi",
    "setai_henko",
    "setai_rows",
    "shien_subjects",
    "shojo",
    "shusei",
    "state_as_of",
    "subjects_of",
    "summary",
    "temp_release",
    "tenkyo",
    "tennyu",
    "tenshutsu",
    "today_jst",
    "validate_zokugara",
    "yokushi_flags",
]
