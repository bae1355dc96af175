"""附票の写し (住民基本台帳法第20条) and 附票の除票の写し.

spec-resident §6 #23 (宜野湾市): requested without asking for 本籍 (after 2022-01-11) → 本籍・筆頭者 and the
在外選挙人 entry are omitted and each person's full 氏名 is printed. §6 #9 (豊川市): a 除票 made on 2014-06-19
has expired (5 years); one made on 2014-06-20 is kept 150 years. §1.8: 支援措置 blocks the 附票の写し.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import select

from tests.fuhyo.conftest import LOCAL_HITTOSHA, LOCAL_HONSEKI, local_person, new_setai
from yakuba.errors import InputError

NOW = dt.datetime(2026, 11, 25, 1, 0, tzinfo=dt.UTC)  # 令和8年11月25日 10:00 JST
OSAKA = "271004"


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def family(run, yakuba, fh):
    """青木 太郎 and 花子, 本籍 here, both residents; returns the 附票 id."""
    new_setai(
        run,
        local_person(jumin_code="12345678901"),
        local_person(
            "青木", "花子", mei_kana="ハナコ", sex="2", zokugara="妻", birth_date=dt.date(1982, 7, 7)
        ),
    )
    with yakuba.uow() as uow:
        return fh.queries.find_fuhyo(uow.session, LOCAL_HONSEKI, LOCAL_HITTOSHA).id


def issue(yakuba, fh, fuhyo_id, **request):
    from yakuba.fuhyo.forms import utsushi

    with yakuba.uow() as uow:
        issued = utsushi.issue(
            uow,
            fuhyo_id,
            fh.schemas.UtsushiRequest(**request),
            settings=yakuba.settings,
            now=NOW,
            issued_by="clerk1",
        )
        uow.commit()
    return issued


def test_honseki_is_omitted_unless_asked(yakuba, fh, family) -> None:
    """§6 #23: no special request → no 本籍・筆頭者; each person's full 氏名 is printed."""
    plain = pdf_text(issue(yakuba, fh, family).pdf)
    assert LOCAL_HONSEKI not in plain
    assert "本籍" in plain and "省略" in plain
    assert "青木　太郎" in plain and "青木　花子" in plain
    assert "東京都やくば町松町1番地" in plain and "令和8年4月1日" in plain
    assert "昭和55年5月1日" in plain and "男" in plain
    assert "12345678901" not in plain
    assert "戸籍の附票の写し" in plain and "この写しは、戸籍の附票の原本と相違ないことを証明する。" in plain

    asked = pdf_text(issue(yakuba, fh, family, include_honseki=True).pdf)
    assert LOCAL_HONSEKI in asked and LOCAL_HITTOSHA in asked


def test_jumin_code_only_on_request_of_the_person_side(yakuba, fh, family) -> None:
    own = pdf_text(issue(yakuba, fh, family, persons=[1], include_jumin_code=True).pdf)
    assert "12345678901" in own and "青木　花子" not in own
    with pytest.raises(InputError, match="第三者の請求では記載できません"):
        issue(yakuba, fh, family, requester_type="daisansha", include_jumin_code=True)


def test_zaigai_entry_only_on_request(yakuba, fh, family) -> None:
    with yakuba.uow() as uow:
        fh.commands.zaigai.mark_zaigai_senkyo(
            uow,
            fh.schemas.ZaigaiSenkyo(
                honseki=LOCAL_HONSEKI,
                hittosha=LOCAL_HITTOSHA,
                jumin_code="12345678901",
                shi="青木",
                mei="太郎",
                birth_date=dt.date(1980, 5, 1),
                registered=True,
                senkyo_municipality="やくば町",
                on=dt.date(2026, 10, 1),
            ),
        )
        uow.commit()
    assert "在外選挙人" not in pdf_text(issue(yakuba, fh, family).pdf)
    assert "やくば町 令和8年10月1日登録" in pdf_text(issue(yakuba, fh, family, include_zaigai=True).pdf)


def test_an_issued_copy_is_numbered_signed_and_logged(yakuba, fh, family) -> None:
    from yakuba.forms import Issuance

    issued = issue(yakuba, fh, family, requester_type="koyo")
    assert issued.pdf.startswith(b"%PDF") and issued.fee == 0 and issued.pages == 1
    with yakuba.uow() as uow:
        row = uow.session.execute(select(Issuance)).scalar_one()
        assert (row.kind, row.serial, row.status, row.sha256) == ("fuhyo", 1, "issued", issued.sha256)
        assert row.options["printed"] == {"honseki": False, "zaigai": False, "jumin_code": False}
    text = pdf_text(issued.pdf)
    assert "発行番号 20261125 やくば町 本庁1 プリンタ001 001 1/1" in text
    assert issue(yakuba, fh, family).fee == 300


def test_a_preview_is_not_logged(yakuba, fh, family) -> None:
    from yakuba.forms import Issuance

    preview = issue(yakuba, fh, family, preview=True)
    assert preview.issuance_id is None
    with yakuba.uow() as uow:
        assert uow.session.execute(select(Issuance)).first() is None


def test_kokugai_is_printed_as_the_fact_and_the_planned_date(yakuba, run, fh, family) -> None:
    from tests.fuhyo.conftest import dates
    from yakuba.juki import service as juki

    with yakuba.uow() as uow:
        atena_no = fh.queries.current_entries(uow.session, family)[0].atena_no
    run(
        juki.tenshutsu,
        juki.Tenshutsu(
            atena_nos=[atena_no],
            destination="ドイツ",
            kokugai=True,
            dates=dates(dt.date(2026, 12, 20), todoke=dt.date(2026, 11, 20)),
        ),
    )
    text = pdf_text(issue(yakuba, fh, family, persons=[1]).pdf)
    assert "国外転出者である旨" in text and "転出予定日 令和8年12月20日" in text
    assert "東京都やくば町松町1番地" in text  # the earlier address stays in the history


def test_shien_sochi_blocks_the_copy(yakuba, fh, family) -> None:
    from yakuba.juki.yokushi import YokushiBlocked, apply_shien

    with yakuba.uow() as uow:
        atena_no = fh.queries.current_entries(uow.session, family)[1].atena_no
        apply_shien(uow, atena_no=atena_no, start=dt.date(2026, 4, 1), now=NOW)
        uow.commit()
    with pytest.raises(YokushiBlocked):
        issue(yakuba, fh, family)
    issue(yakuba, fh, family, persons=[1])  # the other person alone may be issued


def test_forwarded_shien_blocks_the_copy(yakuba, fh, family) -> None:
    from yakuba.fuhyo.forms.utsushi import ShienBlocked

    with yakuba.uow() as uow:
        fh.commands.shien.record_shien_forward(
            uow,
            fuhyo_id=family,
            person_no=2,
            from_lg_code=OSAKA,
            start_date=dt.date(2026, 4, 1),
            end_date=dt.date(2027, 3, 31),
        )
        uow.commit()
    with pytest.raises(ShienBlocked):
        issue(yakuba, fh, family, persons=[2])


def _joshohyo(yakuba, fh, honseki: str, removed_on: dt.date) -> int:
    notice = fh.schemas.InboundNotice(
        from_lg_code=OSAKA,
        kind="kisai",
        effective_date=dt.date(2010, 4, 1),
        honseki=honseki,
        hittosha="古川　一郎",
        items=fh.schemas.FuhyoItems(
            shi="古川",
            mei="一郎",
            birth_date=dt.date(1930, 1, 1),
            sex="1",
            address="大阪府大阪市北区梅田1丁目1番",
            jusho_date=dt.date(2010, 4, 1),
        ),
    )
    with yakuba.uow() as uow:
        applied = fh.commands.jushin.receive_notice(uow, notice, today=dt.date(2010, 4, 5))
        fh.commands.shojo.shojo(
            uow, fuhyo_id=applied.fuhyo.id, person_no=1, reason="死亡", on=removed_on, today=removed_on
        )
        uow.commit()
        return applied.fuhyo.id


def test_joshohyo_retention_2014_06_19_vs_06_20(yakuba, fh) -> None:
    """§6 #9: removed 2014-06-19 → 5 years, expired 2019-06-19: refused; 2014-06-20 → 150 years: issued."""
    from yakuba.fuhyo.forms.utsushi import RetentionExpired

    expired = _joshohyo(yakuba, fh, "東京都やくば町古町1番", dt.date(2014, 6, 19))
    kept = _joshohyo(yakuba, fh, "東京都やくば町古町2番", dt.date(2014, 6, 20))
    with pytest.raises(RetentionExpired, match="5年"):
        issue(yakuba, fh, expired)
    issued = issue(yakuba, fh, kept)
    assert issued.kind == "fuhyo_joshohyo"
    text = pdf_text(issued.pdf)
    assert "戸籍の附票の除票の写し" in text and "平成26年6月20日 死亡消除" in text
    # left the 戸籍 before 2022-01-11: no 生年月日・性別 (住基法§17 5号・6号 are not added retroactively)
    assert "昭和5年1月1日" not in text


def test_retention_rule() -> None:
    from yakuba.fuhyo.rules import retention

    assert retention(dt.date(2014, 6, 19)).last_day == dt.date(2019, 6, 19)
    assert not retention(dt.date(2014, 6, 19)).retained(dt.date(2019, 6, 20))
    assert retention(dt.date(2014, 6, 20)).last_day == dt.date(2164, 6, 20)
    assert retention(dt.date(2016, 2, 29)).last_day == dt.date(2166, 2, 28)
