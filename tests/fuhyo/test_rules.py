"""Pure rules: local 本籍, keys, items added by law on a date (spec-resident §3 Retroactivity)."""

from __future__ import annotations

import datetime as dt

ON = dt.date(2026, 11, 26)


def test_local_honseki_uses_the_settings_and_ignores_spaces_and_width(fh) -> None:
    rules = fh.rules
    assert rules.is_local_honseki("東京都やくば町本町一丁目1番地", ON)
    assert rules.is_local_honseki("東京都 やくば町本町１番", ON)
    assert not rules.is_local_honseki("東京都千代田区千代田1番", ON)
    assert not rules.is_local_honseki("なし", ON) and not rules.is_local_honseki(None, ON)
    assert rules.key("青木 太郎") == rules.key("青木　太郎") == "青木太郎"


def test_items_are_not_added_for_persons_who_left_before_the_law(fh) -> None:
    in_force = fh.rules.item_in_force
    assert in_force("birth_date", on=ON, removed_date=None)
    assert in_force("birth_date", on=ON, removed_date=dt.date(2022, 1, 11))
    assert not in_force("birth_date", on=ON, removed_date=dt.date(2022, 1, 10))
    assert not in_force("jumin_code", on=ON, removed_date=dt.date(2024, 5, 26))
    assert not in_force("jumin_code", on=dt.date(2024, 5, 26), removed_date=None)
    assert not in_force("furigana", on=dt.date(2025, 5, 25), removed_date=None)


def test_utsushi_defaults_changed_on_2022_01_11(fh) -> None:
    from yakuba.fuhyo.forms.utsushi import resolve

    request = fh.schemas.UtsushiRequest()
    assert resolve(request, dt.date(2022, 1, 10))["honseki"] is True
    assert resolve(request, dt.date(2022, 1, 11)) == {"honseki": False, "zaigai": False, "jumin_code": False}
    assert resolve(fh.schemas.UtsushiRequest(include_honseki=True), ON)["honseki"] is True
