"""選挙人名簿管理 commands and queries — the façade the API, the screens and the CLI call.

Commands take a ``UnitOfWork`` and never commit; queries take a ``Session``.
"""

from __future__ import annotations

from yakuba.senkyo.batch import BatchResult, daily_batch
from yakuba.senkyo.etsuran import EtsuranInput, kohyo, record_viewing, refusal_notice
from yakuba.senkyo.etsuran import apply as apply_etsuran
from yakuba.senkyo.etsuran import decide as decide_etsuran
from yakuba.senkyo.meibo import current, entries_as_of, entry_view, history
from yakuba.senkyo.outputs import counts, nyujoken, shohon, to_csv
from yakuba.senkyo.projection import rebuild as rebuild_projection
from yakuba.senkyo.shikaku import TeishiInput, TsuhoInput, cancel_teishi, record_other_roll, record_teishi
from yakuba.senkyo.tohyoku import MasterInput, define_master, reassign_all
from yakuba.senkyo.toroku import (
    ElectionInput,
    RunResult,
    define_election,
    hosei_toroku,
    omissions,
    plan_teiji,
    run_senkyoji,
    run_teiji,
    run_view,
)
from yakuba.senkyo.zaigai import Municipality, ZaigaiInput, shosho
from yakuba.senkyo.zaigai import apply as apply_zaigai
from yakuba.senkyo.zaigai import massho as massho_zaigai
from yakuba.senkyo.zaigai import register as register_zaigai

__all__ = [
    "BatchResult",
    "ElectionInput",
    "EtsuranInput",
    "MasterInput",
    "Municipality",
    "RunResult",
    "TeishiInput",
    "TsuhoInput",
    "ZaigaiInput",
    "apply_etsuran",
    "apply_zaigai",
    "cancel_teishi",
    "counts",
    "current",
    "daily_batch",
    "decide_etsuran",
    "define_election",
    "define_master",
    "entries_as_of",
    "entry_view",
    "history",
    "hosei_toroku",
    "kohyo",
    "massho_zaigai",
    "nyujoken",
    "omissions",
    "plan_teiji",
    "reassign_all",
    "rebuild_projection",
    "record_other_roll",
    "record_teishi",
    "record_viewing",
    "refusal_notice",
    "register_zaigai",
    "run_senkyoji",
    "run_teiji",
    "run_view",
    "shohon",
    "shosho",
    "to_csv",
]
