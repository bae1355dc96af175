"""個人住民税の帳票: the 特別徴収税額決定通知書 and the 課税（所得）証明書 (issue 14 part 5).

The taxpayer is the 令和8年度 scenario 「給与のみ・配偶者と子2人」 of test_api.py (年税額 172,500円,
課税総所得金額 1,750,000円). 特別徴収: 地方税法第321条の3〜第321条の5 (12 months June → May, floor₁₀₀
with the remainder in June) and the notice of 第321条の4 to the 特別徴収義務者 and, through it, to the
納税義務者. 課税証明書: 地方税法第20条の10・施行令第6条の21; its fee is 地方自治法第227条.
"""

from __future__ import annotations

import io
from pathlib import Path

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import select

from tests.zeimu.kojin import test_api
from yakuba.bootstrap import Yakuba
from yakuba.forms import Issuance

FAMILY = test_api.FAMILY
zeimu = test_api.zeimu  # the fixtures of the notice's tests: a 税務担当 token and a resident
resident = test_api.resident

BASE = "/api/v1/zeimu/kojin/kazei/2026"


def _assess(client: TestClient, headers: dict[str, str], atena_no: str, choshu: str) -> None:
    body = {"kubun": "tosho", "choshu": choshu, "taxpayer": FAMILY}
    response = client.post(f"{BASE}/{atena_no}", json=body, headers=headers)
    assert response.status_code == 200, response.text


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _issuance(yakuba: Yakuba, issuance_id: str) -> Issuance:
    with yakuba.uow() as uow:
        row = uow.session.execute(select(Issuance).where(Issuance.issuance_id == issuance_id)).scalar_one()
        uow.session.expunge(row)
        return row


def test_the_employer_copy_names_the_employer_and_the_12_months(
    client: TestClient,
    zeimu: dict[str, str],
    resident: str,
    yakuba: Yakuba,
    tmp_path: Path,
) -> None:
    """地方税法第321条の4第1項: the 特別徴収義務者 is told the monthly amounts by 31 May."""
    _assess(client, zeimu, resident, "tokubetsu")
    response = client.post(
        f"{BASE}/{resident}/tokucho?copy=gimusha",
        json={"tokucho_gimusha": "株式会社松町製作所"},
        headers=zeimu,
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert b"/ByteRange" in response.content  # PAdES signature
    text = _text(response.content)
    assert "特別徴収税額決定通知書" in text and "特別徴収義務者用" in text
    assert "株式会社松町製作所" in text and "税野" in text
    # 第321条の5: floor₁₀₀(172,500 / 12) = 14,300; June takes 15,200
    assert "15,200円" in text and "14,300円" in text and "172,500円" in text
    assert "6月" in text and "5月" in text
    assert "1,750,000円" in text and "所得控除の合計" in text and "森林環境税" in text
    (tmp_path / "tokucho-gimusha.pdf").write_bytes(response.content)
    log = _issuance(yakuba, response.headers["X-Yakuba-Issuance-Id"])
    assert (log.kind, log.fee, log.status) == ("zeimu_kojin_tokucho_gimusha", 0, "issued")
    assert log.options["tokucho_gimusha"] == "株式会社松町製作所"


def test_the_employee_copy_is_addressed_to_the_taxpayer_with_the_default_employer(
    client: TestClient,
    zeimu: dict[str, str],
    resident: str,
    yakuba: Yakuba,
    tmp_path: Path,
) -> None:
    """地方税法第321条の4第2項: the 納税義務者's copy, handed over by the 特別徴収義務者."""
    _assess(client, zeimu, resident, "tokubetsu")
    response = client.post(f"{BASE}/{resident}/tokucho?copy=nozeisha", headers=zeimu)
    assert response.status_code == 200, response.text
    text = _text(response.content)
    assert "納税義務者用" in text and "（特別徴収義務者）" in text
    assert "松町2番地" in text and "15,200円" in text
    (tmp_path / "tokucho-nozeisha.pdf").write_bytes(response.content)
    log = _issuance(yakuba, response.headers["X-Yakuba-Issuance-Id"])
    assert log.kind == "zeimu_kojin_tokucho_nozeisha"
    verify = client.get(f"/verify/{log.issuance_id}?code={log.verification_code}")
    assert verify.status_code == 200, verify.text
    assert "特別徴収税額決定通知書（納税義務者用）" in verify.text


def test_a_futsu_choshu_assessment_has_no_tokucho_notice(
    client: TestClient,
    zeimu: dict[str, str],
    resident: str,
) -> None:
    """地方税法第321条の3: only a 給与所得者 under 特別徴収 gets the notice; 普通徴収 is 第319条の2."""
    _assess(client, zeimu, resident, "futsu")
    response = client.post(f"{BASE}/{resident}/tokucho?copy=nozeisha", headers=zeimu)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "choshu"


def test_the_kazei_shomeisho_certifies_income_deductions_and_tax_with_its_fee(
    client: TestClient,
    zeimu: dict[str, str],
    resident: str,
    yakuba: Yakuba,
    tmp_path: Path,
) -> None:
    """地方税法第20条の10: the 所得・課税 of the assessment in force on the day of issue."""
    _assess(client, zeimu, resident, "futsu")
    response = client.post(f"{BASE}/{resident}/shomeisho", headers=zeimu)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    text = _text(response.content)
    assert "課税（所得）証明書" in text and "令和8年度" in text and "令和7年中の所得" in text
    assert "5,000,000円" in text  # 給与収入
    assert "720,000円" in text  # 社会保険料控除
    assert "1,750,000円" in text  # 課税総所得金額
    assert "172,500円" in text  # 年税額
    assert "3人" in text  # 同一生計配偶者 + 子2人 (地方税法第295条第3項の人数 − 本人)
    assert "上記のとおり相違ないことを証明します。" in text
    (tmp_path / "shomeisho.pdf").write_bytes(response.content)
    log = _issuance(yakuba, response.headers["X-Yakuba-Issuance-Id"])
    assert (log.kind, log.fee, log.requester_type) == ("zeimu_kojin_kazei_shomei", 300, "honnin")


def test_the_shomeisho_shows_the_kosei_in_force(
    client: TestClient,
    zeimu: dict[str, str],
    resident: str,
) -> None:
    """地方税法第17条の5: a 更正 replaces what the certificate says from its 更正日 on."""
    _assess(client, zeimu, resident, "futsu")
    corrected = {
        "kubun": "kosei",
        "reason": "社会保険料の追加",
        "taxpayer": FAMILY | {"shakai_hokenryo": 820_000},
    }
    assert client.post(f"{BASE}/{resident}", json=corrected, headers=zeimu).status_code == 200
    text = _text(client.post(f"{BASE}/{resident}/shomeisho", headers=zeimu).content)
    assert "820,000円" in text and "720,000円" not in text


def test_forms_need_an_assessment(client: TestClient, zeimu: dict[str, str], resident: str) -> None:
    assert client.post(f"{BASE}/{resident}/shomeisho", headers=zeimu).status_code == 404
    assert client.post(f"{BASE}/{resident}/tokucho?copy=gimusha", headers=zeimu).status_code == 404
