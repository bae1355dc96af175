"""住民記録 異動 scenarios of the specification digest's §6 table and the rules of issue 4.

Each test quotes its source: 住民記録システム標準仕様書 第1.0版 (jNNN, via the transcription named in
shared/specs/spec-resident.md §0) or 住民基本台帳法.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import select

from yakuba.bootstrap import Yakuba
from yakuba.errors import Conflict, Forbidden, InputError
from yakuba.events import OutboxEntry
from yakuba.juki import service
from yakuba.juki.base import AlertConfirmationRequired, current_row, setai_rows
from yakuba.juki.history import latest_row, state_as_of
from yakuba.juki.models import Ido
from yakuba.juki.queries import search
from yakuba.uow import Actor

from .conftest import MATSU_1, MATSU_8, TODAY, UME_3, Run, dates, new_setai, person

MYNUMBER = "983205673214"


def test_j200_tennyu_then_tenkyo_then_a_spouse_joins(run: Run, history: Callable[[str], list]) -> None:  # type: ignore[type-arg]
    # §6 #2 (j200): (0000001, 1, 国内転入, 松町1), (0000001, 2, 転居, 松町8), (0000002, 1, 国内転入, 松町8).
    taro = new_setai(run, person())
    (a1,) = taro.atena_nos
    run(service.tenkyo, service.Tenkyo(atena_nos=[a1], address=MATSU_8, dates=dates(dt.date(2026, 5, 1))))
    hanako = run(
        service.tennyu,
        service.Tennyu(
            kind="kokunai",
            persons=[person(mei="花子", mei_kana="ハナコ", sex="2", zokugara="妻")],
            join_setai_no=taro.setai_nos[0],
            prev_address="大阪府大阪市北区梅田1丁目1番",
            dates=dates(dt.date(2026, 6, 1)),
        ),
    )
    (a2,) = hanako.atena_nos
    assert history(a1) == [(1, "A01", "松町1番地", "01"), (2, "C01", "松町8番地", "01")]
    assert history(a2) == [(1, "A01", "松町8番地", "01")]
    assert hanako.setai_nos == taro.setai_nos


def test_j50_j680_tenshutsu_is_removed_on_the_earlier_tennyu_date_and_keeps_both_values(
    run: Run, yakuba: Yakuba
) -> None:
    # §6 #5: 転出予定日 X; 転入通知 with 転入日 Y < X ⇒ 除票 on Y; 予定 and 確定 both kept.
    (a1,) = new_setai(run, person()).atena_nos
    x, y = dt.date(2026, 12, 10), dt.date(2026, 12, 5)
    filed = run(
        service.tenshutsu,
        service.Tenshutsu(
            atena_nos=[a1], destination="北海道札幌市中央区", dates=dates(x, todoke=dt.date(2026, 11, 20))
        ),
    )
    assert filed.documents["tenshutsu_shomeisho"][0]["yotei_date"] == "2026-12-10"
    with yakuba.uow() as uow:
        # still a resident until the 予定日 (j1080: counted in statistics until then)
        assert current_row(uow.session, a1).jumin_jotai == "02"
    run(
        service.receive_tennyu_tsuchi,
        service.TennyuTsuchi(
            atena_no=a1,
            tennyu_date=y,
            kakutei_address="北海道札幌市中央区北1条西2丁目",
            tsuchi_date=dt.date(2026, 12, 8),
        ),
        today=dt.date(2026, 12, 8),
    )
    with yakuba.uow() as uow:
        row = latest_row(uow.session, a1)
        assert row is not None
        assert (row.jumin_jotai, row.shojo_date) == ("11", y)
        assert (row.tenshutsu_yotei_date, row.tenshutsu_yotei_address) == (x, "北海道札幌市中央区")
        assert (row.tenshutsu_kakutei_date, row.tenshutsu_kakutei_address) == (
            y,
            "北海道札幌市中央区北1条西2丁目",
        )
        assert state_as_of(uow.session, a1, dt.date(2026, 12, 4)).jumin_jotai == "02"  # type: ignore[union-attr]
        assert state_as_of(uow.session, a1, y).jumin_jotai == "11"  # type: ignore[union-attr]


def test_the_tenshutsu_yotei_date_removes_the_record_when_no_tsuchi_came(run: Run, yakuba: Yakuba) -> None:
    (a1,) = new_setai(run, person()).atena_nos
    run(
        service.tenshutsu,
        service.Tenshutsu(
            atena_nos=[a1], destination="横浜市", dates=dates(dt.date(2026, 12, 1), todoke=TODAY)
        ),
    )
    with yakuba.uow() as uow:
        assert service.apply_due_tenshutsu(uow, today=dt.date(2026, 11, 30)) == []
        done = service.apply_due_tenshutsu(uow, today=dt.date(2026, 12, 1))
        uow.commit()
    assert [r.atena_nos for r in done] == [[a1]]
    with yakuba.uow() as uow:
        row = latest_row(uow.session, a1)
        assert row is not None and (row.jumin_jotai, row.shojo_date, row.shojo_jiyu) == (
            "11",
            dt.date(2026, 12, 1),
            "B01",
        )


def test_j640_a_tenshutsu_filed_more_than_14_days_after_the_move_is_shokken(run: Run, yakuba: Yakuba) -> None:
    # §6 #6: 転出証明書に準ずる証明書 instead of a 転出証明書; the 異動 is a 職権記載.
    (a1,) = new_setai(run, person()).atena_nos
    late = run(
        service.tenshutsu,
        service.Tenshutsu(
            atena_nos=[a1],
            destination="横浜市",
            dates=dates(dt.date(2026, 10, 1), todoke=dt.date(2026, 10, 20)),
        ),
    )
    assert "junzuru" in late.documents and "tenshutsu_shomeisho" not in late.documents
    with yakuba.uow() as uow:
        ido = uow.session.get(Ido, late.ido_id)
        assert ido is not None and ido.shokken is True
        row = latest_row(uow.session, a1)
        assert row is not None and (row.jumin_jotai, row.shojo_date) == ("11", dt.date(2026, 10, 1))


def test_j600_a_returning_resident_keeps_the_same_atena_no(run: Run) -> None:
    # §6 #7: the same 個人番号 as a 除票 ⇒ same 宛名番号, no new registration.
    (a1,) = new_setai(run, person(mynumber=MYNUMBER)).atena_nos
    run(
        service.tenshutsu,
        service.Tenshutsu(atena_nos=[a1], destination="横浜市", dates=dates(dt.date(2026, 5, 1))),
    )
    back = new_setai(run, person(mynumber=MYNUMBER), address=UME_3, on=dt.date(2026, 9, 1))
    assert back.atena_nos == [a1]


def test_j600_the_same_number_on_a_current_resident_is_refused(run: Run) -> None:
    new_setai(run, person(mynumber=MYNUMBER))
    with pytest.raises(InputError, match="既に住民として記録されています"):
        new_setai(run, person(mynumber=MYNUMBER), address=UME_3)


def test_j600_only_the_three_items_matching_a_joshohyo_is_an_alert(run: Run) -> None:
    (a1,) = new_setai(run, person()).atena_nos
    run(service.shojo, service.Shojo(atena_no=a1, reason="jittai", dates=dates(dt.date(2026, 5, 1))))
    with pytest.raises(AlertConfirmationRequired) as caught:
        new_setai(run, person(), address=UME_3, on=dt.date(2026, 6, 1))
    assert "氏名・性別・生年月日が一致する除票があります" in caught.value.alerts[0]
    confirmed = run(
        service.tennyu,
        service.Tennyu(
            kind="kokunai",
            persons=[person()],
            address=UME_3,
            prev_address="横浜市",
            dates=dates(dt.date(2026, 6, 1), confirm_alerts=True),
        ),
    )
    assert confirmed.atena_nos != [a1]


def test_j490_the_head_dies_with_one_member_left_who_becomes_head_by_shokken(
    run: Run, yakuba: Yakuba
) -> None:
    # §6 #8: one member left ⇒ 世帯主 by 職権 (世帯主変更通知書).
    setai = new_setai(run, person(), person(mei="花子", mei_kana="ハナコ", sex="2", zokugara="妻"))
    head, wife = setai.atena_nos
    died = run(service.shojo, service.Shojo(atena_no=head, reason="shibo", dates=dates(dt.date(2026, 7, 1))))
    assert died.documents["setainushi_henko_tsuchisho"][0]["new_head"] == wife
    with yakuba.uow() as uow:
        row = current_row(uow.session, wife)
        assert (row.zokugara, row.setainushi_name) == ("世帯主", None)


def test_j490_the_head_dies_with_three_members_left_needs_a_setainushi_henko(
    run: Run, yakuba: Yakuba
) -> None:
    # §6 #8: three left ⇒ an alert to do a 世帯主変更 first (or send a 世帯主変更依頼通知書).
    setai = new_setai(
        run,
        person(),
        person(mei="花子", sex="2", zokugara="妻"),
        person(mei="一郎", birth_date=dt.date(2010, 1, 1), zokugara="子"),
        person(mei="次郎", birth_date=dt.date(2012, 1, 1), zokugara="子"),
    )
    head = setai.atena_nos[0]
    with pytest.raises(AlertConfirmationRequired, match="世帯主が不在になります（残る世帯員 3 人）"):
        run(service.shojo, service.Shojo(atena_no=head, reason="shibo", dates=dates(dt.date(2026, 7, 1))))
    done = run(
        service.shojo,
        service.Shojo(atena_no=head, reason="shibo", dates=dates(dt.date(2026, 7, 1), confirm_alerts=True)),
    )
    assert "setainushi_henko_irai" in done.documents
    wife = setai.atena_nos[1]
    changed = run(
        service.setai_henko,
        service.SetaiHenko(
            kind="nushi_henko",
            setai_no=setai.setai_nos[0],
            new_head=wife,
            zokugara={setai.atena_nos[2]: "子", setai.atena_nos[3]: "子"},
            dates=dates(dt.date(2026, 7, 3)),
        ),
    )
    assert sorted(changed.atena_nos) == sorted(setai.atena_nos[1:])


def test_j720_a_setai_henko_with_an_address_change_is_refused(run: Run) -> None:
    a = new_setai(run, person())
    b = new_setai(run, person(shi="佐藤", mei="一郎", shi_kana="サトウ", mei_kana="イチロウ"), address=UME_3)
    with pytest.raises(InputError, match="住所の異なる世帯へは移れません"):
        run(
            service.setai_henko,
            service.SetaiHenko(
                kind="gappei",
                setai_no=a.setai_nos[0],
                target_setai_no=b.setai_nos[0],
                zokugara={a.atena_nos[0]: "同居人"},
                dates=dates(dt.date(2026, 6, 1)),
            ),
        )
    with pytest.raises(InputError, match="転居届として処理してください"):
        run(
            service.setai_henko,
            service.SetaiHenko(
                kind="gappei",
                setai_no=a.setai_nos[0],
                target_setai_no=b.setai_nos[0],
                address_change=True,
                dates=dates(dt.date(2026, 6, 1)),
            ),
        )


def test_setai_bunri_makes_a_new_setai_at_the_same_address(run: Run, yakuba: Yakuba) -> None:
    setai = new_setai(run, person(), person(mei="一郎", birth_date=dt.date(2000, 1, 1), zokugara="子"))
    son = setai.atena_nos[1]
    done = run(
        service.setai_henko,
        service.SetaiHenko(
            kind="bunri",
            setai_no=setai.setai_nos[0],
            atena_nos=[son],
            new_head=son,
            dates=dates(dt.date(2026, 6, 1)),
        ),
    )
    new_no = next(s for s in done.setai_nos if s != setai.setai_nos[0])
    with yakuba.uow() as uow:
        assert [r.atena_no for r in setai_rows(uow.session, new_no)] == [son]
        row = current_row(uow.session, son)
        assert (row.zokugara, row.choaza_name, row.banchi) == ("世帯主", "松町", "1番地")


def test_late_todoke_is_accepted_and_listed_never_refused(run: Run, yakuba: Yakuba) -> None:
    # 住民基本台帳法第22条 (14日以内) / 第52条第2項 (過料の通知): accepted and listed.
    late = run(
        service.tennyu,
        service.Tennyu(
            kind="kokunai",
            persons=[person()],
            address=MATSU_1,
            prev_address="横浜市",
            dates=dates(dt.date(2026, 4, 1), todoke=dt.date(2026, 4, 16)),
        ),
    )
    on_time = run(
        service.tennyu,
        service.Tennyu(
            kind="kokunai",
            persons=[person(shi="佐藤", shi_kana="サトウ")],
            address=UME_3,
            prev_address="横浜市",
            dates=dates(dt.date(2026, 4, 1), todoke=dt.date(2026, 4, 15)),
        ),
    )
    assert (late.late_notification, on_time.late_notification) == (True, False)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"ido": dt.date(2026, 11, 27)}, "異動日: 未来の日付は指定できません"),
        (
            {"ido": dt.date(2026, 11, 1), "todoke": dt.date(2026, 11, 27)},
            "届出日: 未来の日付は指定できません",
        ),
    ],
)
def test_j570_dates_must_not_be_in_the_future_except_tenshutsu(
    run: Run, kwargs: dict[str, dt.date], message: str
) -> None:
    # The 転出予定日 alone may be in the future (j640); a 転居 dated tomorrow is refused.
    with pytest.raises(InputError, match=message):
        run(
            service.tennyu,
            service.Tennyu(
                kind="kokunai",
                persons=[person()],
                address=MATSU_1,
                prev_address="横浜市",
                dates=dates(kwargs["ido"], todoke=kwargs.get("todoke")),
            ),
        )


def test_j860_goki_shusei_keeps_the_wrong_row_and_appends_the_correction(run: Run, yakuba: Yakuba) -> None:
    (a1,) = new_setai(run, person(mei="太朗")).atena_nos
    run(
        service.shusei,
        service.Shusei(
            atena_no=a1,
            kind="goki",
            changes={"mei": "太郎"},
            corrects_rireki_no=1,
            dates=dates(dt.date(2026, 5, 1)),
        ),
    )
    with yakuba.uow() as uow:
        first = state_as_of(uow.session, a1, dt.date(2026, 4, 30))
        now = latest_row(uow.session, a1)
        assert first is not None and now is not None
        assert (first.rireki_no, first.mei, now.rireki_no, now.mei) == (1, "太朗", 2, "太郎")
        juki_types = (
            select(OutboxEntry.event_type).where(OutboxEntry.business == "juki").order_by(OutboxEntry.seq)
        )
        types = uow.session.execute(juki_types).scalars().all()
    assert types[-2:] == ["juki.resident_corrected", "juki.name_changed"]


def test_a_head_s_name_change_reaches_every_member(run: Run, yakuba: Yakuba) -> None:
    # j840: 世帯主の氏名の変更は全世帯員の世帯主氏名に反映する.
    setai = new_setai(run, person(), person(mei="花子", sex="2", zokugara="妻"))
    run(
        service.shusei,
        service.Shusei(
            atena_no=setai.atena_nos[0],
            kind="shokken",
            changes={"shi": "青山", "shi_kana": "アオヤマ"},
            dates=dates(dt.date(2026, 5, 1)),
        ),
    )
    with yakuba.uow() as uow:
        assert current_row(uow.session, setai.atena_nos[1]).setainushi_name == "青山\u3000太郎"


def test_kari_toroku_is_invisible_until_hon_toroku(run: Run, yakuba: Yakuba) -> None:
    # j530: 仮登録 is not on the 住民票, is invisible to other departments, and feeds no integration.
    pending = run(
        service.tennyu,
        service.Tennyu(
            kind="kokunai",
            persons=[person()],
            address=MATSU_1,
            prev_address="横浜市",
            dates=dates(dt.date(2026, 4, 1), provisional=True),
        ),
    )
    with yakuba.uow() as uow:
        assert search(uow.session, kana="アオキ") == []
        assert latest_row(uow.session, pending.atena_nos[0]) is None
        assert uow.session.execute(select(OutboxEntry)).scalars().all() == []
    # j530: 審査・決裁 by another person — the clerk who entered it cannot approve it.
    with yakuba.uow() as uow, pytest.raises(Forbidden, match="別の職員の決裁が必要です"):
        service.confirm(uow, pending.ido_id, now=dt.datetime(2026, 11, 26, 3, tzinfo=dt.UTC))
    with yakuba.uow(Actor(login="manager")) as uow:
        service.confirm(uow, pending.ido_id, now=dt.datetime(2026, 11, 26, 3, tzinfo=dt.UTC))
        uow.commit()
    with yakuba.uow() as uow:
        assert [r.atena_no for r in search(uow.session, kana="アオキ")] == pending.atena_nos
        juki_events = select(OutboxEntry).where(OutboxEntry.business == "juki")
        assert [e.event_type for e in uow.session.execute(juki_events).scalars()] == [
            "juki.resident_registered"
        ]


def test_a_person_with_a_pending_kari_toroku_takes_no_other_ido(run: Run) -> None:
    (a1,) = new_setai(run, person()).atena_nos
    run(
        service.tenkyo,
        service.Tenkyo(atena_nos=[a1], address=MATSU_8, dates=dates(dt.date(2026, 5, 1), provisional=True)),
    )
    with pytest.raises(Conflict, match="仮登録中の異動"):
        run(service.tenkyo, service.Tenkyo(atena_nos=[a1], address=UME_3, dates=dates(dt.date(2026, 5, 2))))


def test_j980_torikeshi_restores_the_prior_state_and_keeps_both(
    run: Run, yakuba: Yakuba, history: Callable[[str], list]
) -> None:  # type: ignore[type-arg]
    (a1,) = new_setai(run, person()).atena_nos
    moved = run(
        service.tenkyo, service.Tenkyo(atena_nos=[a1], address=MATSU_8, dates=dates(dt.date(2026, 5, 1)))
    )
    run(service.torikeshi, service.Torikeshi(ido_id=moved.ido_id, dates=dates(dt.date(2026, 5, 2))))
    assert history(a1) == [
        (1, "A01", "松町1番地", "01"),
        (2, "C01", "松町8番地", "01"),
        (3, "C19", "松町1番地", "01"),
    ]


def test_kika_keeps_the_atena_no_and_numbers(run: Run, yakuba: Yakuba) -> None:
    # j910–j970: 帰化 ⇒ a Japanese record with the same 宛名番号, 住民票コード and 個人番号.
    foreigner = person(
        shi="NGUYEN VAN AN",
        mei="",
        shi_kana=None,
        mei_kana=None,
        honseki=None,
        hittosha=None,
        nationality="ベトナム",
        category_30_45="中長期在留者",
        zairyu_shikaku="技術・人文知識・国際業務",
        zairyu_card_no="AB12345678CD",
        mynumber=MYNUMBER,
        jumin_code="24727059608",
    )
    (a1,) = new_setai(run, foreigner).atena_nos
    run(
        service.kika,
        service.Kika(
            atena_no=a1,
            shi="阮",
            mei="文安",
            shi_kana="グエン",
            mei_kana="ヴァンアン",
            honseki="東京都千代田区千代田1番",
            hittosha="阮　文安",
            dates=dates(dt.date(2026, 8, 1)),
        ),
    )
    with yakuba.uow() as uow:
        row = current_row(uow.session, a1)
        assert (row.jumin_shubetsu, row.shi, row.jumin_code, row.zairyu_card_no) == (
            "1",
            "阮",
            "24727059608",
            None,
        )
        assert row.mynumber_enc is not None
        assert [i.jiyu_code for i in uow.session.execute(select(Ido).order_by(Ido.id)).scalars()][-2:] == [
            "B04",
            "A04",
        ]


def test_tsusho_only_for_foreign_residents(run: Run) -> None:
    (a1,) = new_setai(run, person()).atena_nos
    with pytest.raises(InputError, match="通称は外国人住民だけが記載できます"):
        run(
            service.tsusho,
            service.Tsusho(atena_no=a1, action="kisai", tsusho="青木", dates=dates(dt.date(2026, 5, 1))),
        )


def test_a_stale_setai_version_is_refused_with_409(run: Run, yakuba: Yakuba) -> None:
    # Two clerks load the same 世帯; the first 転居 wins, the second is told to reload (no lost update).
    setai = new_setai(run, person())
    loaded = {setai.setai_nos[0]: 2}  # the version both screens showed (1 at creation, 2 after the 記載)
    with yakuba.uow() as uow:
        from yakuba.juki.models import Setai

        setai_row = uow.session.get(Setai, setai.setai_nos[0])
        assert setai_row is not None
        loaded = {setai.setai_nos[0]: setai_row.version}
    run(
        service.tenkyo,
        service.Tenkyo(
            atena_nos=setai.atena_nos,
            address=MATSU_8,
            dates=dates(dt.date(2026, 5, 1), expected_setai_versions=loaded),
        ),
    )
    with pytest.raises(Conflict, match="他の職員が先に更新しました"):
        run(
            service.tenkyo,
            service.Tenkyo(
                atena_nos=setai.atena_nos,
                address=UME_3,
                dates=dates(dt.date(2026, 5, 1), expected_setai_versions=loaded),
            ),
        )


def test_j640_only_tenshutsu_may_be_dated_in_the_future(run: Run) -> None:
    (a1,) = new_setai(run, person()).atena_nos
    filed = run(
        service.tenshutsu,
        service.Tenshutsu(
            atena_nos=[a1], destination="横浜市", dates=dates(dt.date(2026, 12, 20), todoke=TODAY)
        ),
    )
    assert filed.status == "hon"
    with pytest.raises(InputError, match="異動日: 未来の日付は指定できません"):
        run(
            service.tenkyo,
            service.Tenkyo(atena_nos=[a1], address=MATSU_8, dates=dates(dt.date(2026, 11, 27), todoke=TODAY)),
        )


def test_remarks_c_is_corrected_like_any_item(run: Run, yakuba: Yakuba) -> None:
    # 統合記載欄 C (j200): free 備考, changed by 職権修正 with history kept.
    (a1,) = new_setai(run, person()).atena_nos
    run(
        service.shusei,
        service.Shusei(
            atena_no=a1,
            kind="shokken",
            changes={"remarks_c": "特別養子縁組"},
            dates=dates(dt.date(2026, 5, 1)),
        ),
    )
    with yakuba.uow() as uow:
        assert current_row(uow.session, a1).remarks_c == "特別養子縁組"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        # j60: 生年月日 and 本籍 must not be blank (「なし」「不明」 allowed, j120);
        # 不詳日 only in the allowed forms (j90).
        ({"birth_date": None}, "生年月日: 入力してください"),
        ({"birth_date": None, "birth_date_text": "昭和20年ごろ"}, "生年月日"),
        ({"honseki": None}, "本籍: 入力してください"),
    ],
)
def test_items_that_must_not_be_blank(run: Run, overrides: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        new_setai(run, person(**overrides))


def test_a_fumei_birth_date_is_kept_with_its_text(run: Run, yakuba: Yakuba) -> None:
    (a1,) = new_setai(run, person(birth_date=None, birth_date_text="昭和20年頃", honseki="不明")).atena_nos
    with yakuba.uow() as uow:
        row = current_row(uow.session, a1)
        assert (row.birth_date, row.birth_date_text, row.honseki) == (None, "昭和20年頃", "不明")
