"""個人住民税 API: a clerk explains a bill at the counter and assesses a resident into the 課税台帳.

Amounts are those of the 令和8年度 scenario 「給与のみ・配偶者と子2人」 (tests/zeimu/kojin/scenarios/r8.yaml;
地方税法第314条の2・第314条の6); the 納期 are 地方税法第320条 with the municipal ¥1,000 unit.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from tests.api.conftest import StaffAccount
from yakuba.bootstrap import Yakuba
from yakuba.juki.public import AddressInput, PersonInput, register_household

FAMILY: dict[str, Any] = {
    "kyuyo_shunyu": 5_000_000,
    "age": 42,
    "shakai_hokenryo": 720_000,
    "spouse": {"gokei_shotoku": 0, "age": 40},
    "dependants": [{"age": 10}, {"age": 17}],
}


@pytest.fixture
def zeimu(
    make_staff: Callable[..., StaffAccount], token_for: Callable[[str], dict[str, str]]
) -> dict[str, str]:
    make_staff("zeimu-tanto", ["zeimu_clerk"])
    return token_for("zeimu-tanto")


@pytest.fixture
def resident(yakuba: Yakuba) -> str:
    """A person who moved in on 2025-06-01, so on the 台帳 on the 令和8年度 賦課期日 (2026-01-01)."""
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


def test_a_simulation_explains_every_step_and_the_noki(client: TestClient, zeimu: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/zeimu/kojin/simulate", json={"nendo": 2026, "taxpayer": FAMILY}, headers=zeimu
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["label"], body["nenzei"]) == ("令和8年度", 172_500)
    steps = {s["key"]: s for s in body["steps"]}
    assert steps["kazei_soshotoku"]["amount"] == 1_750_000
    assert steps["shotokuwari_shi"]["amount"] == 100_500
    assert all(s["rule"] and s["reference"] for s in body["steps"])
    # 地方税法第320条: 4 納期, ¥1,000 units, the remainder in 第1期
    assert body["schedule"]["periods"] == ["第1期", "第2期", "第3期", "第4期"]
    assert body["schedule"]["amounts"] == [43_500, 43_000, 43_000, 43_000]
    assert body["schedule"]["due_dates"][0] == "2026-06-30"


def test_tokubetsu_choshu_is_12_months_from_june(client: TestClient, zeimu: dict[str, str]) -> None:
    body = {"nendo": 2026, "choshu": "tokubetsu", "taxpayer": FAMILY}
    schedule = client.post("/api/v1/zeimu/kojin/simulate", json=body, headers=zeimu).json()["schedule"]
    # 地方税法第321条の5: floor₁₀₀(172,500 / 12) = 14,300; June takes 172,500 − 11 × 14,300 = 15,200
    assert schedule["amounts"] == [15_200] + [14_300] * 11
    assert schedule["periods"][0] == "6月"


def test_an_assessment_is_recorded_with_its_steps_and_read_back(
    client: TestClient, zeimu: dict[str, str], resident: str
) -> None:
    url = f"/api/v1/zeimu/kojin/kazei/2026/{resident}"
    done = client.post(url, json={"kubun": "tosho", "taxpayer": FAMILY}, headers=zeimu)
    assert done.status_code == 200, done.text
    assert (done.json()["rireki_no"], done.json()["nenzei"]) == (1, 172_500)
    corrected = FAMILY | {"shakai_hokenryo": 820_000}
    again = client.post(
        url,
        json={"kubun": "kosei", "reason": "社会保険料の追加（修正申告）", "taxpayer": corrected},
        headers=zeimu,
    )
    assert again.status_code == 200, again.text
    ledger = client.get(f"/api/v1/zeimu/kazei/kojin/2026/{resident}", headers=zeimu).json()
    assert [h["kubun"] for h in ledger["history"]] == ["tosho", "kosei"]
    assert ledger["in_force"]["nenzei"] < 172_500
    assert ledger["history"][0]["details"]["steps"]["kazei_soshotoku"] == 1_750_000


def test_a_person_not_on_the_daicho_on_1_january_is_refused(
    client: TestClient, zeimu: dict[str, str], household: Any
) -> None:
    """地方税法第294条: the household moved in on 2026-04-01, after the 令和8年度 賦課期日."""
    url = f"/api/v1/zeimu/kojin/kazei/2026/{household.atena_nos[0]}"
    response = client.post(url, json={"kubun": "tosho", "taxpayer": FAMILY}, headers=zeimu)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "宛名番号"
    assert "2026-01-01" in response.json()["errors"][0]["message"]


def test_a_float_income_is_refused_naming_the_field(client: TestClient, zeimu: dict[str, str]) -> None:
    body = {"nendo": 2026, "taxpayer": FAMILY | {"kyuyo_shunyu": 5_000_000.5}}
    response = client.post("/api/v1/zeimu/kojin/simulate", json=body, headers=zeimu)
    assert response.status_code == 422
    assert "kyuyo_shunyu" in response.json()["errors"][0]["field"]


def test_the_notice_is_a_signed_pdf_in_the_koufu_rireki(
    client: TestClient, zeimu: dict[str, str], resident: str, tmp_path: Path
) -> None:
    url = f"/api/v1/zeimu/kojin/kazei/2026/{resident}"
    assert client.post(url, json={"kubun": "tosho", "taxpayer": FAMILY}, headers=zeimu).status_code == 200
    response = client.post(f"{url}/tsuchisho", headers=zeimu)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    issuance = response.headers["X-Yakuba-Issuance-Id"]
    assert response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "令和8年度" in text and "税額決定・納税通知書" in text
    assert "172,500円" in text and "43,500円" in text  # 年税額 and 第1期
    assert "審査請求" in text  # 行政不服審査法第82条の教示
    assert PdfReader(io.BytesIO(response.content)).get_fields() or b"/ByteRange" in response.content
    (tmp_path / "tsuchisho.pdf").write_bytes(response.content)
    verify = client.get(f"/verify/{issuance}")
    assert verify.status_code in (200, 422)  # the public check needs the code; the id exists


def test_a_notice_needs_an_assessment(client: TestClient, zeimu: dict[str, str], resident: str) -> None:
    response = client.post(f"/api/v1/zeimu/kojin/kazei/2026/{resident}/tsuchisho", headers=zeimu)
    assert response.status_code == 404
