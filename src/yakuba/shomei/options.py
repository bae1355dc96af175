"""What a clerk asks for, and the legal rules that decide what may be printed.

住民基本台帳法 §12 (本人・同一世帯): 世帯主・続柄, 本籍・筆頭者, 個人番号 and 住民票コード may be omitted
unless specially requested; §12の3 (第三者): 個人番号 and 住民票コード are never printed; §12の4 (広域交付):
本籍 always omitted, 続柄・個人番号・住民票コード only on special request; §12の2 (公用). The forbidden and
always-omitted items are the parameter ``shomei.requester_rules``; the defaults when nothing is asked
are ``municipal.shomei.default_include``. ``include_*`` = None means "no special request".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from yakuba import params
from yakuba.errors import FieldProblem, InputError

Kind = Literal[
    "juminhyo",
    "joshohyo",
    "kisai_jiko",
    "joshohyo_kisai_jiko",
    "tenshutsu",
    "tenshutsu_junzuru",
    "jumin_code_tsuchi",
    "shien_shuryo_tsuchi",
]
RequesterType = Literal["honnin", "douitsu_setai", "daisansha", "koiki", "koyo"]
KisaiItem = Literal[
    "shimei",
    "furigana",
    "kyu_uji",
    "tsusho",
    "birth_date",
    "sex",
    "setainushi_zokugara",
    "honseki",
    "jumin_date",
    "address",
    "jusho_date",
    "todoke_date",
    "prev_address",
    "ido_mae_address",
    "mynumber",
    "jumin_code",
    "gaikokujin",
]

REQUESTER_LABELS: dict[str, str] = {
    "honnin": "本人",
    "douitsu_setai": "同一世帯の者",
    "daisansha": "第三者",
    "koiki": "広域交付",
    "koyo": "公用",
}
REQUESTER_LAW: dict[str, str] = {
    "honnin": "住民基本台帳法第12条",
    "douitsu_setai": "住民基本台帳法第12条",
    "daisansha": "住民基本台帳法第12条の3",
    "koiki": "住民基本台帳法第12条の4",
    "koyo": "住民基本台帳法第12条の2",
}
OPTIONAL_ITEMS: dict[str, str] = {
    "setainushi_zokugara": "世帯主・続柄",
    "honseki": "本籍・筆頭者",
    "mynumber": "個人番号",
    "jumin_code": "住民票コード",
}
# Forms issued only to the person (or the 世帯) concerned.
OWN_ONLY_KINDS = frozenset({"tenshutsu", "tenshutsu_junzuru", "jumin_code_tsuchi", "shien_shuryo_tsuchi"})


class CertificateRequest(BaseModel):
    """One request at the counter (or from 公用 / 広域交付)."""

    kind: Kind = Field(default="juminhyo", description="帳票の種類")
    layout: Literal["setai", "kojin"] | None = Field(
        default=None, description="世帯連記式 / 個人票（住民票の写しの既定は世帯連記式、除票は個人票のみ）"
    )
    setai_no: str | None = Field(
        default=None, max_length=15, pattern=r"^\d+$", description="世帯番号（世帯全員）"
    )
    atena_nos: list[str] | None = Field(
        default=None, max_length=50, description="宛名番号（世帯の一部・個人）。世帯番号と両方なら世帯の一部"
    )
    requester_type: RequesterType = Field(description="請求者の種類")
    requester_name: str | None = Field(
        default=None, max_length=100, description="請求者の氏名・名称（第三者・公用）"
    )
    purpose: str | None = Field(default=None, max_length=400, description="請求事由（第三者請求では必須）")
    include_setainushi_zokugara: bool | None = Field(default=None, description="世帯主・続柄（None は既定）")
    include_honseki: bool | None = Field(default=None, description="本籍・筆頭者（None は既定）")
    include_mynumber: bool | None = Field(default=None, description="個人番号（None は既定）")
    include_jumin_code: bool | None = Field(default=None, description="住民票コード（None は既定）")
    include_history: bool = Field(default=False, description="異動履歴（統合記載欄）を記載する")
    omit_katagaki: bool = Field(default=False, description="方書を省略する（請求があった場合のみ）")
    with_kana: bool = Field(default=False, description="氏名の後ろに括弧でフリガナを付ける")
    items: list[KisaiItem] | None = Field(
        default=None, max_length=20, description="記載事項証明書で証明する項目"
    )
    reissue: bool = Field(default=False, description="転出証明書の再交付")
    notice_variant: Literal["kisai", "henko", "shusei"] = Field(
        default="kisai", description="住民票コード通知票の種類（記載・変更・修正）"
    )
    shien_start: dt.date | None = Field(default=None, description="支援措置の開始日（終了通知）")
    shien_end: dt.date | None = Field(default=None, description="支援措置の終了日（終了通知）")
    confirm_alerts: bool = Field(default=False, description="抑止のアラートを確認済み")
    terminal: str | None = Field(default=None, max_length=20, description="端末名（発行番号）")
    printer: str | None = Field(default=None, max_length=20, description="プリンタ名（発行番号）")


@dataclass(frozen=True)
class Resolved:
    """What will actually be printed after the law and the defaults are applied."""

    setainushi_zokugara: bool
    honseki: bool
    mynumber: bool
    jumin_code: bool
    history: bool
    katagaki: bool
    kana: bool
    items: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "setainushi_zokugara": self.setainushi_zokugara,
            "honseki": self.honseki,
            "mynumber": self.mynumber,
            "jumin_code": self.jumin_code,
            "history": self.history,
            "katagaki": self.katagaki,
            "kana": self.kana,
            "items": list(self.items),
        }


def resolve(request: CertificateRequest, on: dt.date) -> Resolved:
    """Apply 住基法 §12–§12の4 to the request; a forbidden special request is refused naming the item."""
    kind = request.requester_type
    law = REQUESTER_LAW[kind]
    who = REQUESTER_LABELS[kind]
    rules = params.get("shomei.requester_rules", on=on)[kind]
    defaults = params.get("municipal.shomei.default_include", on=on)[kind]
    problems: list[FieldProblem] = []
    if request.kind in OWN_ONLY_KINDS and kind not in ("honnin", "douitsu_setai", "koyo"):
        problems.append(FieldProblem("請求者の種類", f"{who}の請求ではこの帳票を交付できません"))
    if kind == "daisansha" and not (request.purpose and request.requester_name):
        problems.append(
            FieldProblem("請求事由", f"第三者の請求（{law}）には請求者の氏名と請求事由が必要です")
        )
    kisai = request.kind in ("kisai_jiko", "joshohyo_kisai_jiko")
    chosen = tuple(request.items or params.get("municipal.shomei.kisai_jiko_items", on=on)) if kisai else ()
    resolved: dict[str, bool] = {}
    for item, label in OPTIONAL_ITEMS.items():
        asked = getattr(request, f"include_{item}")
        if kisai and item in chosen:
            asked = True
        if asked and item in rules["forbidden"]:
            problems.append(FieldProblem(label, f"{who}の請求（{law}）では{label}を記載できません"))
            continue
        include = bool(defaults[item]) if asked is None else asked
        resolved[item] = include and item not in rules["always_omit"]
    if problems:
        raise InputError(*problems)
    return Resolved(
        setainushi_zokugara=resolved["setainushi_zokugara"],
        honseki=resolved["honseki"],
        mynumber=resolved["mynumber"],
        jumin_code=resolved["jumin_code"],
        history=request.include_history,
        katagaki=not request.omit_katagaki,
        kana=request.with_kana,
        items=chosen,
    )
