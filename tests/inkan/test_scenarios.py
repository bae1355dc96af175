"""印鑑登録 scenarios, each quoting its source (spec-resident.md §2, §6 #13–#15; spec-resident-2.md §2.1).

Residents are made with the real 住民記録 commands; their events reach 印鑑登録 through the handlers in the
same transaction, exactly as in production.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from tests.inkan.conftest import Apply, application, household, seal_png
from tests.juki.conftest import dates, person
from yakuba.bootstrap import Yakuba
from yakuba.errors import InputError
from yakuba.inkan.commands.card import boshitsu, card_henkan, saikofu
from yakuba.inkan.commands.haishi import haishi
from yakuba.inkan.commands.shimei import confirm_name
from yakuba.inkan.commands.shokai import expire_overdue, kaito
from yakuba.inkan.commands.toroku import shinsei
from yakuba.inkan.models import InkanToroku
from yakuba.inkan.queries import events_of, get_toroku
from yakuba.inkan.rules import is_valid_card_no, is_valid_on, matching_items
from yakuba.inkan.schemas import Haishi, Kaito, Outcome, Saikofu, ShimeiKakunin
from yakuba.juki import service as juki
from yakuba.juki.base import AlertConfirmationRequired
from yakuba.kernel.age import age_on, attained_age_date

D = dt.date
MOVED_IN = D(2026, 3, 2)
State = Callable[[int], dict[str, Any]]
Run = Callable[..., Any]


def _registered(run: Run, apply: Apply, *, on: D = D(2026, 4, 1), **kw: Any) -> tuple[str, Outcome]:
    atena = household(run, person(), on=MOVED_IN).atena_nos[0]
    out = apply(shinsei, application(atena, **kw), today=on)
    assert out.status == "toroku", out
    return atena, out


def _tenshutsu(run: Run, atena: str, *, yotei: D, filed: D) -> None:
    run(
        juki.tenshutsu,
        juki.Tenshutsu(
            atena_nos=[atena], destination="大阪府大阪市北区梅田2丁目2番", dates=dates(yotei, filed)
        ),
        today=filed,
    )


# ------------------------------------------------------------------------------------------- 転出


def test_tenshutsu_ends_the_registration_on_the_yotei_date(
    run: Run, apply: Apply, state: State, yakuba: Yakuba
) -> None:
    """spec-resident.md §2 職権: 転出 ends it automatically from the 転出届 / 予定日; the registration stays
    usable until the day before the 転出予定日 (荒川区要領 §7, spec-resident-2.md §2.1)."""
    atena, out = _registered(run, apply)
    _tenshutsu(run, atena, yotei=D(2026, 4, 20), filed=D(2026, 4, 10))
    s = state(out.toroku_id)
    assert (s["status"], s["tenshutsu_yotei_date"]) == ("toroku", D(2026, 4, 20))
    with yakuba.uow() as uow:
        toroku = get_toroku(uow.session, out.toroku_id)
        assert is_valid_on(toroku, D(2026, 4, 19))
        assert not is_valid_on(toroku, D(2026, 4, 20))
    with yakuba.uow() as uow:  # the daily batch of 住民記録 makes the 除票 on the 予定日
        juki.apply_due_tenshutsu(uow, today=D(2026, 4, 20))
        uow.commit()
    s = state(out.toroku_id)
    assert (s["status"], s["end_date"], s["end_jiyu"]) == ("massho", D(2026, 4, 20), "tenshutsu")
    assert s["cards"] == [(out.card_no, "mukou")]
    kinds = [k for k, _, _ in s["events"]]
    assert kinds[-2:] == ["card_mukou", "massho"] and "massho_yotei" in kinds


def test_tennyu_tsuchi_with_an_earlier_date_ends_it_on_the_kakutei_date(
    run: Run, apply: Apply, state: State
) -> None:
    """spec-resident.md §6 #5 (j50): the 除票 takes effect on the earlier of 予定日 and 転入日; §2: the
    印鑑登録 follows the 転出 — so it ends on the 確定 date."""
    atena, out = _registered(run, apply)
    _tenshutsu(run, atena, yotei=D(2026, 4, 30), filed=D(2026, 4, 10))
    run(
        juki.receive_tennyu_tsuchi,
        juki.TennyuTsuchi(
            atena_no=atena,
            tennyu_date=D(2026, 4, 22),
            kakutei_address="大阪府大阪市北区梅田2丁目2番",
            tsuchi_date=D(2026, 4, 25),
        ),
        today=D(2026, 4, 25),
    )
    s = state(out.toroku_id)
    assert (s["status"], s["end_date"], s["end_jiyu"]) == ("massho", D(2026, 4, 22), "tenshutsu")


def test_a_later_tennyu_tsuchi_moves_an_end_already_made_on_the_yotei_date(
    run: Run, apply: Apply, state: State, yakuba: Yakuba
) -> None:
    """Removed on the 予定日 first; the 転入通知 then shows an earlier 転入日: the 抹消日 is corrected by an
    appended event (the first end date stays in the log)."""
    atena, out = _registered(run, apply)
    _tenshutsu(run, atena, yotei=D(2026, 4, 20), filed=D(2026, 4, 10))
    with yakuba.uow() as uow:
        juki.apply_due_tenshutsu(uow, today=D(2026, 4, 20))
        uow.commit()
    run(
        juki.receive_tennyu_tsuchi,
        juki.TennyuTsuchi(
            atena_no=atena,
            tennyu_date=D(2026, 4, 15),
            kakutei_address="大阪府大阪市北区梅田2丁目2番",
            tsuchi_date=D(2026, 4, 28),
        ),
        today=D(2026, 4, 28),
    )
    s = state(out.toroku_id)
    assert (s["status"], s["end_date"]) == ("massho", D(2026, 4, 15))
    assert ("massho", D(2026, 4, 20), "tenshutsu") in s["events"]
    assert s["events"][-1] == ("massho_date_teisei", D(2026, 4, 15), "tenshutsu")


def test_after_a_tenshutsu_todoke_one_may_register_until_the_day_before_the_yotei_date(
    run: Run, apply: Apply, state: State
) -> None:
    """荒川区要領 §7 (spec-resident.md §2 Eligibility): 転出届の後は転出予定日の前日まで登録できる."""
    atena = household(run, person(), on=MOVED_IN).atena_nos[0]
    _tenshutsu(run, atena, yotei=D(2026, 4, 20), filed=D(2026, 4, 10))
    with pytest.raises(InputError, match="転出予定日"):
        apply(shinsei, application(atena), today=D(2026, 4, 20))
    out = apply(shinsei, application(atena), today=D(2026, 4, 19))
    assert state(out.toroku_id)["tenshutsu_yotei_date"] == D(2026, 4, 20)


# ------------------------------------------------------------------------------------------- 年齢


def test_the_brief_example_born_2012_04_02_is_14_on_2026_04_01() -> None:
    """年齢計算ニ関スル法律 + 民法第143条: an age is attained at the end of the day before the birthday."""
    assert attained_age_date(D(2012, 4, 2), 14) == D(2026, 4, 1)
    assert age_on(D(2012, 4, 2), D(2026, 4, 1)) == 14


@pytest.mark.parametrize(
    ("birth", "on", "accepted"),
    [
        (D(2012, 4, 2), D(2026, 4, 1), False),  # 14
        (D(2011, 4, 3), D(2026, 4, 1), False),  # 14: turns 15 on 2026-04-02
        (D(2011, 4, 3), D(2026, 4, 2), True),  # 15 on the day before the 15th birthday
        (D(2011, 4, 2), D(2026, 4, 1), True),  # 15
    ],
)
def test_a_14_year_old_is_refused(run: Run, apply: Apply, birth: D, on: D, accepted: bool) -> None:
    """spec-resident.md §6 #13 (若狭町): 14 is refused; 15 (年齢計算ニ関スル法律) is accepted."""
    r = household(
        run, person(), person(mei="次郎", mei_kana="ジロウ", birth_date=birth, zokugara="子"), on=MOVED_IN
    )
    child = r.atena_nos[1]
    if accepted:
        assert apply(shinsei, application(child), today=on).status == "toroku"
        return
    with pytest.raises(InputError) as caught:
        apply(shinsei, application(child), today=on)
    assert caught.value.problems[0].field == "生年月日"
    assert "満15歳未満" in str(caught.value) and "満14歳" in str(caught.value)
    assert "年齢計算ニ関スル法律" in str(caught.value)


def test_lacking_ishi_noryoku_and_a_second_seal_are_refused(run: Run, apply: Apply) -> None:
    """spec-resident.md §2: 意思能力を有しない者 and anyone who already has a seal registered (1人1個)."""
    atena, _ = _registered(run, apply)
    with pytest.raises(InputError, match="既に印鑑登録を受けています"):
        apply(shinsei, application(atena, png=seal_png("青木", mm=13)), today=D(2026, 4, 2))
    other = household(run, person(shi="井上", shi_kana="イノウエ"), on=MOVED_IN).atena_nos[0]
    with pytest.raises(InputError, match="意思能力"):
        apply(shinsei, application(other, inbun="井上", ishi_noryoku_nashi=True), today=D(2026, 4, 2))


def test_seinen_hikokennin_only_with_the_kokennin(run: Run, apply: Apply) -> None:
    """spec-resident-2.md §2.1 (七ヶ浜町): a 成年被後見人 may register accompanied by the 成年後見人."""
    atena = household(run, person(), on=MOVED_IN).atena_nos[0]
    with pytest.raises(InputError, match="成年被後見人"):
        apply(shinsei, application(atena, seinen_hikokennin=True), today=D(2026, 4, 1))
    out = apply(shinsei, application(atena, seinen_hikokennin=True, kokennin_dohan=True), today=D(2026, 4, 1))
    assert out.status == "toroku"


# ------------------------------------------------------------------------------------------- 印影の大きさ


def test_an_impression_that_fits_in_an_8_mm_square_is_refused_saying_so(run: Run, apply: Apply) -> None:
    """spec-resident.md §6 #13 (若狭町 「一辺の長さ8ミリメートルの正方形に収まるもの」)."""
    atena = household(run, person(), on=MOVED_IN).atena_nos[0]
    with pytest.raises(InputError) as caught:
        apply(shinsei, application(atena, png=seal_png(mm=7.5)), today=D(2026, 4, 1))
    message = str(caught.value)
    assert "8ミリメートルの正方形に収まるため登録できません" in message
    assert "7.5" in message and "600 dpi" in message


def test_an_impression_that_does_not_fit_in_a_25_mm_square_is_refused_saying_so(
    run: Run, apply: Apply
) -> None:
    """spec-resident.md §6 #13 (若狭町 「一辺の長さ25ミリメートルの正方形に収まらないもの」)."""
    atena = household(run, person(), on=MOVED_IN).atena_nos[0]
    with pytest.raises(InputError) as caught:
        apply(shinsei, application(atena, png=seal_png(mm=26, shape="square")), today=D(2026, 4, 1))
    assert "25ミリメートルの正方形に収まらないため登録できません" in str(caught.value)
    assert "26.0" in str(caught.value)


def test_a_slanted_24_mm_square_impression_still_fits_the_25_mm_gauge(
    run: Run, apply: Apply, state: State
) -> None:
    """The impression is measured as the square gauge measures it: a 24 mm square stamped 20° askew has a
    bounding box of about 30 mm but fits a 25 mm square (docs/decisions/inkan-inei-measurement.md)."""
    atena = household(run, person(), on=MOVED_IN).atena_nos[0]
    out = apply(
        shinsei,
        application(atena, png=seal_png(mm=24, shape="square", angle=20)),
        today=D(2026, 4, 1),
    )
    assert out.measurement is not None
    assert out.measurement["width_mm"] > 28
    assert 23.8 < out.measurement["square_mm"] < 24.3


@pytest.mark.parametrize(("mm", "ok"), [(8.5, True), (12.0, True), (24.5, True), (7.9, False), (25.6, False)])
def test_sizes_around_the_limits(run: Run, apply: Apply, mm: float, ok: bool) -> None:
    atena = household(run, person(), on=MOVED_IN).atena_nos[0]
    command = application(atena, png=seal_png(mm=mm, dpi=400))
    if ok:
        assert apply(shinsei, command, today=D(2026, 4, 1)).status == "toroku"
    else:
        with pytest.raises(InputError, match="ミリメートルの正方形"):
            apply(shinsei, command, today=D(2026, 4, 1))


def test_the_scan_resolution_is_required_and_bounded(run: Run, apply: Apply) -> None:
    atena = household(run, person(), on=MOVED_IN).atena_nos[0]
    bare = seal_png(embed_dpi=False)
    with pytest.raises(InputError, match="読取解像度"):
        apply(shinsei, application(atena, png=bare), today=D(2026, 4, 1))
    with pytest.raises(InputError, match="150 dpi では測定できません"):
        apply(shinsei, application(atena, png=seal_png(dpi=150)), today=D(2026, 4, 1))
    with pytest.raises(InputError, match="画像として読めません"):
        apply(shinsei, application(atena, png=b"not an image"), today=D(2026, 4, 1))
    assert apply(shinsei, application(atena, png=bare, dpi=600), today=D(2026, 4, 1)).status == "toroku"


# ------------------------------------------------------------------------------------------- 本人確認


def test_licence_or_hoshonin_registers_the_same_day_otherwise_a_shokaisho(run: Run, apply: Apply) -> None:
    """spec-resident.md §6 #14 (多古町・若狭町): licence or 保証人 → same day; neither → 照会書 by post."""
    _, guarantor = _registered(run, apply)
    b = household(run, person(shi="井上", shi_kana="イノウエ"), on=MOVED_IN).atena_nos[0]
    c = household(run, person(shi="上田", shi_kana="ウエダ"), on=MOVED_IN).atena_nos[0]
    with_hoshonin = apply(
        shinsei,
        application(
            b, png=seal_png("井上"), inbun="井上", kakunin_hoho="hoshonin", hoshonin_card_no=guarantor.card_no
        ),
        today=D(2026, 4, 1),
    )
    assert with_hoshonin.status == "toroku" and with_hoshonin.card_no
    by_post = apply(
        shinsei,
        application(c, png=seal_png("上田"), inbun="上田", kakunin_hoho="shokaisho", kakunin_document=None),
        today=D(2026, 4, 1),
    )
    assert (by_post.status, by_post.toroku_no, by_post.card_no) == ("shokai", None, None)
    assert by_post.kaito_deadline == D(2026, 4, 21)  # 20 days, 初日不算入 (民法第140条)


def test_a_hoshonin_must_hold_a_valid_registration_here(run: Run, apply: Apply) -> None:
    atena = household(run, person(), on=MOVED_IN).atena_nos[0]
    with pytest.raises(InputError, match="登録されていません"):
        apply(
            shinsei,
            application(atena, kakunin_hoho="hoshonin", hoshonin_card_no="000000000"),
            today=D(2026, 4, 1),
        )


def test_a_dairinin_application_always_goes_through_the_shokaisho(run: Run, apply: Apply) -> None:
    """spec-resident.md §2 (Procedure): a 代理人 files only with a 委任, and the person is asked by post."""
    atena = household(run, person(), on=MOVED_IN).atena_nos[0]
    with pytest.raises(InputError, match="照会書"):
        apply(shinsei, application(atena, dairinin=True), today=D(2026, 4, 1))


def test_a_kaito_answered_late_does_not_register(run: Run, apply: Apply, state: State) -> None:
    """spec-resident.md §6 #14: register when the 回答書 is back within the deadline (20 days in 若狭町);
    §2: if not → no registration (永平寺町規則第3条第3項)."""
    atena = household(run, person(), on=MOVED_IN).atena_nos[0]
    out = apply(shinsei, application(atena, kakunin_hoho="shokaisho"), today=D(2026, 4, 1))
    assert out.kaito_deadline == D(2026, 4, 21)
    late = apply(kaito, out.toroku_id, Kaito(), today=D(2026, 4, 22))
    assert (late.status, late.end_jiyu, late.toroku_no) == ("futoroku", "kigen_keika", None)
    assert "提出期限" in late.message
    s = state(out.toroku_id)
    assert (s["status"], s["toroku_no"], s["cards"]) == ("futoroku", None, [])
    again = apply(shinsei, application(atena, kakunin_hoho="shokaisho"), today=D(2026, 4, 22))
    on_time = apply(kaito, again.toroku_id, Kaito(), today=D(2026, 5, 12))  # the last day
    assert on_time.status == "toroku" and on_time.card_no


def test_a_deadline_on_a_holiday_moves_to_the_next_working_day(run: Run, apply: Apply) -> None:
    """地方自治法第4条の2第4項 (九重町: 15日目が休日なら次の開庁日まで): 2026-04-13 + 20 days = 5月3日 (日),
    then 憲法記念日・みどりの日・こどもの日・振替休日 → 5月7日."""
    atena = household(run, person(), on=MOVED_IN).atena_nos[0]
    out = apply(shinsei, application(atena, kakunin_hoho="shokaisho"), today=D(2026, 4, 13))
    assert out.kaito_deadline == D(2026, 5, 7)


def test_the_daily_batch_closes_overdue_applications(
    run: Run, apply: Apply, state: State, yakuba: Yakuba
) -> None:
    atena = household(run, person(), on=MOVED_IN).atena_nos[0]
    out = apply(shinsei, application(atena, kakunin_hoho="shokaisho"), today=D(2026, 4, 1))
    with yakuba.uow() as uow:
        assert expire_overdue(uow, today=D(2026, 4, 21)) == []
        assert len(expire_overdue(uow, today=D(2026, 4, 22))) == 1
        uow.commit()
    s = state(out.toroku_id)
    assert (s["status"], s["end_date"], s["end_jiyu"]) == ("futoroku", D(2026, 4, 22), "kigen_keika")


def test_a_kaito_showing_it_was_not_the_persons_will_does_not_register(run: Run, apply: Apply) -> None:
    atena = household(run, person(), on=MOVED_IN).atena_nos[0]
    out = apply(shinsei, application(atena, kakunin_hoho="shokaisho"), today=D(2026, 4, 1))
    answer = apply(kaito, out.toroku_id, Kaito(honnin_ishi=False), today=D(2026, 4, 3))
    assert (answer.status, answer.end_jiyu) == ("futoroku", "honnin_ishi_nashi")


# ------------------------------------------------------------------------------------------- 死亡・転居・消除


def test_death_ends_it_on_the_day_of_death(run: Run, apply: Apply, state: State) -> None:
    """spec-resident.md §2 職権: 死亡 ends the registration (the 消除 date is the 死亡日)."""
    atena, out = _registered(run, apply)
    run(
        juki.shojo,
        juki.Shojo(atena_no=atena, reason="shibo", dates=dates(D(2026, 6, 10), D(2026, 6, 11))),
        today=D(2026, 6, 11),
    )
    s = state(out.toroku_id)
    assert (s["status"], s["end_date"], s["end_jiyu"]) == ("massho", D(2026, 6, 10), "shibo")
    assert s["cards"] == [(out.card_no, "mukou")]
    with pytest.raises(InputError, match="住民基本台帳に記録されていない"):  # only residents may register
        apply(shinsei, application(atena), today=D(2026, 6, 12))


def test_any_other_shojo_ends_it(run: Run, apply: Apply, state: State) -> None:
    """spec-resident.md §2 職権: any other removal from the 住民基本台帳 (here 実態調査による職権消除)."""
    atena, out = _registered(run, apply)
    run(
        juki.shojo,
        juki.Shojo(atena_no=atena, reason="jittai", dates=dates(D(2026, 6, 10), D(2026, 6, 10))),
        today=D(2026, 6, 10),
    )
    s = state(out.toroku_id)
    assert (s["status"], s["end_jiyu"]) == ("massho", "shojo")


def test_tenkyo_keeps_the_registration(run: Run, apply: Apply, state: State) -> None:
    """spec-resident.md §2 職権: 「a 転居 only updates the address」 — nothing changes here."""
    from tests.juki.conftest import UME_3

    atena, out = _registered(run, apply)
    before = state(out.toroku_id)
    run(
        juki.tenkyo,
        juki.Tenkyo(atena_nos=[atena], address=UME_3, dates=dates(D(2026, 5, 1))),
        today=D(2026, 5, 1),
    )
    assert state(out.toroku_id) == before


def test_cancelling_a_wrong_death_restores_the_registration(
    run: Run, apply: Apply, state: State, yakuba: Yakuba
) -> None:
    """異動の取消し (j980) restores the person; what the cancelled 異動 caused here is reversed too."""
    atena, out = _registered(run, apply)
    death = run(
        juki.shojo,
        juki.Shojo(atena_no=atena, reason="shibo", dates=dates(D(2026, 6, 10), D(2026, 6, 10))),
        today=D(2026, 6, 10),
    )
    assert state(out.toroku_id)["status"] == "massho"
    run(
        juki.torikeshi, juki.Torikeshi(ido_id=death.ido_id, dates=dates(D(2026, 6, 12))), today=D(2026, 6, 12)
    )
    s = state(out.toroku_id)
    assert (s["status"], s["end_date"], s["cards"]) == ("toroku", None, [(out.card_no, "yuko")])
    assert [k for k, _, _ in s["events"]][-2:] == ["kaifuku", "card_fukki"]


def test_cancelling_the_tenshutsu_todoke_withdraws_the_scheduled_end(
    run: Run, apply: Apply, state: State, yakuba: Yakuba
) -> None:
    atena, out = _registered(run, apply)
    _tenshutsu(run, atena, yotei=D(2026, 4, 20), filed=D(2026, 4, 10))
    with yakuba.uow() as uow:
        events = events_of(uow.session, out.toroku_id)
        ido = next(e.ido_id for e in events if e.kind == "massho_yotei")  # the 転出届's 異動
    assert ido is not None
    run(juki.torikeshi, juki.Torikeshi(ido_id=ido, dates=dates(D(2026, 4, 12))), today=D(2026, 4, 12))
    s = state(out.toroku_id)
    assert (s["status"], s["tenshutsu_yotei_date"]) == ("toroku", None)


# ------------------------------------------------------------------------------------------- 氏名


def test_a_name_change_reopens_the_confirmation_and_lapses_when_the_seal_no_longer_fits(
    run: Run, apply: Apply, state: State
) -> None:
    """spec-resident.md §6 #15: a married woman's seal showing the old surname lapses; §2 職権: a change of
    氏名 after which the seal no longer represents the name ends it (staff confirmation)."""
    atena, out = _registered(run, apply)
    run(
        juki.shusei,
        juki.Shusei(
            atena_no=atena,
            kind="shokken",
            changes={"shi": "山田", "shi_kana": "ヤマダ"},
            dates=dates(D(2026, 6, 1)),
        ),
        today=D(2026, 6, 1),
    )
    s = state(out.toroku_id)
    assert (s["status"], s["name_status"]) == ("toroku", "reopened")
    assert [k for k, _, _ in s["events"]].count("shimei_saikakunin") == 1  # one 異動, one re-opening
    ended = apply(
        confirm_name,
        out.toroku_id,
        ShimeiKakunin(still_represents=False),
        today=D(2026, 6, 3),
    )
    assert ended.end_jiyu == "shimei_henko"
    s = state(out.toroku_id)
    assert (s["status"], s["end_date"], s["end_jiyu"]) == ("massho", D(2026, 6, 1), "shimei_henko")


def test_a_seal_in_the_kyu_uji_stays_when_the_kyu_uji_is_recorded(
    run: Run, apply: Apply, state: State
) -> None:
    """spec-resident.md §6 #15 (長浜市): with 旧氏 on the 住民票, a seal in the 旧氏 is allowed."""
    atena, out = _registered(run, apply)
    run(
        juki.shusei,
        juki.Shusei(
            atena_no=atena,
            kind="shokken",
            changes={"shi": "山田", "shi_kana": "ヤマダ"},
            dates=dates(D(2026, 6, 1)),
        ),
        today=D(2026, 6, 1),
    )
    with pytest.raises(InputError, match="旧氏は住民票に記録されていません"):
        apply(
            confirm_name,
            out.toroku_id,
            ShimeiKakunin(still_represents=True, represents="kyu_uji"),
            today=D(2026, 6, 1),
        )
    run(
        juki.kyu_uji,
        juki.KyuUji(
            atena_no=atena, action="kisai", kyu_uji="青木", kyu_uji_kana="アオキ", dates=dates(D(2026, 6, 2))
        ),
        today=D(2026, 6, 2),
    )
    s = state(out.toroku_id)
    assert s["name_status"] == "reopened"
    last_reopen = [k for k, _, _ in s["events"]].count("shimei_saikakunin")
    assert last_reopen == 2
    apply(
        confirm_name,
        out.toroku_id,
        ShimeiKakunin(still_represents=True, represents="kyu_uji"),
        today=D(2026, 6, 2),
    )
    s = state(out.toroku_id)
    assert (s["status"], s["name_status"], s["represents"], s["represents_text"]) == (
        "toroku",
        "confirmed",
        "kyu_uji",
        "青木",
    )


def test_the_inbun_must_match_the_name_or_the_clerk_confirms(run: Run, apply: Apply) -> None:
    """spec-resident.md §2 (Seals that cannot be registered, 1): the seal must show the recorded name."""
    atena = household(run, person(), on=MOVED_IN).atena_nos[0]
    with pytest.raises(InputError, match="氏名の確認"):
        apply(shinsei, application(atena, name_confirmed=False), today=D(2026, 4, 1))
    with pytest.raises(AlertConfirmationRequired) as caught:
        apply(shinsei, application(atena, inbun="靑木"), today=D(2026, 4, 1))  # 旧字
    assert "一致しません" in caught.value.alerts[0]
    out = apply(shinsei, application(atena, inbun="靑木", confirm_alerts=True), today=D(2026, 4, 1))
    assert out.status == "toroku"


def test_inbun_with_no_in_suffix_matches() -> None:
    items = {"shimei": "青木太郎", "shi": "青木", "mei": "太郎"}
    assert matching_items(items, "青木之印") == ["shi"]
    assert matching_items(items, "青木 太郎") == ["shimei"]


# ------------------------------------------------------------------------------------------- 世帯


def test_a_near_identical_seal_in_the_same_setai_raises_an_alert(run: Run, apply: Apply) -> None:
    """spec-resident.md §2 (6): identical or very similar to a seal registered by someone in the same 世帯."""
    r = household(
        run,
        person(),
        person(mei="花子", mei_kana="ハナコ", sex="2", zokugara="妻", birth_date=D(1982, 7, 7)),
        person(mei="次郎", mei_kana="ジロウ", zokugara="子", birth_date=D(2005, 1, 1)),
        on=MOVED_IN,
    )
    husband, wife, son = r.atena_nos
    assert (
        apply(shinsei, application(husband, png=seal_png("青木", mm=15)), today=D(2026, 4, 1)).status
        == "toroku"
    )
    # the same seal stamped again: a little rotated, shifted, scanned at another resolution
    same = seal_png("青木", mm=15, dpi=400, angle=5, offset=(7, -4))
    with pytest.raises(AlertConfirmationRequired) as caught:
        apply(shinsei, application(wife, png=same), today=D(2026, 4, 1))
    assert "同一世帯" in caught.value.alerts[0] and "類似" in caught.value.alerts[0]
    # a different seal (other name, other size) raises nothing
    different = seal_png("次郎", mm=12, shape="square")
    out = apply(shinsei, application(son, png=different, inbun="次郎", represents="mei"), today=D(2026, 4, 1))
    assert out.alerts == []


# ------------------------------------------------------------------------------------------- 登録証


def test_boshitsu_ends_the_registration_and_a_found_card_is_returned(
    run: Run, apply: Apply, state: State
) -> None:
    """永平寺町規則 (spec-resident.md §2): 亡失届 → registration cancelled; a found card is returned (§7)."""
    _, out = _registered(run, apply)
    lost = apply(boshitsu, out.toroku_id, today=D(2026, 5, 1))
    assert (lost.status, lost.end_jiyu) == ("massho", "boshitsu")
    assert state(out.toroku_id)["cards"] == [(out.card_no, "boshitsu")]
    apply(card_henkan, out.card_no, today=D(2026, 5, 8))
    assert state(out.toroku_id)["cards"] == [(out.card_no, "kaishu")]


def test_saikofu_of_a_damaged_card_gives_a_new_number(run: Run, apply: Apply, state: State) -> None:
    _, out = _registered(run, apply)
    again = apply(saikofu, out.toroku_id, Saikofu(reason="kison"), today=D(2026, 5, 1))
    assert again.card_no and again.card_no != out.card_no and again.fee == 300
    assert state(out.toroku_id)["cards"] == [(out.card_no, "kaishu"), (again.card_no, "yuko")]
    assert is_valid_card_no(again.card_no)
    assert not is_valid_card_no(again.card_no[:-1] + str((int(again.card_no[-1]) + 1) % 10))


def test_haishi_ends_it_and_takes_the_card_back(run: Run, apply: Apply, state: State) -> None:
    _, out = _registered(run, apply)
    apply(haishi, out.toroku_id, Haishi(), today=D(2026, 5, 1))
    s = state(out.toroku_id)
    assert (s["status"], s["end_date"], s["end_jiyu"], s["cards"]) == (
        "massho",
        D(2026, 5, 1),
        "haishi",
        [(out.card_no, "kaishu")],
    )
    with pytest.raises(InputError, match="登録されている印鑑ではありません"):
        apply(haishi, out.toroku_id, Haishi(), today=D(2026, 5, 2))


def test_the_database_itself_allows_one_open_registration_per_person(
    run: Run, apply: Apply, yakuba: Yakuba
) -> None:
    """1人1個 (spec-resident.md §2) is also a partial unique index, so two clerks cannot both register."""
    atena, out = _registered(run, apply)
    with yakuba.uow() as uow:
        first = get_toroku(uow.session, out.toroku_id)
        columns = {c.name: getattr(first, c.name) for c in InkanToroku.__table__.columns if c.name != "id"}
        uow.session.add(InkanToroku(**{**columns, "status": "shokai", "toroku_no": None}))
        with pytest.raises(IntegrityError):
            uow.session.flush()
    apply(haishi, out.toroku_id, Haishi(), today=D(2026, 5, 1))
    again = apply(shinsei, application(atena, png=seal_png(mm=13)), today=D(2026, 5, 1))
    assert again.status == "toroku" and again.toroku_no != out.toroku_no
