"""Inputs of one taxpayer for the 個人住民税 assessment — independent of the 年度.

Everything is whole yen (integers) and ages are as of 31 December of the income year (the 控除 are
judged then, 所得税法第85条 via 地方税法第314条の2第7項). Whether a relative qualifies (扶養親族,
同一生計配偶者, 特定親族 …) depends on the 年度's thresholds, so the inputs carry the relative's income and
age, never a pre-judged category: the engine decides with that year's parameters.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, Strict, model_validator

# Whole yen; a float or a numeric string is refused rather than silently truncated.
Yen = Annotated[int, Strict()]


class Shogai(str, Enum):
    """障害者の区分（同居特別障害者は配偶者・扶養親族だけ）."""

    NONE = "none"
    FUTSU = "futsu"  # 障害者
    TOKUBETSU = "tokubetsu"  # 特別障害者
    DOKYO_TOKUBETSU = "dokyo_tokubetsu"  # 同居特別障害者（配偶者・扶養親族）


class KafuHitorioya(str, Enum):
    """寡婦・ひとり親の区分（本人）."""

    NONE = "none"
    KAFU = "kafu"  # 寡婦
    HITORIOYA_HAHA = "hitorioya_haha"  # ひとり親（母）
    HITORIOYA_CHICHI = "hitorioya_chichi"  # ひとり親（父）


def _yen(description: str) -> Any:
    return Field(default=0, ge=0, le=10**12, description=description)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SpouseInput(_Strict):
    """生計を一にする配偶者（前年12月31日現在）."""

    gokei_shotoku: Yen = _yen("配偶者の前年の合計所得金額（円）")
    age: int = Field(ge=0, le=150, description="配偶者の年齢（前年12月31日現在）")
    shogai: Shogai = Field(default=Shogai.NONE, description="配偶者の障害者区分")
    kokugai: bool = Field(default=False, description="国外居住者か")


class DependantInput(_Strict):
    """生計を一にする親族（配偶者以外）。扶養親族・特定親族かは年度の所得要件で判定する."""

    age: int = Field(ge=0, le=150, description="年齢（前年12月31日現在）")
    gokei_shotoku: Yen = _yen("前年の合計所得金額（円）")
    dokyo_roshin: bool = Field(default=False, description="同居老親等（本人・配偶者の直系尊属で同居）か")
    shogai: Shogai = Field(default=Shogai.NONE, description="障害者区分")
    kokugai: bool = Field(default=False, description="国外居住者か")
    kokugai_kojo_taisho: bool = Field(
        default=False,
        description="国外居住の30〜69歳でも控除対象となる者（留学生・障害者・38万円以上の送金）か",
    )


class TaxpayerInput(_Strict):
    """納税義務者1人の前年の所得・控除の資料（賦課期日に住所を有する者）."""

    kyuyo_shunyu: Yen = _yen("給与収入（円）")
    nenkin_shunyu: Yen = _yen("公的年金等の収入（円）")
    age: int = Field(ge=0, le=150, description="本人の年齢（前年12月31日現在）")
    jigyo_shotoku: Yen = _yen("事業所得（円、損失は未対応）")
    fudosan_shotoku: Yen = _yen("不動産所得（円、損失は未対応）")
    haito_shotoku: Yen = _yen("配当所得（総合課税分、円）")
    zatsu_shotoku: Yen = _yen("雑所得（公的年金等以外、円）")
    ichiji_shunyu: Yen = _yen("一時所得の総収入金額 − 支出金額（特別控除・2分の1の前、円）")
    shakai_hokenryo: Yen = _yen("社会保険料（支払額、円）")
    shokibo_kyosai: Yen = _yen("小規模企業共済等掛金（支払額、円）")
    seimei_shin_ippan: Yen = _yen("一般生命保険料・新契約（円）")
    seimei_shin_kaigo: Yen = _yen("介護医療保険料（円）")
    seimei_shin_nenkin: Yen = _yen("個人年金保険料・新契約（円）")
    seimei_kyu_ippan: Yen = _yen("一般生命保険料・旧契約（円）")
    seimei_kyu_nenkin: Yen = _yen("個人年金保険料・旧契約（円）")
    jishin_hokenryo: Yen = _yen("地震保険料（円）")
    kyu_choki_songai: Yen = _yen("旧長期損害保険料（円）")
    iryohi_shiharai: Yen = _yen("医療費の支払額（円）")
    iryohi_hoten: Yen = _yen("保険金などで補填される金額（円）")
    shogai: Shogai = Field(default=Shogai.NONE, description="本人の障害者区分（同居特別障害者は選べない）")
    kafu_hitorioya: KafuHitorioya = Field(default=KafuHitorioya.NONE, description="寡婦・ひとり親の区分")
    hitorioya_ko_shotoku: Yen = _yen("ひとり親の生計を一にする子の総所得金額等（円）")
    kinro_gakusei: bool = Field(default=False, description="勤労学生か")
    seikatsu_hogo: bool = Field(default=False, description="賦課期日に生活保護法の生活扶助を受けているか")
    spouse: SpouseInput | None = Field(default=None, description="生計を一にする配偶者（いなければ null）")
    dependants: list[DependantInput] = Field(
        default_factory=list, description="生計を一にする親族（配偶者以外）"
    )
    furusato_kifu: Yen = _yen("都道府県・市区町村への寄附金（ふるさと納税、円）")
    kifu_shi_ken: Yen = _yen("市・県ともに対象の寄附金（共同募金会・日本赤十字社の支部など、円）")
    kifu_shi: Yen = _yen("市の条例で指定する寄附金（円）")
    kifu_ken: Yen = _yen("県の条例で指定する寄附金（円）")
    one_stop: bool = Field(
        default=False, description="寄附金税額控除に係る申告特例（ワンストップ特例）の適用か"
    )
    jutaku_kojo_zan: Yen = _yen("住宅借入金等特別控除のうち所得税で控除しきれなかった額（円）")
    shotokuzei_kazei_soshotoku: Yen = _yen("所得税の課税総所得金額等（円）")
    jutaku_kyoju_nen: int | None = Field(default=None, ge=2009, le=2025, description="住宅の居住開始年")
    jutaku_tokutei: bool = Field(default=False, description="特定取得・特別特例取得等（控除率7%）か")

    @model_validator(mode="after")
    def _consistent(self) -> TaxpayerInput:
        if self.shogai is Shogai.DOKYO_TOKUBETSU:
            raise ValueError("本人の障害者区分に同居特別障害者は指定できません")
        if self.jutaku_kojo_zan and self.jutaku_kyoju_nen is None:
            raise ValueError("住宅借入金等特別税額控除には居住開始年（jutaku_kyoju_nen）が必要です")
        return self
