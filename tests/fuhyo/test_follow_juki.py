"""戸籍の附票 follows 住民記録 (住民基本台帳法第18条・第19条第1項; spec-resident §3 Notification flows).

Issue 7 「Done when」: a 転居 updates the 附票 of a resident whose 本籍 is local and produces an outbound
notice for one whose 本籍 is elsewhere.
"""

from __future__ import annotations

import datetime as dt

from tests.fuhyo.conftest import (
    LOCAL_HITTOSHA,
    LOCAL_HONSEKI,
    MATSU_8,
    OTHER_HONSEKI,
    UME_3,
    dates,
    local_person,
    new_setai,
    person,
)
from yakuba.juki import service as juki

NOTICE = "fuhyo.notice_to_honsekichi"
ADDRESS_1 = "東京都やくば町松町1番地"
ADDRESS_8 = "東京都やくば町松町8番地"


def test_tennyu_enters_the_resident_on_the_local_fuhyo(run, fuhyo_of, outbox) -> None:
    """転入 (§19①: 住民票の記載) → 記載 on the 附票 of the local 本籍, no message to the outbox."""
    new_setai(run, local_person(jumin_code="12345678901"))
    [entry] = fuhyo_of()
    assert (entry.shi, entry.mei, entry.shi_kana, entry.mei_kana) == ("青木", "太郎", "アオキ", "タロウ")
    assert entry.address == ADDRESS_1
    assert entry.jusho_date == dt.date(2026, 4, 1)
    assert (entry.birth_date, entry.sex, entry.jumin_code) == (dt.date(1980, 5, 1), "1", "12345678901")
    assert (entry.kind, entry.jiyu, entry.source) == ("kisai", "国内転入", "juki")
    assert outbox(NOTICE) == []
    assert len(outbox("fuhyo.entry_recorded")) == 1


def test_tenkyo_updates_the_local_fuhyo_and_notifies_the_other_honsekichi(run, fuhyo_of, outbox) -> None:
    """Issue 7 scenario: 転居 of two residents, one with a local 本籍 and one whose 本籍 is elsewhere."""
    local = new_setai(run, local_person()).atena_nos[0]
    other = new_setai(run, person("佐藤", "花子", hittosha="佐藤　一郎"), address=UME_3).atena_nos[0]
    [sent_on_tennyu] = outbox(NOTICE)
    assert sent_on_tennyu["kind"] == "kisai"

    run(juki.tenkyo, juki.Tenkyo(atena_nos=[local], address=MATSU_8, dates=dates(dt.date(2026, 6, 1))))
    run(juki.tenkyo, juki.Tenkyo(atena_nos=[other], address=MATSU_8, dates=dates(dt.date(2026, 6, 2))))

    [entry] = fuhyo_of()  # local 本籍: the 附票 itself changed, history kept
    assert (entry.entry_no, entry.kind, entry.jiyu) == (2, "jusho", "転居")
    assert entry.address == ADDRESS_8 and entry.jusho_date == dt.date(2026, 6, 1)
    notices = outbox(NOTICE)  # 本籍 elsewhere: the 附票記載事項通知 is in the outbox, nothing local
    assert len(notices) == 2
    moved = notices[-1]
    assert moved["honseki"] == OTHER_HONSEKI and moved["hittosha"] == "佐藤　一郎"
    assert moved["kind"] == "jusho" and moved["jiyu"] == "転居"
    assert moved["items"]["address"] == ADDRESS_8
    assert moved["items"]["jusho_date"] == "2026-06-02"
    assert moved["changed"] == ["address", "jusho_date"]
    assert moved["from_lg_code"] == "131016" and moved["from_name"] == "やくば町"
    assert fuhyo_of(OTHER_HONSEKI, "佐藤　一郎") == []


def test_kokugai_tenshutsu_records_the_fact_and_the_planned_date(yakuba, run, fuhyo_of, outbox) -> None:
    """§17 第3号・第4号: 「国外転出者である旨」 and the 転出予定日 of the 国外転出届 instead of the
    住所 and 住所を定めた年月日."""
    local = new_setai(run, local_person()).atena_nos[0]
    other = new_setai(run, person("佐藤", "花子", hittosha="佐藤　一郎"), address=UME_3).atena_nos[0]
    for atena_no in (local, other):
        run(
            juki.tenshutsu,
            juki.Tenshutsu(
                atena_nos=[atena_no],
                destination="アメリカ合衆国",
                kokugai=True,
                dates=dates(dt.date(2026, 12, 20), todoke=dt.date(2026, 11, 20)),
            ),
        )
    [entry] = fuhyo_of()
    assert entry.kokugai is True and entry.address is None
    assert entry.jusho_date == dt.date(2026, 12, 20)
    assert (entry.kind, entry.jiyu) == ("kokugai", "国外転出")
    sent = outbox(NOTICE)[-1]
    assert sent["kind"] == "kokugai"
    assert sent["items"]["kokugai"] is True and sent["items"]["address"] is None
    assert sent["items"]["jusho_date"] == "2026-12-20"
    assert sent["effective_date"] == "2026-12-20"

    # the day comes: the 除票 does not change the 附票 again (no second entry, no second notice)
    before = len(outbox(NOTICE))
    with yakuba.uow() as uow:
        assert len(juki.apply_due_tenshutsu(uow, today=dt.date(2026, 12, 21))) == 2
        uow.commit()
    assert len(outbox("juki.resident_removed")) == 2
    assert fuhyo_of()[0].entry_no == 2
    assert len(outbox(NOTICE)) == before


def test_kokugai_on_the_day_itself_is_recorded_once(yakuba, run, fuhyo_of, outbox) -> None:
    """A 国外転出届 filed after leaving: 転出届 and 除票 in one 異動 make one 附票 entry and one notice."""
    other = new_setai(run, person("佐藤", "花子", hittosha="佐藤　一郎")).atena_nos[0]
    local = new_setai(run, local_person(), address=UME_3).atena_nos[0]
    for atena_no in (local, other):
        run(
            juki.tenshutsu,
            juki.Tenshutsu(
                atena_nos=[atena_no],
                destination="フランス",
                kokugai=True,
                dates=dates(dt.date(2026, 11, 1), todoke=dt.date(2026, 11, 5)),
            ),
        )
    [entry] = fuhyo_of()
    assert entry.entry_no == 2 and entry.kokugai and entry.jusho_date == dt.date(2026, 11, 1)
    kinds = [n["kind"] for n in outbox(NOTICE)]
    assert kinds == ["kisai", "kokugai"]


def test_domestic_tenshutsu_leaves_the_address_for_the_new_municipality(run, fuhyo_of, outbox) -> None:
    """A 国内転出 is not notified: the new 住所地 notifies the 転入 (§19①)."""
    local = new_setai(run, local_person()).atena_nos[0]
    run(
        juki.tenshutsu,
        juki.Tenshutsu(
            atena_nos=[local],
            destination="大阪府大阪市北区梅田1丁目1番",
            dates=dates(dt.date(2026, 10, 1), todoke=dt.date(2026, 10, 5)),
        ),
    )
    [entry] = fuhyo_of()
    assert entry.entry_no == 1 and entry.address == ADDRESS_1
    assert outbox(NOTICE) == []


def test_death_removes_the_person_from_the_local_fuhyo_only(run, fuhyo_of, outbox) -> None:
    """死亡: the person leaves the 戸籍; for a 本籍 elsewhere the 死亡届 reaches the 本籍地 itself."""
    head = new_setai(run, local_person()).atena_nos[0]
    other = new_setai(run, person("佐藤", "花子", hittosha="佐藤　一郎"), address=UME_3).atena_nos[0]
    for atena_no in (head, other):
        run(
            juki.shojo,
            juki.Shojo(atena_no=atena_no, reason="shibo", dates=dates(dt.date(2026, 9, 9))),
        )
    [entry] = fuhyo_of()
    assert entry.removed and entry.removed_reason == "死亡" and entry.removed_date == dt.date(2026, 9, 9)
    assert entry.address == ADDRESS_1  # the last address stays readable on the 附票
    assert [n["kind"] for n in outbox(NOTICE)] == ["kisai"]


def test_shokken_shojo_is_recorded_and_notified(run, fuhyo_of, outbox) -> None:
    local = new_setai(run, local_person()).atena_nos[0]
    other = new_setai(run, person("佐藤", "花子", hittosha="佐藤　一郎"), address=UME_3).atena_nos[0]
    for atena_no in (local, other):
        run(juki.shojo, juki.Shojo(atena_no=atena_no, reason="jittai", dates=dates(dt.date(2026, 9, 9))))
    [entry] = fuhyo_of()
    assert entry.kind == "jusho_shojo" and entry.jusho_shojo_date == dt.date(2026, 9, 9)
    assert not entry.removed
    sent = outbox(NOTICE)[-1]
    assert sent["kind"] == "jusho_shojo" and sent["items"]["jusho_shojo_date"] == "2026-09-09"


def test_name_correction_is_one_entry_and_one_notice(run, fuhyo_of, outbox) -> None:
    """A 修正 of 名 emits ResidentCorrected and NameChanged: one 附票 entry, one notice to the 本籍地."""
    local = new_setai(run, local_person()).atena_nos[0]
    other = new_setai(run, person("佐藤", "花子", hittosha="佐藤　一郎"), address=UME_3).atena_nos[0]
    for atena_no in (local, other):
        run(
            juki.shusei,
            juki.Shusei(
                atena_no=atena_no,
                kind="shokken",
                changes={"mei": "次郎"},
                dates=dates(dt.date(2026, 7, 1)),
            ),
        )
    [entry] = fuhyo_of()
    assert entry.entry_no == 2 and entry.mei == "次郎" and entry.kind == "shusei"
    assert [n["kind"] for n in outbox(NOTICE)] == ["kisai", "shusei"]
    assert outbox(NOTICE)[-1]["changed"] == ["mei"]


def test_corrections_of_other_items_change_nothing(run, fuhyo_of, outbox) -> None:
    local = new_setai(run, local_person()).atena_nos[0]
    run(
        juki.shusei,
        juki.Shusei(
            atena_no=local, kind="shokken", changes={"remarks_c": "備考"}, dates=dates(dt.date(2026, 7, 1))
        ),
    )
    assert fuhyo_of()[0].entry_no == 1


def test_a_new_honseki_moves_the_person_to_another_fuhyo(run, fuhyo_of, outbox) -> None:
    """婚姻・転籍 recorded on the 住民票 as a 本籍 修正: removed from the old 附票, entered on the new one."""
    local = new_setai(run, local_person("青木", "花子", sex="2")).atena_nos[0]
    run(
        juki.shusei,
        juki.Shusei(
            atena_no=local,
            kind="shokken",
            changes={"honseki": "東京都やくば町本町二丁目5番地", "hittosha": "山田　一郎", "shi": "山田"},
            dates=dates(dt.date(2026, 8, 1)),
        ),
    )
    [old] = fuhyo_of()
    assert old.removed and old.removed_reason == "本籍の変更"
    [new] = fuhyo_of("東京都やくば町本町二丁目5番地", "山田　一郎")
    assert new.shi == "山田" and new.address == ADDRESS_1 and not new.removed
    assert outbox(NOTICE) == []


def test_cancelling_a_tenkyo_restores_the_fuhyo_and_tells_the_honsekichi(run, fuhyo_of, outbox) -> None:
    local = new_setai(run, local_person()).atena_nos[0]
    other = new_setai(run, person("佐藤", "花子", hittosha="佐藤　一郎"), address=UME_3).atena_nos[0]
    moves = [
        run(juki.tenkyo, juki.Tenkyo(atena_nos=[a], address=MATSU_8, dates=dates(dt.date(2026, 6, 1))))
        for a in (local, other)
    ]
    for move in moves:
        run(juki.torikeshi, juki.Torikeshi(ido_id=move.ido_id, dates=dates(dt.date(2026, 6, 3))))
    [entry] = fuhyo_of()
    assert (entry.entry_no, entry.kind, entry.address) == (3, "torikeshi", ADDRESS_1)
    assert entry.jusho_date == dt.date(2026, 4, 1)
    last = outbox(NOTICE)[-1]
    assert last["kind"] == "torikeshi" and last["items"]["address"] == "東京都やくば町梅町3番5号"
    assert last["cancels_kisai"] is False


def test_cancelling_a_tennyu_takes_the_entry_off(run, fuhyo_of, outbox) -> None:
    registered = new_setai(run, local_person())
    run(juki.torikeshi, juki.Torikeshi(ido_id=registered.ido_id, dates=dates(dt.date(2026, 4, 2))))
    [entry] = fuhyo_of()
    assert entry.removed and entry.removed_reason == "記載の取消し"


def test_foreign_residents_and_persons_without_honseki_have_no_fuhyo(run, fuhyo_of, outbox) -> None:
    new_setai(run, person(honseki="なし", hittosha=None))
    new_setai(
        run,
        person(
            "SMITH",
            "JOHN",
            shi_kana=None,
            mei_kana=None,
            honseki=None,
            hittosha=None,
            nationality="アメリカ合衆国",
            name_roman="SMITH JOHN",
            category_30_45="中長期在留者",
            zairyu_shikaku="技術・人文知識・国際業務",
            zairyu_kikan="3年",
            zairyu_expiry=dt.date(2028, 4, 1),
            zairyu_card_no="AB12345678CD",
        ),
        address=UME_3,
    )
    assert outbox(NOTICE) == []
    assert fuhyo_of(LOCAL_HONSEKI, LOCAL_HITTOSHA) == []


def test_a_local_honseki_without_hittosha_is_kept_for_a_clerk(yakuba, run, fh, fuhyo_of) -> None:
    new_setai(run, local_person(hittosha=None))
    with yakuba.uow() as uow:
        held = fh.queries.notices(uow.session, status="hold")
    assert len(held) == 1 and "筆頭者" in held[0]["message"]
