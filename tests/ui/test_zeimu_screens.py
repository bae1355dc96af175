"""The 税務 counter screens without a browser: explaining an assessed bill, a past day, the simulation.

Amounts are the 令和8年度 scenario 「給与のみ・配偶者と子2人」 (tests/zeimu/kojin/scenarios/r8.yaml), the
same figures as tests/zeimu/kojin/test_api.py, so the screen and the API are seen to agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from yakuba.audit.models import AuditEntry
from yakuba.bootstrap import Yakuba
from yakuba.juki.public import AddressInput, PersonInput, register_household

from ..api.conftest import StaffAccount, login_with_totp

HTML = {"Accept": "text/html"}
JSON = {"Accept": "application/json"}
FAMILY: dict[str, Any] = {
    "kyuyo_shunyu": 5_000_000,
    "age": 42,
    "shakai_hokenryo": 720_000,
    "spouse": {"gokei_shotoku": 0, "age": 40},
    "dependants": [{"age": 10}, {"age": 17}],
}
# The same family as the simulation form sends it.
FAMILY_FORM = {
    "nendo": "2026",
    "kyuyo_shunyu": "5,000,000",
    "age": "42",
    "shakai_hokenryo": "720000",
    "spouse": "true",
    "spouse_shotoku": "0",
    "spouse_age": "40",
    "dependant_age_1": "10",
    "dependant_age_2": "17",
}


@pytest.fixture
def taxpayer(yakuba: Yakuba) -> str:
    """税野 一郎, on the 台帳 since 2025-06-01, so assessable for 令和8年度 (賦課期日 2026-01-01)."""
    with yakuba.uow() as uow:
        registered = register_household(
            uow,
            jiyu_code="A01",
            persons=[
                PersonInput(
                    shi="税野",
                    mei="一郎",
                    shi_kana="ゼイノ",
                    mei_kana="イチロウ",
                    birth_date=dt.date(1983, 5, 1),
                    sex="1",
                    zokugara="世帯主",
                    honseki="なし",
                )
            ],
            address=AddressInput(choaza_code="0010001", choaza_name="松町", banchi="2番地"),
            ido_date=dt.date(2025, 6, 1),
            todoke_date=dt.date(2025, 6, 3),
            prev_address="大阪府大阪市北区梅田1丁目1番",
            today=dt.date(2025, 6, 3),
        )
        uow.commit()
    return registered.atena_nos[0]


def _clerk(client: TestClient, make_staff: Callable[..., StaffAccount], roles: list[str]) -> dict[str, str]:
    staff = make_staff("zeimu-tanto", roles)
    return {"X-CSRF-Token": login_with_totp(client, staff)}


def _assess(client: TestClient, csrf: dict[str, str], atena_no: str, **body: Any) -> None:
    """Through the API (the session cookie and CSRF header): the screen reads what it wrote."""
    response = client.post(f"/api/v1/zeimu/kojin/kazei/2026/{atena_no}", json=body, headers={**csrf, **JSON})
    assert response.status_code == 200, response.text


def test_an_assessed_resident_is_explained_step_by_step(
    client: TestClient, make_staff: Callable[..., StaffAccount], taxpayer: str, yakuba: Yakuba
) -> None:
    csrf = _clerk(client, make_staff, ["zeimu_clerk"])
    _assess(client, csrf, taxpayer, kubun="tosho", taxpayer=FAMILY)
    page = client.get(f"/ui/zeimu/kojin/2026/{taxpayer}", headers=HTML)
    assert page.status_code == 200, page.text
    text = page.text
    assert "税野　一郎" in text and "令和8年度" in text
    assert "年税額 <strong>172,500円</strong>" in text
    assert "課税総所得金額" in text and "1,750,000円" in text  # a step and its amount
    assert "給与収入を所得税法別表第五の階段" in text  # the rule beside it
    assert "第1期" in text and "43,500円" in text and "令和8年6月30日" in text  # 地方税法第320条
    with yakuba.uow() as uow:  # the read is in the audit log with whom it touched
        last = uow.session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
        assert last.operation.startswith("GET /ui/zeimu/kojin/") and last.subjects == [taxpayer]
        assert (last.permission, last.result) == ("zeimu.read", "success")


def test_as_of_shows_the_tosho_before_a_kosei(
    client: TestClient, make_staff: Callable[..., StaffAccount], taxpayer: str
) -> None:
    csrf = _clerk(client, make_staff, ["zeimu_clerk"])
    _assess(client, csrf, taxpayer, kubun="tosho", effective_date="2026-06-01", taxpayer=FAMILY)
    corrected = FAMILY | {"shakai_hokenryo": 820_000}
    reason = "社会保険料の追加（修正申告）"
    _assess(
        client, csrf, taxpayer, kubun="kosei", reason=reason, effective_date="2026-10-01", taxpayer=corrected
    )
    now = client.get(f"/ui/zeimu/kojin/2026/{taxpayer}", headers=HTML).text
    assert "更正" in now and reason in now and "172,500円" in now  # the 当初 is in the history
    assert "年税額 <strong>172,500円</strong>" not in now
    past = client.get(f"/ui/zeimu/kojin/2026/{taxpayer}", params={"as_of": "R8.7.1"}, headers=HTML)
    assert past.status_code == 200, past.text
    assert "令和8年7月1日現在" in past.text and "年税額 <strong>172,500円</strong>" in past.text
    assert reason not in past.text  # the 更正 had not happened yet


def test_no_assessment_is_a_japanese_404(
    client: TestClient, make_staff: Callable[..., StaffAccount], taxpayer: str
) -> None:
    _clerk(client, make_staff, ["zeimu_clerk"])
    page = client.get(f"/ui/zeimu/kojin/2026/{taxpayer}", headers=HTML)
    assert page.status_code == 404
    assert f"宛名番号 {taxpayer} の2026年度の課税はありません" in page.text


def test_a_shien_subject_is_not_found_for_a_zeimu_clerk(
    client: TestClient, make_staff: Callable[..., StaffAccount], shien_subject: str
) -> None:
    _clerk(client, make_staff, ["zeimu_clerk"])
    page = client.get(f"/ui/zeimu/kojin/2026/{shien_subject}", headers=HTML)
    assert page.status_code == 404
    assert "青木" not in page.text


def test_a_juki_clerk_may_not_open_the_tax_screens(
    client: TestClient, make_staff: Callable[..., StaffAccount], taxpayer: str
) -> None:
    _clerk(client, make_staff, ["juki_clerk"])
    assert client.get(f"/ui/zeimu/kojin/2026/{taxpayer}", headers=HTML).status_code == 403
    assert client.get("/ui/zeimu/kojin/simulate", headers=HTML).status_code == 403
    assert "税額試算" not in client.get("/", headers=HTML).text  # nor is it on the menu


def test_the_menu_offers_the_tax_screens_to_a_zeimu_clerk(
    client: TestClient, make_staff: Callable[..., StaffAccount], taxpayer: str
) -> None:
    _clerk(client, make_staff, ["zeimu_clerk"])
    home = client.get("/", headers=HTML).text
    assert "/ui/zeimu/kojin/simulate" in home and "課税内容の照会" in home
    found = client.get(
        "/ui/zeimu/kojin",
        params={"nendo": "2026", "atena_no": taxpayer},
        headers=HTML,
        follow_redirects=False,
    )
    assert found.status_code == 303 and found.headers["location"] == f"/ui/zeimu/kojin/2026/{taxpayer}"


def test_simulate_with_a_bad_value_names_the_field_in_japanese(
    client: TestClient, make_staff: Callable[..., StaffAccount]
) -> None:
    csrf = _clerk(client, make_staff, ["zeimu_clerk"])
    form = client.get("/ui/zeimu/kojin/simulate", headers=HTML)
    assert form.status_code == 200 and 'data-label="給与収入"' in form.text
    bad = FAMILY_FORM | {"kyuyo_shunyu": "五百万", "age": "200"}
    response = client.post("/ui/zeimu/kojin/simulate", data=bad, headers={**csrf, **JSON})
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors["給与収入"] == "給与収入: 0以上の整数（円）で入力してください"
    assert errors["年齢"].startswith("年齢: 0〜150")


def test_simulate_the_r8_family_shows_172500_and_the_noki(
    client: TestClient, make_staff: Callable[..., StaffAccount]
) -> None:
    csrf = _clerk(client, make_staff, ["zeimu_clerk"])
    response = client.post("/ui/zeimu/kojin/simulate", data=FAMILY_FORM, headers={**csrf, **JSON})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["nenzei"] == 172_500
    html = body["result"]
    assert "172,500円" in html and "配偶者控除" in html and "330,000円" in html
    assert "第4期" in html and "43,000円" in html
