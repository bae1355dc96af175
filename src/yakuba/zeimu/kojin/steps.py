"""What each step of the chain is called, the rule it applies and where the rule comes from.

The clerk at the counter explains a bill step by step (:func:`yakuba.zeimu.kojin.engine.simulate`);
these are the Japanese labels and one-line rules printed beside each amount, with the article of the
地方税法 (or the spec digest tax-rules.md when the article is paraphrased there).
"""

from __future__ import annotations

from typing import NamedTuple


class StepInfo(NamedTuple):
    label: str
    rule: str
    reference: str


L = "地方税法"
STEPS: dict[str, StepInfo] = {
    "kyuyo_shotoku_mae": StepInfo(
        "給与所得（調整控除前）",
        "給与収入を所得税法別表第五の階段（令和8年度から最低65万円）で給与所得にする",
        "所得税法第28条・別表第五; tax-rules.md §1.3",
    ),
    "shotoku_kingaku_chosei": StepInfo(
        "所得金額調整控除",
        "850万円超の給与で子・特別障害者がいるとき（1,000万円−850万円）×10%まで、給与と年金の両方があるとき各10万円までの合計−10万円",
        "租税特別措置法第41条の3の3; tax-rules.md §1.3.3",
    ),
    "kyuyo_shotoku": StepInfo(
        "給与所得", "給与所得（調整控除前）− 所得金額調整控除", "所得税法第28条; tax-rules.md §1.3"
    ),
    "nenkin_shotoku": StepInfo(
        "公的年金等に係る雑所得",
        "年金収入を年齢（65歳以上/未満）と他の所得の区分の速算表で所得にする",
        "所得税法第35条; tax-rules.md §1.4",
    ),
    "jigyo_shotoku": StepInfo("事業所得", "申告の額", "所得税法第27条"),
    "fudosan_shotoku": StepInfo("不動産所得", "申告の額", "所得税法第26条"),
    "haito_shotoku": StepInfo("配当所得（総合課税）", "申告の額", "所得税法第24条"),
    "zatsu_shotoku": StepInfo("雑所得（公的年金等以外）", "申告の額", "所得税法第35条"),
    "ichiji_shotoku": StepInfo(
        "一時所得",
        "（総収入 − 支出）− 特別控除50万円。総所得金額にはその2分の1を算入",
        "所得税法第34条・第22条第2項",
    ),
    "soshotoku": StepInfo("総所得金額", "総合課税の所得の合計（一時所得は2分の1）", f"{L}第32条・第313条"),
    "gokei_shotoku": StepInfo(
        "合計所得金額", "総所得金額（分離課税・繰越控除の入力はまだない）", f"{L}第292条第1項第13号"
    ),
    "soshotoku_to": StepInfo(
        "総所得金額等",
        "総所得金額（医療費・寄附金の限度と所得割の非課税判定に使う）",
        f"{L}第292条第1項第13号",
    ),
    "hikazei_ninzu": StepInfo(
        "非課税判定の人数",
        "本人＋同一生計配偶者＋扶養親族（16歳未満を含み、国外居住者を除く）",
        f"{L}第295条第3項; docs/decisions/zeimu-kojin-hikazei.md",
    ),
    "hikazei_seikatsu_hogo": StepInfo(
        "生活保護（生活扶助）",
        "賦課期日に生活扶助を受けている者は均等割・所得割とも非課税",
        f"{L}第295条第1項第1号",
    ),
    "hikazei_jinteki": StepInfo(
        "障害者・未成年者・寡婦・ひとり親の非課税",
        "前年の合計所得金額135万円以下なら均等割・所得割とも非課税",
        f"{L}第295条第1項第2号",
    ),
    "kintowari_gendo": StepInfo(
        "均等割の非課税限度額",
        "級地の額 × 人数 + 10万円（同一生計配偶者・扶養親族があれば加算）",
        f"{L}第295条第3項・施行令第47条の3",
    ),
    "hikazei_kintowari": StepInfo(
        "均等割 非課税", "生活保護・135万円以下の障害者等・合計所得が均等割の非課税限度額以下", f"{L}第295条"
    ),
    "shotokuwari_gendo": StepInfo(
        "所得割の非課税限度額",
        "35万円 × 人数 + 10万円（同一生計配偶者・扶養親族があれば＋32万円）",
        f"{L}附則第3条の3",
    ),
    "hikazei_shotokuwari": StepInfo(
        "所得割 非課税", "均等割が非課税、または総所得金額等が所得割の非課税限度額以下", f"{L}附則第3条の3"
    ),
    "iryohi_kojo": StepInfo(
        "医療費控除",
        "（支払 − 補填）− min(10万円, 総所得金額等×5%)、上限200万円",
        f"{L}第314条の2第1項第1号の2",
    ),
    "shakai_hokenryo_kojo": StepInfo("社会保険料控除", "支払った額", f"{L}第314条の2第1項第3号"),
    "shokibo_kyosai_kojo": StepInfo("小規模企業共済等掛金控除", "支払った額", f"{L}第314条の2第1項第4号"),
    "seimei_hokenryo_kojo": StepInfo(
        "生命保険料控除",
        "新・旧・併用の有利な方を区分ごとに（新2.8万/旧3.5万）、合計7万円まで",
        f"{L}第314条の2第1項第5号の3",
    ),
    "jishin_hokenryo_kojo": StepInfo(
        "地震保険料控除",
        "地震保険料×1/2（2.5万円まで）＋旧長期損害保険料の表、合計2.5万円まで",
        f"{L}第314条の2第1項第5号の4",
    ),
    "shogaisha_kojo": StepInfo(
        "障害者控除",
        "障害者26万円・特別障害者30万円・同居特別障害者53万円（本人・同一生計配偶者・扶養親族）",
        f"{L}第314条の2第1項第6号",
    ),
    "kafu_kojo": StepInfo("寡婦控除", "合計所得500万円以下の寡婦に26万円", f"{L}第314条の2第1項第8号"),
    "hitorioya_kojo": StepInfo(
        "ひとり親控除",
        "合計所得500万円以下のひとり親に30万円（子の所得要件 令和8年度から58万円）",
        f"{L}第314条の2第1項第8号の2",
    ),
    "kinro_gakusei_kojo": StepInfo(
        "勤労学生控除",
        "合計所得75万円（令和8年度から85万円）以下の勤労学生に26万円",
        f"{L}第314条の2第1項第9号",
    ),
    "haigusha_kojo": StepInfo(
        "配偶者控除",
        "配偶者の所得48万円（令和8年度から58万円）以下、本人の所得区分で33万/22万/11万円（老人38万/26万/13万円）",
        f"{L}第314条の2第1項第10号",
    ),
    "haigusha_tokubetsu_kojo": StepInfo(
        "配偶者特別控除",
        "配偶者の所得48万円（令和8年度から58万円）超133万円以下、表の額",
        f"{L}第314条の2第1項第10号の2",
    ),
    "fuyo_kojo": StepInfo(
        "扶養控除",
        "16歳以上の扶養親族: 一般33万・特定45万・老人38万・同居老親45万円（16歳未満は0円）",
        f"{L}第314条の2第1項第11号",
    ),
    "tokutei_shinzoku_kojo": StepInfo(
        "特定親族特別控除",
        "19〜22歳の親族で所得58万円超123万円以下、表の額（令和8年度から）",
        f"{L}第314条の2（令和7年改正）; tax-rules.md §1.5",
    ),
    "kiso_kojo": StepInfo(
        "基礎控除",
        "合計所得2,400万円以下43万円、2,450万円以下29万円、2,500万円以下15万円",
        f"{L}第314条の2第2項",
    ),
    "shotoku_kojo_gokei": StepInfo("所得控除の合計", "上の所得控除の合計", f"{L}第314条の2"),
    "kazei_soshotoku": StepInfo(
        "課税総所得金額", "総所得金額 − 所得控除、1,000円未満切捨て", f"{L}第20条の4の2第1項・第314条の3"
    ),
    "jinteki_kojo_sa": StepInfo(
        "人的控除額の差の合計", "所得税と住民税の人的控除の法定の差（基礎5万円など）", f"{L}第314条の6第1号"
    ),
    "sanshutsu_shi": StepInfo(
        "算出所得割（市町村民税）", "課税総所得金額 × 6%（指定都市 8%）", f"{L}第314条の3"
    ),
    "sanshutsu_ken": StepInfo("算出所得割（道府県民税）", "課税総所得金額 × 4%（指定都市 2%）", f"{L}第35条"),
    "chosei_kojo_shi": StepInfo(
        "調整控除（市町村民税）",
        "課税所得200万円以下 min(差,課税所得)×3%、超 max((差−(課税所得−200万))×3%, 1,500円)",
        f"{L}第314条の6",
    ),
    "chosei_kojo_ken": StepInfo("調整控除（道府県民税）", "同じく ×2%（最低1,000円）", f"{L}第37条"),
    "haito_kojo_shi": StepInfo(
        "配当控除（市町村民税）", "配当 × 1.6%（課税総所得1,000万円超の部分 0.8%）", f"{L}附則第5条"
    ),
    "haito_kojo_ken": StepInfo("配当控除（道府県民税）", "配当 × 1.2%（同 0.6%）", f"{L}附則第5条"),
    "jutaku_kojo_shi": StepInfo(
        "住宅借入金等特別税額控除（市町村民税）",
        "min(所得税の控除残, 所得税の課税総所得金額等×5%, 97,500円) × 3/5",
        f"{L}附則第5条の4の2",
    ),
    "jutaku_kojo_ken": StepInfo(
        "住宅借入金等特別税額控除（道府県民税）", "同じく × 2/5", f"{L}附則第5条の4の2"
    ),
    "furusato_tokureiritsu_kubun": StepInfo(
        "ふるさと特例率の区分",
        "課税総所得金額 − 人的控除差の帯（0 = 90%、1 = 84.895% …）",
        f"{L}第314条の7第11項",
    ),
    "kifukin_kihon_shi": StepInfo(
        "寄附金税額控除 基本控除（市町村民税）",
        "(min(対象寄附, 総所得金額等×30%) − 2,000円) × 6%",
        f"{L}第314条の7",
    ),
    "kifukin_kihon_ken": StepInfo(
        "寄附金税額控除 基本控除（道府県民税）",
        "(min(対象寄附, 総所得金額等×30%) − 2,000円) × 4%",
        f"{L}第37条の2",
    ),
    "furusato_tokurei_shi": StepInfo(
        "ふるさと納税 特例控除（市町村民税）",
        "(ふるさと寄附 − 2,000円) × 特例率 × 3/5、上限は調整控除後の所得割の20%",
        f"{L}第314条の7第11項",
    ),
    "furusato_tokurei_ken": StepInfo(
        "ふるさと納税 特例控除（道府県民税）",
        "(ふるさと寄附 − 2,000円) × 特例率 × 2/5、上限は調整控除後の所得割の20%",
        f"{L}第37条の2第11項",
    ),
    "shinkoku_tokurei_shi": StepInfo(
        "申告特例控除（市町村民税）",
        "ワンストップ特例のとき 特例控除 × 所得税率の割合（5.105/84.895 など）",
        f"{L}附則第5条の7",
    ),
    "shinkoku_tokurei_ken": StepInfo("申告特例控除（道府県民税）", "同じく", f"{L}附則第5条の6"),
    "kifukin_kojo_shi": StepInfo(
        "寄附金税額控除（市町村民税）",
        "基本控除＋特例控除＋申告特例控除（残りの所得割まで）",
        f"{L}第314条の7",
    ),
    "kifukin_kojo_ken": StepInfo("寄附金税額控除（道府県民税）", "同じく", f"{L}第37条の2"),
    "teigaku_genzei_ninzu": StepInfo(
        "定額減税の人数",
        "令和6年度: 本人＋控除対象配偶者＋扶養親族（国外居住者を除く）"
        "; 令和7年度: 1,000万円超の本人の同一生計配偶者",
        f"{L}附則第5条の8・第5条の9; tax-rules.md §1.11",
    ),
    "teigaku_genzei_shi": StepInfo(
        "定額減税（市町村民税）",
        "1万円 × 人数 × 6/10（指定都市 8/10）、所得割まで",
        f"{L}附則第5条の8; docs/decisions/zeimu-kojin-teigaku-genzei.md",
    ),
    "teigaku_genzei_ken": StepInfo(
        "定額減税（道府県民税）", "1万円 × 人数 × 4/10（指定都市 2/10）、所得割まで", f"{L}附則第5条の8"
    ),
    "shotokuwari_shi": StepInfo(
        "所得割額（市町村民税）", "算出所得割 − 税額控除、100円未満切捨て", f"{L}第20条の4の2第3項"
    ),
    "shotokuwari_ken": StepInfo(
        "所得割額（道府県民税）", "算出所得割 − 税額控除、100円未満切捨て", f"{L}第20条の4の2第3項"
    ),
    "kintowari_shi": StepInfo(
        "均等割（市町村民税）", "3,000円（＋超過課税）、均等割非課税なら0", f"{L}第310条"
    ),
    "kintowari_ken": StepInfo(
        "均等割（道府県民税）", "1,000円（＋超過課税）、均等割非課税なら0", f"{L}第38条"
    ),
    "shinrin_kankyozei": StepInfo(
        "森林環境税",
        "1,000円（令和6年度から）、均等割非課税なら0",
        "森林環境税及び森林環境譲与税に関する法律第5条",
    ),
    "nenzei": StepInfo("年税額", "所得割（市・県）＋均等割（市・県）＋森林環境税", "tax-rules.md §1.2"),
}
