"""住民記録 記載 through the command used by the demo and (later) the 転入 screens."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from yakuba.bootstrap import Yakuba
from yakuba.errors import InputError
from yakuba.events import OutboxEntry
from yakuba.juki.history import latest_row, state_as_of
from yakuba.juki.models import Ido, Rireki
from yakuba.juki.queries import search
from yakuba.juki.service import AddressInput, PersonInput, register_household
from yakuba.kernel.checkdigit import is_valid_atena_number

ADDRESS = AddressInput(choaza_code="0010001", choaza_name="松町", banchi="1番地", postal_code="1000001")


def _person(**overrides: object) -> PersonInput:
    values: dict[str, object] = {
        "shi": "青木",
        "mei": "太郎",
        "shi_kana": "アオキ",
        "mei_kana": "タロウ",
        "birth_date": dt.date(1980, 5, 1),
        "sex": "1",
        "zokugara": "世帯主",
        "honseki": "東京都千代田区千代田1番",
    }
    values.update(overrides)
    return PersonInput(**values)  # type: ignore[arg-type]


def test_a_tennyu_appends_history_rows_and_an_event_per_person(yakuba: Yakuba) -> None:
    # 住民記録システム標準仕様書 第1.0版 j200 (spec-resident.md §6 #2): 青木太郎 and 青木花子 join one 世帯.
    with yakuba.uow() as uow:
        registered = register_household(
            uow,
            jiyu_code="A01",
            persons=[_person(), _person(mei="花子", mei_kana="ハナコ", sex="2", zokugara="妻")],
            address=ADDRESS,
            ido_date=dt.date(2026, 4, 1),
            todoke_date=dt.date(2026, 4, 20),
            prev_address="大阪府大阪市北区梅田1丁目1番",
            today=dt.date(2026, 4, 20),
        )
        uow.commit()
    head, wife = registered.atena_nos
    assert all(is_valid_atena_number(a) for a in registered.atena_nos)
    with yakuba.uow() as uow:
        rows = uow.session.execute(select(Rireki).order_by(Rireki.id)).scalars().all()
        assert [(r.atena_no, r.rireki_no, r.setai_no, r.choaza_name) for r in rows] == [
            (head, 1, registered.setai_no, "松町"),
            (wife, 1, registered.setai_no, "松町"),
        ]
        assert rows[1].setainushi_name == "青木\u3000太郎"
        ido = uow.session.get(Ido, registered.ido_id)
        assert ido is not None
        # 住民基本台帳法第22条: 14 days; filed on day 19 ⇒ listed for the 届出期間経過通知, still accepted.
        assert ido.late_notification is True
        juki_events = select(func.count()).select_from(OutboxEntry).where(OutboxEntry.business == "juki")
        assert uow.session.execute(juki_events).scalar_one() == 2
        assert latest_row(uow.session, head) is not None
        assert state_as_of(uow.session, head, dt.date(2026, 3, 31)) is None
        found = search(uow.session, kana="ｱｵｷ ﾊﾅｺ")
        assert [r.atena_no for r in found] == [wife]


def test_a_mynumber_with_a_wrong_check_digit_is_refused_and_nothing_changes(yakuba: Yakuba) -> None:
    with pytest.raises(InputError) as caught, yakuba.uow() as uow:
        register_household(
            uow,
            jiyu_code="A01",
            persons=[_person(mynumber="983205673210")],
            address=ADDRESS,
            ido_date=dt.date(2026, 4, 1),
            todoke_date=dt.date(2026, 4, 1),
            today=dt.date(2026, 4, 1),
            prev_address="大阪府大阪市北区梅田1丁目1番",
        )
        uow.commit()
    assert str(caught.value) == "個人番号: 検査用数字が正しくありません"
    with yakuba.uow() as uow:
        assert uow.session.execute(select(func.count()).select_from(Rireki)).scalar_one() == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"ido_date": dt.date(2026, 5, 1)}, "異動日: 未来の日付は指定できません"),
        ({"todoke_date": dt.date(2026, 5, 1)}, "届出日: 未来の日付は指定できません"),
        ({"jiyu_code": "C01"}, "異動事由: C01 は記載の事由ではありません"),
        ({"jiyu_code": "A01", "prev_address": None}, "転入前住所: 国内転入では転入前住所を入力してください"),
    ],
)
def test_dates_and_reasons_are_checked(yakuba: Yakuba, kwargs: dict[str, object], message: str) -> None:
    # 住民記録システム標準仕様書 第1.0版 j530/j570: 異動日 ≤ 処理日 (転出を除く), 届出日 ≤ 処理日.
    args: dict[str, object] = {
        "jiyu_code": "A01",
        "ido_date": dt.date(2026, 4, 1),
        "todoke_date": dt.date(2026, 4, 1),
        "prev_address": "大阪府大阪市北区梅田1丁目1番",
    }
    args.update(kwargs)
    with pytest.raises(InputError, match=message), yakuba.uow() as uow:
        register_household(
            uow,
            persons=[_person()],
            address=ADDRESS,
            today=dt.date(2026, 4, 10),
            **args,  # type: ignore[arg-type]
        )


def test_the_projection_is_derived_state_that_rebuilds_identically(yakuba: Yakuba) -> None:
    from yakuba.juki.history import rebuild_projection
    from yakuba.juki.models import Jumin, Setai

    with yakuba.uow() as uow:
        for n in range(3):
            register_household(
                uow,
                jiyu_code="A01",
                persons=[_person(mei=f"太郎{n}"), _person(mei="花子", sex="2", zokugara="妻")],
                address=ADDRESS,
                ido_date=dt.date(2026, 4, 1),
                todoke_date=dt.date(2026, 4, 1),
                today=dt.date(2026, 4, 1),
                prev_address="大阪府大阪市北区梅田1丁目1番",
            )
        uow.commit()

    def snapshot() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
        with yakuba.uow() as uow:
            people = [
                (
                    j.atena_no,
                    j.current_rireki_no,
                    j.setai_no,
                    j.jumin_jotai,
                    j.kana_key,
                    j.name_key,
                    j.birth_date,
                )
                for j in uow.session.execute(select(Jumin).order_by(Jumin.atena_no)).scalars()
            ]
            setai = [
                (s.setai_no, s.member_count)
                for s in uow.session.execute(select(Setai).order_by(Setai.setai_no)).scalars()
            ]
            return people, setai

    before = snapshot()
    with yakuba.uow() as uow:
        assert rebuild_projection(uow.session) == 6
        uow.commit()
    assert snapshot() == before
    assert [count for _no, count in before[1]] == [2, 2, 2]
