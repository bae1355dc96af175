"""What is printed for each requester type and option (住基法 §12, §12の3, §12の4; spec-resident §1.9).

The PDF text is extracted with pypdf and checked item by item: values that must appear and values that
must not.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from yakuba.bootstrap import Yakuba
from yakuba.errors import Forbidden, InputError

from .conftest import MATSU_8, Run, issue, pdf_text, person, tennyu

HONSEKI = "東京都千代田区千代田1番"
MYNUMBER = "983205673214"
JUMIN_CODE = "24727059608"


def _text(yakuba: Yakuba, **request: Any) -> str:
    return "\n".join(pdf_text(issue(yakuba, **request).pdf))


def _value(text: str, label: str) -> str:
    """The line after ``label`` (pypdf gives one cell per line)."""
    lines = text.splitlines()
    return lines[lines.index(label) + 1]


def test_honnin_by_default_omits_the_four_optional_items(yakuba: Yakuba, aoki: Any) -> None:
    text = _text(yakuba, kind="juminhyo", setai_no=aoki.setai_nos[0], requester_type="honnin")
    for label in ("世帯主", "本籍", "個人番号", "住民票コード"):
        assert _value(text, label) == "省略", label
    assert text.count("続柄\n省略") == 2
    for value in (HONSEKI, MYNUMBER, JUMIN_CODE, "妻"):
        assert value not in text
    # Always printed: 氏名, 生年月日 (和暦), 性別, 住所, 住民となった年月日, 届出年月日, 転入前住所.
    for value in ("青木　太郎", "青木　花子", "平成2年5月1日", "平成4年7月7日", "東京都やくば町松町1番地"):
        assert value in text
    assert "令和8年4月1日" in text and "令和8年4月3日" in text
    assert "大阪府大阪市北区梅田1丁目1番" in text


def test_honnin_special_request_prints_every_item(yakuba: Yakuba, aoki: Any) -> None:
    text = _text(
        yakuba,
        kind="juminhyo",
        setai_no=aoki.setai_nos[0],
        requester_type="honnin",
        include_setainushi_zokugara=True,
        include_honseki=True,
        include_mynumber=True,
        include_jumin_code=True,
        can_print_mynumber=True,
    )
    assert _value(text, "世帯主") == "青木　太郎"
    assert "続柄\n世帯主" in text and "続柄\n妻" in text
    assert HONSEKI in text and MYNUMBER in text and JUMIN_CODE in text
    assert "省略" not in text


def test_mynumber_needs_the_permission_to_print_it(yakuba: Yakuba, aoki: Any) -> None:
    with pytest.raises(Forbidden, match=r"juki\.mynumber\.read"):
        issue(
            yakuba,
            kind="juminhyo",
            setai_no=aoki.setai_nos[0],
            requester_type="honnin",
            include_mynumber=True,
        )


@pytest.mark.parametrize(
    ("field", "label"), [("include_mynumber", "個人番号"), ("include_jumin_code", "住民票コード")]
)
def test_third_party_may_never_have_mynumber_or_jumin_code(
    yakuba: Yakuba, aoki: Any, field: str, label: str
) -> None:
    with pytest.raises(InputError) as caught:
        issue(
            yakuba,
            kind="juminhyo",
            atena_nos=[aoki.atena_nos[0]],
            requester_type="daisansha",
            requester_name="株式会社 債権回収",
            purpose="債権回収のため",
            can_print_mynumber=True,
            **{field: True},
        )
    assert [p.field for p in caught.value.problems] == [label]
    assert "第12条の3" in str(caught.value)


def test_third_party_must_state_who_and_why(yakuba: Yakuba, aoki: Any) -> None:
    with pytest.raises(InputError, match="請求事由"):
        issue(yakuba, kind="juminhyo", atena_nos=[aoki.atena_nos[0]], requester_type="daisansha")


def test_third_party_gets_honseki_on_request_but_no_numbers(yakuba: Yakuba, aoki: Any) -> None:
    text = _text(
        yakuba,
        kind="juminhyo",
        layout="kojin",
        atena_nos=[aoki.atena_nos[0]],
        requester_type="daisansha",
        requester_name="弁護士 甲野 一郎",
        purpose="訴訟手続のため",
        include_honseki=True,
    )
    assert HONSEKI in text
    assert _value(text, "個人番号") == "省略" and _value(text, "住民票コード") == "省略"
    assert MYNUMBER not in text and JUMIN_CODE not in text


def test_koiki_always_omits_honseki_and_refuses_a_request_for_it(yakuba: Yakuba, aoki: Any) -> None:
    setai = aoki.setai_nos[0]
    text = _text(yakuba, kind="juminhyo", setai_no=setai, requester_type="koiki", include_jumin_code=True)
    assert _value(text, "本籍") == "省略" and HONSEKI not in text
    assert "続柄\n省略" in text and _value(text, "個人番号") == "省略"
    assert JUMIN_CODE in text  # 住民票コード on special request (§12の4)
    with pytest.raises(InputError) as caught:
        issue(yakuba, kind="juminhyo", setai_no=setai, requester_type="koiki", include_honseki=True)
    assert [p.field for p in caught.value.problems] == ["本籍・筆頭者"]


def test_koiki_prints_zokugara_and_mynumber_only_on_special_request(yakuba: Yakuba, aoki: Any) -> None:
    text = _text(
        yakuba,
        kind="juminhyo",
        setai_no=aoki.setai_nos[0],
        requester_type="koiki",
        include_setainushi_zokugara=True,
        include_mynumber=True,
        can_print_mynumber=True,
    )
    assert "続柄\n妻" in text and MYNUMBER in text and HONSEKI not in text


def test_koyo_is_stamped_free_of_charge_and_prints_zokugara_by_default(yakuba: Yakuba, aoki: Any) -> None:
    issued = issue(
        yakuba, kind="juminhyo", setai_no=aoki.setai_nos[0], requester_type="koyo", requester_name="税務課"
    )
    text = "\n".join(pdf_text(issued.pdf))
    assert "公用" in text and "続柄\n妻" in text
    assert issued.fee == 0
    assert issue(yakuba, kind="juminhyo", setai_no=aoki.setai_nos[0], requester_type="honnin").fee == 300


def test_chosen_members_only(yakuba: Yakuba, aoki: Any) -> None:
    text = _text(yakuba, kind="juminhyo", atena_nos=[aoki.atena_nos[1]], requester_type="honnin")
    assert "青木　花子" in text and "青木　太郎" not in text


def test_katagaki_printed_unless_omission_requested(yakuba: Yakuba, run: Run) -> None:
    moved = tennyu(run, person(shi="佐藤", hittosha="佐藤　太郎"), address=MATSU_8)
    setai = moved.setai_nos[0]
    assert "松町ハイツ101号" in _text(yakuba, kind="juminhyo", setai_no=setai, requester_type="honnin")
    text = _text(yakuba, kind="juminhyo", setai_no=setai, requester_type="honnin", omit_katagaki=True)
    assert "松町ハイツ101号" not in text and _value(text, "方書") == "省略"


def test_foreign_birth_date_and_expiry_in_seireki_japanese_in_wareki(yakuba: Yakuba, run: Run) -> None:
    japanese = tennyu(run, person())
    foreign = tennyu(
        run,
        person(
            shi="WANG",
            mei="WEI",
            name_roman="WANG WEI",
            shi_kana=None,
            mei_kana=None,
            honseki=None,
            hittosha=None,
            nationality="中国",
            category_30_45="中長期在留者",
            zairyu_shikaku="技術・人文知識・国際業務",
            zairyu_kikan="5年",
            zairyu_expiry=dt.date(2029, 3, 31),
            zairyu_card_no="AB12345678CD",
        ),
    )
    text_j = _text(yakuba, kind="juminhyo", setai_no=japanese.setai_nos[0], requester_type="honnin")
    text_f = _text(yakuba, kind="juminhyo", setai_no=foreign.setai_nos[0], requester_type="honnin")
    assert _value(text_j, "生年月日") == "平成2年5月1日"
    assert _value(text_f, "生年月日") == "1990年5月1日"
    assert _value(text_f, "在留期間の満了の日") == "2029年3月31日"
    assert _value(text_f, "外国人住民となった年月日") == "令和8年4月1日"  # every other date in 和暦
    assert _value(text_f, "国籍・地域") == "中国" and "中長期在留者" in text_f
    assert _value(text_f, "氏名の振り仮名") == "********"  # no 振り仮名 for a foreign resident
    assert "本籍" not in text_f and "平成" not in text_f


def test_five_persons_give_two_sheets_and_the_ninshobun_only_on_the_last(yakuba: Yakuba, run: Run) -> None:
    members = [
        person(),
        person(mei="花子", birth_date=dt.date(1992, 7, 7), sex="2", zokugara="妻"),
        person(mei="一郎", birth_date=dt.date(2015, 1, 1), zokugara="子"),
        person(mei="二郎", birth_date=dt.date(2017, 2, 2), zokugara="子"),
        person(mei="三郎", birth_date=dt.date(2019, 3, 3), zokugara="子"),
    ]
    registered = tennyu(run, *members)
    issued = issue(yakuba, kind="juminhyo", setai_no=registered.setai_nos[0], requester_type="honnin")
    pages = pdf_text(issued.pdf)
    assert len(pages) == 2 and issued.pages == 2
    ninshobun = "この写しは、住民票の原本と相違ないことを証明する。"
    assert ninshobun not in pages[0] and ninshobun in pages[1]
    assert "1/2" in pages[0] and "2/2" in pages[1]
    assert all("発行番号 20261125 やくば町 本庁1 プリンタ001 001" in p for p in pages)
    # 世帯連記式 order (j1010): 世帯主 → 妻 → 子 by birth date, 4 on the first sheet.
    order = [n for n in ("太郎", "花子", "一郎", "二郎") if f"青木　{n}" in pages[0]]
    assert order == ["太郎", "花子", "一郎", "二郎"] and "青木　三郎" in pages[1]
    assert pages[0].index("青木　太郎") < pages[0].index("青木　花子") < pages[0].index("青木　一郎")


def test_history_is_printed_only_when_asked(yakuba: Yakuba, run: Run) -> None:
    from yakuba.juki import service as juki

    registered = tennyu(run, person())
    atena = registered.atena_nos[0]
    run(
        juki.tenkyo,
        juki.Tenkyo(
            atena_nos=[atena],
            address=MATSU_8,
            dates=juki.IdoDates(ido_date=dt.date(2026, 9, 1), todoke_date=dt.date(2026, 9, 3)),
        ),
    )
    plain = _text(yakuba, kind="juminhyo", layout="kojin", atena_nos=[atena], requester_type="honnin")
    assert "異動履歴" not in plain and "転居" not in plain
    # The standard's current-values layout: 住所を定めた年月日 = the 転居, 異動前住所 = the address before it.
    assert _value(plain, "住所を定めた年月日") == "令和8年9月1日"
    assert _value(plain, "異動前住所") == "東京都やくば町松町1番地"
    assert _value(plain, "住民となった年月日") == "令和8年4月1日"
    full = _text(
        yakuba,
        kind="juminhyo",
        layout="kojin",
        atena_nos=[atena],
        requester_type="honnin",
        include_history=True,
    )
    assert "令和8年4月1日 国内転入（令和8年4月3日届出）" in full
    assert "令和8年9月1日 転居（令和8年9月3日届出）" in full


def test_tenshutsu_items_are_left_out_before_the_planned_date(yakuba: Yakuba, aoki: Any) -> None:
    from yakuba.juki import service as juki

    with yakuba.uow() as uow:
        juki.tenshutsu(
            uow,
            juki.Tenshutsu(
                atena_nos=aoki.atena_nos,
                destination="北海道札幌市中央区北1条西2丁目",
                dates=juki.IdoDates(ido_date=dt.date(2026, 12, 10), todoke_date=dt.date(2026, 11, 20)),
            ),
            today=dt.date(2026, 11, 20),
        )
        uow.commit()
    setai = aoki.setai_nos[0]
    copy = _text(yakuba, kind="juminhyo", setai_no=setai, requester_type="honnin")
    assert "札幌市" not in copy and "転出" not in copy
    certificate = issue(yakuba, kind="tenshutsu", setai_no=setai, requester_type="honnin")
    text = "\n".join(pdf_text(certificate.pdf))
    assert "転出証明書" in text and "北海道札幌市中央区北1条西2丁目" in text
    assert _value(text, "転出予定年月日") == "令和8年12月10日"
    assert JUMIN_CODE in text and HONSEKI in text  # 住基令 §23: 本籍・住民票コード are on it
    assert certificate.fee == 0
    assert "上記の者は、転出の届出をしたことを証明する。" in text


def test_joshohyo_after_removal_prints_the_removal_and_refuses_a_current_copy(
    yakuba: Yakuba, aoki: Any
) -> None:
    from yakuba.juki import service as juki

    with yakuba.uow() as uow:
        juki.tenshutsu(
            uow,
            juki.Tenshutsu(
                atena_nos=[aoki.atena_nos[1]],
                destination="北海道札幌市中央区北1条西2丁目",
                dates=juki.IdoDates(ido_date=dt.date(2026, 11, 1), todoke_date=dt.date(2026, 10, 25)),
            ),
            today=dt.date(2026, 11, 1),
        )
        uow.commit()
    wife = aoki.atena_nos[1]
    text = _text(yakuba, kind="joshohyo", atena_nos=[wife], requester_type="honnin")
    assert "住民票の除票の写し" in text and "この写しは、住民票の除票の原本と相違ないことを証明する。" in text
    assert _value(text, "消除事由") == "国内転出" and _value(text, "消除年月日") == "令和8年11月1日"
    assert "北海道札幌市中央区北1条西2丁目" in text
    with pytest.raises(InputError, match="除票の人は含められません"):
        issue(yakuba, kind="juminhyo", atena_nos=[aoki.atena_nos[0], wife], requester_type="honnin")
    with pytest.raises(InputError, match="個人票の様式だけ"):
        issue(yakuba, kind="joshohyo", layout="setai", atena_nos=[wife], requester_type="honnin")
    with pytest.raises(InputError, match="消除されていません"):
        issue(yakuba, kind="joshohyo", atena_nos=[aoki.atena_nos[0]], requester_type="honnin")


def test_kisai_jiko_certifies_only_the_items_asked_for(yakuba: Yakuba, aoki: Any) -> None:
    text = _text(
        yakuba,
        kind="kisai_jiko",
        atena_nos=[aoki.atena_nos[0]],
        requester_type="honnin",
        items=["shimei", "birth_date", "address"],
    )
    assert "住民票記載事項証明書" in text and "青木　太郎" in text and "平成2年5月1日" in text
    assert "東京都やくば町松町1番地" in text
    assert (
        "性別" not in text
        and "転入前住所" not in text
        and "上記の事項は、住民票に記載されていることを証明する。" in text
    )
    with pytest.raises(InputError) as caught:
        issue(
            yakuba,
            kind="kisai_jiko",
            atena_nos=[aoki.atena_nos[0]],
            requester_type="daisansha",
            requester_name="甲",
            purpose="契約",
            items=["shimei", "jumin_code"],
        )
    assert [p.field for p in caught.value.problems] == ["住民票コード"]


def test_jumin_code_notice(yakuba: Yakuba, aoki: Any) -> None:
    text = _text(yakuba, kind="jumin_code_tsuchi", atena_nos=[aoki.atena_nos[0]], requester_type="honnin")
    assert "住民票コード通知票" in text and "青木　太郎　様" in text
    assert "".join(JUMIN_CODE) in text.replace("\n", "")
    with pytest.raises(InputError, match="住民票コードが記載されていません"):
        issue(yakuba, kind="jumin_code_tsuchi", atena_nos=[aoki.atena_nos[1]], requester_type="honnin")


def test_shien_end_notice_needs_the_manager_and_is_not_public(yakuba: Yakuba, aoki: Any) -> None:
    request: dict[str, Any] = {
        "kind": "shien_shuryo_tsuchi",
        "atena_nos": [aoki.atena_nos[1]],
        "requester_type": "honnin",
        "shien_start": dt.date(2020, 4, 1),
        "shien_end": dt.date(2021, 3, 31),
    }
    with pytest.raises(Forbidden):
        issue(yakuba, **request)
    issued = issue(yakuba, can_manage_shien=True, **request)
    text = "\n".join(pdf_text(issued.pdf))
    assert "支援措置期間終了通知" in text and "令和3年3月31日" in text
    assert "令和3年3月1日から令和3年3月31日まで" in text  # j440: from one month before the end
    assert "/verify/" not in text and "機密性3A" in text
