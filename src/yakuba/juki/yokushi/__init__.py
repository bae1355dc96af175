"""抑止 and 支援措置 (住民記録システム標準仕様書 第1.0版 j410–j450; spec-resident.md §1.8). Never commits.

**抑止** targets a person (宛名番号) or a 世帯 (世帯番号) for one process — 異動入力 (``ido``), 証明書発行
(``certificate``) or 照会 (``inquiry``) — at level ``error`` (the process stops: :class:`YokushiBlocked`)
or ``alert`` (the clerk is warned and may go on after confirming). Several may coexist. An 抑止 never
ends by itself: its end date is informational and it stays in force until released. A 一時解除 lasts
``juki.yokushi.temp_release_minutes`` at most and then reverts on its own; it is not sent to other
systems (コンビニ交付 included), so it records no event. Setting and releasing record
:class:`YokushiChanged` for 宛名, コンビニ交付 and 住基ネットCS. An ``ido`` 抑止 stops the input screen; it
is not a ground to refuse a 住民異動届 (不受理 by 抑止 is forbidden), which is received and entered once
released.

**支援措置** (DV・ストーカー行為等・児童虐待等; 住民基本台帳事務処理要領 第5-10) protects the 申出者 and the
persons added to the request: the processes listed in the request (住民票の写し等, 除票, 附票, 閲覧 …) are
blocked at error level, and the visibility chokepoint (:mod:`yakuba.juki.visibility`) hides them from
anyone without ``juki.shien.read``. The period is ``juki.shien_sochi.period_months`` counted by 民法第143条
(開始 令和2年4月1日 → 終了 令和3年3月31日); an extension is accepted from
``juki.shien_sochi.extension_window_months`` before the end and is a new row running from the day after.
A 仮支援措置 protects from its start, before the decision. Past its end date a period with no
continuation keeps protecting (fail-safe, like every 抑止) until a clerk ends it; :func:`expired` lists
those for the alert the spec asks for, :func:`ending_soon` those inside the extension window.

Every ``now`` is an aware datetime (a naive one is taken as UTC); dates are judged in Asia/Tokyo.

The package is split by responsibility (issue 23): :mod:`.rules` (vocabularies, errors, dates, pure rules),
:mod:`.events`, :mod:`.inputs`, :mod:`.caches` (generations and the caches under them), :mod:`.queries`
(checks and lists) and :mod:`.commands`. Importers keep using ``yakuba.juki.yokushi``.
"""

from yakuba.juki.yokushi.caches import protecting, shien_subjects
from yakuba.juki.yokushi.commands import (
    apply_shien,
    end_shien,
    extend_shien,
    release_yokushi,
    set_yokushi,
    temp_release,
)
from yakuba.juki.yokushi.events import ShienChanged, YokushiChanged
from yakuba.juki.yokushi.inputs import AddedPerson, Kagaisha, ShienApplicant
from yakuba.juki.yokushi.queries import (
    active_yokushi,
    check_process,
    ending_soon,
    expired,
    is_shien_subject,
    list_shien,
    list_yokushi,
    shien_protecting,
    yokushi_flags,
)
from yakuba.juki.yokushi.rules import (
    CHECKABLE_PROCESSES,
    LEVELS,
    PROCESSES,
    SHIEN_KINDS,
    SHIEN_PROCESSES,
    TARGET_KINDS,
    YokushiBlocked,
    YokushiWarning,
    extension_opens,
    is_in_force,
    period_end,
    subjects_of,
    today_jst,
)

__all__ = [
    "CHECKABLE_PROCESSES",
    "LEVELS",
    "PROCESSES",
    "SHIEN_KINDS",
    "SHIEN_PROCESSES",
    "TARGET_KINDS",
    "AddedPerson",
    "Kagaisha",
    "ShienApplicant",
    "ShienChanged",
    "YokushiBlocked",
    "YokushiChanged",
    "YokushiWarning",
    "active_yokushi",
    "apply_shien",
    "check_process",
    "end_shien",
    "ending_soon",
    "expired",
    "extend_shien",
    "extension_opens",
    "is_in_force",
    "is_shien_subject",
    "list_shien",
    "list_yokushi",
    "period_end",
    "protecting",
    "release_yokushi",
    "set_yokushi",
    "shien_protecting",
    "shien_subjects",
    "subjects_of",
    "temp_release",
    "today_jst",
    "yokushi_flags",
]
