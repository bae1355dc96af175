"""Every standard form renders, has the expected pages, and (on request) refreshes its reference image.

``YAKUBA_WRITE_FORM_IMAGES=1 pytest tests/shomei/test_forms.py`` writes ``docs/forms/<form>.png`` (page 1 at
80 dpi with pdftoppm) so that layout changes show in review.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from yakuba.bootstrap import Yakuba

from .conftest import MATSU_8, Run, issue, pdf_text, person, tennyu

FORMS_DIR = Path(__file__).resolve().parents[2] / "docs" / "forms"


def _household(run: Run) -> Any:
    return tennyu(
        run,
        person(
            mynumber="983205673214", jumin_code="24727059608", furigana_shi="アオキ", furigana_mei="タロウ"
        ),
        person(mei="花子", birth_date=dt.date(1992, 7, 7), sex="2", zokugara="妻", kyu_uji="佐藤"),
        person(mei="一郎", birth_date=dt.date(2015, 1, 1), zokugara="子"),
        person(mei="二郎", birth_date=dt.date(2017, 2, 2), zokugara="子"),
        person(mei="三郎", birth_date=dt.date(2019, 3, 3), zokugara="子"),
        address=MATSU_8,
    )


def _foreigner(run: Run) -> Any:
    return tennyu(
        run,
        person(
            shi="王",
            mei="偉",
            name_roman="WANG WEI",
            shi_kana=None,
            mei_kana=None,
            honseki=None,
            hittosha=None,
            nationality="中国",
            category_30_45="中長期在留者",
            zairyu_shikaku="技術・人文知識・国際業務",
            zairyu_kikan="5年",
            zairyu_expiry=dt.date(2029, 3, 31),
            zairyu_card_no="AB12345678CD",
            tsusho="王 たけし",
        ),
    )


def _moved_out(yakuba: Yakuba, atena_nos: list[str], on: dt.date, filed: dt.date) -> None:
    from yakuba.juki import service as juki

    with yakuba.uow() as uow:
        juki.tenshutsu(
            uow,
            juki.Tenshutsu(
                atena_nos=atena_nos,
                destination="北海道札幌市中央区北1条西2丁目3番地",
                dates=juki.IdoDates(ido_date=on, todoke_date=filed),
            ),
            today=filed,
        )
        uow.commit()


def _image(name: str, pdf: bytes, page: int) -> None:
    if os.environ.get("YAKUBA_WRITE_FORM_IMAGES") != "1":
        return
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) がありません")
    FORMS_DIR.mkdir(parents=True, exist_ok=True)
    target = FORMS_DIR / name
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile", "-", str(target)],
        input=pdf,
        check=True,
    )
    assert (FORMS_DIR / f"{name}.png").stat().st_size < 200_000


def test_every_form_renders(yakuba: Yakuba, run: Run) -> None:
    family = _household(run)
    head, wife, *_children = family.atena_nos
    setai = family.setai_nos[0]
    foreign = _foreigner(run)
    all_items = {
        "include_setainushi_zokugara": True,
        "include_honseki": True,
        "include_jumin_code": True,
    }
    cases: list[tuple[str, dict[str, Any], int]] = [
        ("juminhyo-setai", {"kind": "juminhyo", "setai_no": setai, **all_items}, 2),
        ("juminhyo-kojin", {"kind": "juminhyo", "layout": "kojin", "atena_nos": [head], **all_items}, 1),
        ("juminhyo-gaikokujin", {"kind": "juminhyo", "setai_no": foreign.setai_nos[0], **all_items}, 1),
        ("kisai-jiko", {"kind": "kisai_jiko", "atena_nos": [head, wife]}, 1),
        ("jumin-code-tsuchi", {"kind": "jumin_code_tsuchi", "atena_nos": [head]}, 1),
    ]
    for name, request, pages in cases:
        issued = issue(yakuba, requester_type="honnin", **request)
        assert issued.pages == pages == len(pdf_text(issued.pdf)), name
        _image(name, issued.pdf, 1)
    shien = issue(
        yakuba,
        kind="shien_shuryo_tsuchi",
        atena_nos=[wife],
        requester_type="honnin",
        shien_start=dt.date(2026, 4, 1),
        shien_end=dt.date(2027, 3, 31),
        can_manage_shien=True,
    )
    _image("shien-shuryo-tsuchi", shien.pdf, 1)
    _moved_out(yakuba, [head, wife], dt.date(2026, 12, 10), dt.date(2026, 11, 20))
    tenshutsu = issue(yakuba, kind="tenshutsu", setai_no=setai, requester_type="honnin")
    assert tenshutsu.pages == 1
    _image("tenshutsu", tenshutsu.pdf, 1)


def test_removed_person_forms_render(yakuba: Yakuba, run: Run) -> None:
    family = _household(run)
    wife = family.atena_nos[1]
    _moved_out(
        yakuba, [wife], dt.date(2026, 10, 1), dt.date(2026, 11, 20)
    )  # filed 50 days late: 準ずる証明書
    for name, kind in (
        ("joshohyo", "joshohyo"),
        ("joshohyo-kisai-jiko", "joshohyo_kisai_jiko"),
        ("tenshutsu-junzuru", "tenshutsu_junzuru"),
    ):
        issued = issue(yakuba, kind=kind, atena_nos=[wife], requester_type="honnin", include_history=True)
        assert issued.pages == 1, name
        _image(name, issued.pdf, 1)


def test_preview_carries_no_certification(yakuba: Yakuba, run: Run) -> None:
    from yakuba.forms import Issuance
    from yakuba.shomei.options import CertificateRequest
    from yakuba.shomei.service import Caller, preview

    family = _household(run)
    with yakuba.uow() as uow:
        pdf, _prepared = preview(
            uow,
            CertificateRequest(kind="juminhyo", setai_no=family.setai_nos[0], requester_type="honnin"),
            settings=yakuba.settings,
            now=dt.datetime(2026, 11, 25, 1, 0, tzinfo=dt.UTC),
            caller=Caller(login="clerk1"),
        )
        assert uow.session.query(Issuance).count() == 0
    pages = pdf_text(pdf)
    assert all("見本" in p and "発行番号" not in p and "/verify/" not in p for p in pages)
    assert "この写しは" not in pages[-1] and "やくば町長" not in pages[-1]
    assert b"/ByteRange" not in pdf  # not signed
    _image("preview", pdf, 1)
