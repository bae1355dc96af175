"""附票記載事項通知 from other municipalities (住民基本台帳法第19条第1項), by file and by API call of the
service; 在外選挙人名簿 (§17の2); forwarded 支援措置 bookkeeping.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fuhyo.conftest import LOCAL_HITTOSHA, LOCAL_HONSEKI, dates, local_person, new_setai
from yakuba.errors import Conflict, InputError, NotFound

HEADER = (
    "通知元団体コード,通知元団体名,異動区分,異動日,本籍,筆頭者,氏,名,氏の振り仮名,名の振り仮名,"
    "生年月日,性別,住所,住所を定めた年月日,国外転出,住民票コード"
)
OSAKA = "271004"  # 大阪市 (検査数字つき)


def csv_text(*lines: str) -> str:
    return "\r\n".join([HEADER, *lines]) + "\r\n"


def line(kind: str = "転入", address: str = "大阪府大阪市北区梅田1丁目1番", **kw: str) -> str:
    values = {
        "code": OSAKA,
        "name": "大阪市",
        "kind": kind,
        "date": "2026-05-01",
        "honseki": LOCAL_HONSEKI,
        "hittosha": LOCAL_HITTOSHA,
        "shi": "青木",
        "mei": "次郎",
        "shi_kana": "アオキ",
        "mei_kana": "ジロウ",
        "birth": "2001-02-03",
        "sex": "1",
        "address": address,
        "jusho_date": "2026-05-01",
        "kokugai": "",
        "jumin_code": "98765432109",
    }
    values.update(kw)
    return ",".join(values.values())


def test_a_file_from_another_municipality_updates_the_local_fuhyo(yakuba, fh, fuhyo_of) -> None:
    """A 転入 then a 転居 elsewhere: the local 附票 keeps both addresses as history."""
    text = csv_text(
        line(),
        line("転居", address="大阪府大阪市北区中之島1丁目3番", date="2026-08-01", jusho_date="2026-08-01"),
    )
    with yakuba.uow() as uow:
        result = fh.commands.jushin.import_notices(uow, text, today=dt.date(2026, 11, 26))
        uow.commit()
    assert (result.applied, result.unchanged, result.rejected) == (2, 0, [])
    [entry] = fuhyo_of()
    assert entry.entry_no == 2 and entry.kind == "jusho"
    assert entry.address == "大阪府大阪市北区中之島1丁目3番" and entry.jusho_date == dt.date(2026, 8, 1)
    assert entry.source == "notice" and entry.atena_no is None
    assert entry.birth_date == dt.date(2001, 2, 3) and entry.jumin_code == "98765432109"
    with yakuba.uow() as uow:
        received = fh.queries.notices(uow.session, direction="in")
    assert [(n["channel"], n["status"], n["from_lg_code"], n["line_no"]) for n in received] == [
        ("csv", "applied", OSAKA, 3),
        ("csv", "applied", OSAKA, 2),
    ]


def test_the_same_file_twice_is_refused(yakuba, fh) -> None:
    text = csv_text(line())
    with yakuba.uow() as uow:
        fh.commands.jushin.import_notices(uow, text)
        uow.commit()
    with yakuba.uow() as uow, pytest.raises(Conflict, match="取り込み済み"):
        fh.commands.jushin.import_notices(uow, text)


def test_a_malformed_file_is_refused_whole_naming_line_and_item(yakuba, fh, fuhyo_of) -> None:
    text = csv_text(line(), line(birth="2001-02-30"), line(kind="引越し", code="271005"))
    with yakuba.uow() as uow, pytest.raises(InputError) as raised:
        fh.commands.jushin.import_notices(uow, text)
    fields = [p.field for p in raised.value.problems]
    assert fields == ["3行目 生年月日", "4行目 異動区分"]
    assert fuhyo_of() == []


def test_a_bad_municipality_code_is_named(yakuba, fh) -> None:
    with yakuba.uow() as uow, pytest.raises(InputError) as raised:
        fh.commands.jushin.import_notices(uow, csv_text(line(code="271005")))
    assert raised.value.problems[0].field == "2行目 通知元団体コード"


def test_a_line_for_a_honseki_elsewhere_is_logged_as_rejected(yakuba, fh, fuhyo_of) -> None:
    text = csv_text(line(), line(honseki="北海道札幌市中央区北1条西2丁目", hittosha="札幌　太郎"))
    with yakuba.uow() as uow:
        result = fh.commands.jushin.import_notices(uow, text)
        uow.commit()
    assert result.applied == 1
    assert [ln for ln, _ in result.rejected] == [3]
    assert "送付先の誤り" in result.rejected[0][1]


def test_a_notice_by_api_call_updates_the_fuhyo_of_a_former_resident(yakuba, run, fh, fuhyo_of) -> None:
    """A resident moves away (転出) and the new 住所地 notifies the 転入: the entry loses the 宛名番号."""
    from yakuba.juki import service as juki

    atena_no = new_setai(run, local_person(jumin_code="12345678901")).atena_nos[0]
    run(
        juki.tenshutsu,
        juki.Tenshutsu(
            atena_nos=[atena_no],
            destination="大阪府大阪市北区",
            dates=dates(dt.date(2026, 9, 1), todoke=dt.date(2026, 8, 25)),
        ),
    )
    notice = fh.schemas.InboundNotice(
        from_lg_code=OSAKA,
        from_name="大阪市",
        kind="kisai",
        effective_date=dt.date(2026, 9, 1),
        honseki=LOCAL_HONSEKI,
        hittosha="青木 太郎",  # a half-width space: the same 戸籍
        items=fh.schemas.FuhyoItems(
            shi="青木",
            mei="太郎",
            shi_kana="アオキ",
            mei_kana="タロウ",
            birth_date=dt.date(1980, 5, 1),
            sex="1",
            address="大阪府大阪市北区梅田1丁目1番",
            jusho_date=dt.date(2026, 9, 1),
            jumin_code="12345678901",
        ),
    )
    with yakuba.uow() as uow:
        applied = fh.commands.jushin.receive_notice(uow, notice)
        uow.commit()
    assert applied.changed == ["address", "jusho_date"]
    [entry] = fuhyo_of()
    assert entry.entry_no == 2 and entry.atena_no is None
    assert entry.address == "大阪府大阪市北区梅田1丁目1番"
    with yakuba.uow() as uow:  # the same notice again changes nothing
        again = fh.commands.jushin.receive_notice(uow, notice)
        uow.commit()
    assert again.notice.status == "unchanged"


def test_an_api_notice_for_a_honseki_elsewhere_is_refused(yakuba, fh) -> None:
    notice = fh.schemas.InboundNotice(
        from_lg_code=OSAKA,
        kind="kisai",
        honseki="北海道札幌市中央区北1条西2丁目",
        hittosha="札幌　太郎",
        items=fh.schemas.FuhyoItems(shi="札幌", mei="太郎", address="大阪府大阪市北区梅田1丁目1番"),
    )
    with yakuba.uow() as uow, pytest.raises(InputError, match="本籍ではありません"):
        fh.commands.jushin.receive_notice(uow, notice)


def test_an_inbound_kokugai_notice_needs_the_fact(fh) -> None:
    with pytest.raises(ValueError, match="国外転出者である旨"):
        fh.schemas.InboundNotice(
            from_lg_code=OSAKA,
            kind="kokugai",
            honseki=LOCAL_HONSEKI,
            hittosha=LOCAL_HITTOSHA,
            items=fh.schemas.FuhyoItems(shi="青木", mei="次郎"),
        )


def test_zaigai_senkyo_local_and_elsewhere(yakuba, run, fh, fuhyo_of, outbox) -> None:
    """§17の2: the 選管 reports a 在外選挙人名簿 登録; local 附票 entry, or a notice to the 本籍地."""
    new_setai(run, local_person(jumin_code="12345678901"))
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
        fh.commands.zaigai.mark_zaigai_senkyo(
            uow,
            fh.schemas.ZaigaiSenkyo(
                honseki="京都府京都市上京区1番",
                hittosha="京都　一郎",
                shi="京都",
                mei="花子",
                birth_date=dt.date(1990, 1, 1),
                registered=True,
                senkyo_municipality="やくば町",
                on=dt.date(2026, 10, 1),
            ),
        )
        uow.commit()
    [entry] = fuhyo_of()
    assert entry.zaigai and entry.zaigai_municipality == "やくば町" and entry.kind == "zaigai"
    assert entry.address == "東京都やくば町松町1番地"  # the other items are carried over
    [sent] = outbox("fuhyo.notice_to_honsekichi")
    assert sent["kind"] == "zaigai" and sent["zaigai"] is True and sent["honseki"] == "京都府京都市上京区1番"


def test_zaigai_for_someone_not_on_the_fuhyo_is_not_found(yakuba, run, fh) -> None:
    new_setai(run, local_person())
    with yakuba.uow() as uow, pytest.raises(NotFound):
        fh.commands.zaigai.mark_zaigai_senkyo(
            uow,
            fh.schemas.ZaigaiSenkyo(
                honseki=LOCAL_HONSEKI,
                hittosha=LOCAL_HITTOSHA,
                shi="別人",
                birth_date=dt.date(1999, 9, 9),
                registered=True,
                senkyo_municipality="やくば町",
                on=dt.date(2026, 10, 1),
            ),
        )


def test_shojo_from_the_koseki_and_the_joshohyo(yakuba, run, fh, fuhyo_of) -> None:
    """Everyone left the 戸籍 → the 附票 becomes a 除票; a new 記載 for the same 戸籍 opens a new 附票."""
    new_setai(run, local_person())
    with yakuba.uow() as uow:
        found = fh.queries.find_fuhyo(uow.session, LOCAL_HONSEKI, LOCAL_HITTOSHA)
        fh.commands.shojo.shojo(uow, fuhyo_id=found.id, person_no=1, reason="転籍", on=dt.date(2026, 10, 1))
        uow.commit()
        closed_id = found.id
    with yakuba.uow() as uow:
        assert fh.queries.find_fuhyo(uow.session, LOCAL_HONSEKI, LOCAL_HITTOSHA) is None
        status = fh.queries.joshohyo_status(uow.session, closed_id)
        assert status.closed_on == dt.date(2026, 10, 1) and status.years == 150
        with pytest.raises(InputError, match="既に消除"):
            fh.commands.shojo.shojo(
                uow, fuhyo_id=closed_id, person_no=1, reason="死亡", on=dt.date(2026, 10, 2)
            )


def test_forwarded_shien_is_kept_per_person(yakuba, run, fh) -> None:
    new_setai(run, local_person())
    with yakuba.uow() as uow:
        fuhyo = fh.queries.find_fuhyo(uow.session, LOCAL_HONSEKI, LOCAL_HITTOSHA)
        fh.commands.shien.record_shien_forward(
            uow,
            fuhyo_id=fuhyo.id,
            person_no=1,
            from_lg_code=OSAKA,
            start_date=dt.date(2026, 4, 1),
            end_date=dt.date(2027, 3, 31),
        )
        uow.commit()
        assert fh.queries.forwarded_shien(uow.session, fuhyo.id, 1, dt.date(2026, 12, 1))
        assert not fh.queries.forwarded_shien(uow.session, fuhyo.id, 1, dt.date(2027, 4, 1))
        assert fh.queries.protected_persons(uow.session, fuhyo.id, dt.date(2026, 12, 1)) == {1}
