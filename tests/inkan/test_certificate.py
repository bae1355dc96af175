"""印鑑登録証明書: items (spec-resident.md §2: 印影 + 氏名 (旧氏), 生年月日, 男女の別, 住所), 抑止・支援措置,
交付履歴 with the fee, and the signature checked offline as for every other certificate."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.inkan.conftest import Apply, application, household, seal_png
from tests.juki.conftest import UME_3, dates, person
from yakuba import forms
from yakuba.bootstrap import Yakuba
from yakuba.errors import InputError
from yakuba.forms import Issuance
from yakuba.inkan.commands.shimei import confirm_name
from yakuba.inkan.commands.toroku import shinsei
from yakuba.inkan.forms import shomeisho
from yakuba.inkan.schemas import Outcome, ShimeiKakunin
from yakuba.juki import service as juki
from yakuba.juki.base import AlertConfirmationRequired
from yakuba.juki.yokushi import YokushiBlocked, apply_shien, set_yokushi

D = dt.date
Run = Callable[..., Any]


def _at(day: D) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 1, 0, tzinfo=dt.UTC)  # 10:00 in Japan


def _issue(yakuba: Yakuba, card_no: str, day: D, **kw: Any) -> shomeisho.IssuedShomeisho:
    with yakuba.uow() as uow:
        issued = shomeisho.issue(
            uow, shomeisho.ShomeishoSeikyu(card_no=card_no, **kw), settings=yakuba.settings, now=_at(day)
        )
        uow.commit()
    return issued


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace(" ", "")


def _registered(run: Run, apply: Apply, **person_kw: Any) -> tuple[str, Outcome]:
    atena = household(run, person(**person_kw), on=D(2026, 3, 2)).atena_nos[0]
    shi = person_kw.get("shi", "青木")
    return atena, apply(shinsei, application(atena, inbun=shi, png=seal_png(shi)), today=D(2026, 4, 1))


def test_the_certificate_has_the_items_and_a_verifiable_signature(
    run: Run, apply: Apply, yakuba: Yakuba
) -> None:
    atena, out = _registered(run, apply)
    assert out.card_no
    issued = _issue(yakuba, out.card_no, D(2026, 4, 2), birth_date=D(1980, 5, 1))
    text = _text(issued.pdf)
    for expected in (
        "印鑑登録証明書",
        "印影",
        "氏名",
        "青木",
        "太郎",
        "生年月日",
        "昭和55年5月1日",
        "男女の別",
        "男",
        "住所",
        "東京都やくば町松町1番地",
        "この写しは、登録されている印影と相違ないことを証明します。",
        "令和8年4月2日",
        "やくば町長",
        "発行番号",
    ):
        assert expected in text, expected
    assert out.toroku_no and out.toroku_no not in text  # the 登録番号 is not printed
    reader = PdfReader(io.BytesIO(issued.pdf))
    assert len(reader.pages[0].images) >= 3  # 印影, 電子公印, QR code
    material = forms.ensure_material(
        yakuba.settings.key_dir, yakuba.settings.municipality_name, yakuba.settings.municipality_code
    )
    result = forms.verify_pdf(issued.pdf, material.cert_file.read_bytes())
    assert result.valid, result.reason
    with yakuba.uow() as uow:
        log = uow.session.execute(
            select(Issuance).where(Issuance.issuance_id == issued.issuance_id)
        ).scalar_one()
        assert (log.kind, log.fee, log.subjects, log.status, log.serial) == (
            "inkan_toroku_shomei",
            300,
            [atena],
            "issued",
            1,
        )
        assert log.sha256 == hashlib.sha256(issued.pdf).hexdigest()


def test_the_certificate_follows_a_tenkyo_and_prints_the_kyu_uji(
    run: Run, apply: Apply, yakuba: Yakuba
) -> None:
    """A 転居 only updates the address (spec-resident.md §2): the certificate reads 住民記録 when printed."""
    atena, out = _registered(run, apply)
    assert out.card_no
    run(
        juki.tenkyo,
        juki.Tenkyo(atena_nos=[atena], address=UME_3, dates=dates(D(2026, 5, 1))),
        today=D(2026, 5, 1),
    )
    run(
        juki.kyu_uji,
        juki.KyuUji(
            atena_no=atena, action="kisai", kyu_uji="佐藤", kyu_uji_kana="サトウ", dates=dates(D(2026, 5, 2))
        ),
        today=D(2026, 5, 2),
    )
    apply(
        confirm_name,
        out.toroku_id,
        ShimeiKakunin(still_represents=True, represents="shi"),
        today=D(2026, 5, 2),
    )
    text = _text(_issue(yakuba, out.card_no, D(2026, 5, 7)).pdf)
    assert "東京都やくば町梅町3番5号" in text and "松町" not in text
    assert "旧氏" in text and "佐藤" in text


def test_refused_after_the_yotei_date_after_death_and_while_the_name_is_unconfirmed(
    run: Run, apply: Apply, yakuba: Yakuba
) -> None:
    atena, out = _registered(run, apply)
    assert out.card_no
    run(
        juki.tenshutsu,
        juki.Tenshutsu(
            atena_nos=[atena], destination="大阪府大阪市", dates=dates(D(2026, 4, 20), D(2026, 4, 10))
        ),
        today=D(2026, 4, 10),
    )
    _issue(yakuba, out.card_no, D(2026, 4, 19))
    with pytest.raises(InputError, match="転出予定日"):
        _issue(yakuba, out.card_no, D(2026, 4, 20))

    other, second = _registered(run, apply, shi="井上", shi_kana="イノウエ")
    assert second.card_no
    run(
        juki.shusei,
        juki.Shusei(atena_no=other, kind="shokken", changes={"mei": "一郎"}, dates=dates(D(2026, 5, 1))),
        today=D(2026, 5, 1),
    )
    with pytest.raises(InputError, match="氏名等が変わったため"):
        _issue(yakuba, second.card_no, D(2026, 5, 2))
    run(
        juki.shojo,
        juki.Shojo(atena_no=other, reason="shibo", dates=dates(D(2026, 5, 3), D(2026, 5, 3))),
        today=D(2026, 5, 3),
    )
    with pytest.raises(InputError, match="無効"):
        _issue(yakuba, second.card_no, D(2026, 5, 4))


def test_a_mistyped_card_number_is_caught(run: Run, apply: Apply, yakuba: Yakuba) -> None:
    _, out = _registered(run, apply)
    assert out.card_no
    wrong = out.card_no[:-1] + str((int(out.card_no[-1]) + 1) % 10)
    with pytest.raises(InputError, match="検査用数字"):
        _issue(yakuba, wrong, D(2026, 4, 2))
    with pytest.raises(InputError, match="生年月日"):
        _issue(yakuba, out.card_no, D(2026, 4, 2), birth_date=D(1980, 5, 2))


def test_yokushi_and_shien_sochi_are_respected(run: Run, apply: Apply, yakuba: Yakuba) -> None:
    """spec-resident.md §1.8 / §2 (支援措置 抑止 applies): check_process(process="certificate")."""
    atena, out = _registered(run, apply)
    assert out.card_no
    with yakuba.uow() as uow:
        set_yokushi(
            uow,
            target_kind="person",
            target_no=atena,
            process="certificate",
            level="alert",
            reason="本人確認を厳格に",
            start_date=D(2026, 4, 1),
            now=_at(D(2026, 4, 1)),
        )
        uow.commit()
    with pytest.raises(AlertConfirmationRequired):
        _issue(yakuba, out.card_no, D(2026, 4, 2))
    assert _issue(yakuba, out.card_no, D(2026, 4, 2), confirm_alerts=True).alerts
    other, second = _registered(run, apply, shi="井上", shi_kana="イノウエ")
    assert second.card_no
    with yakuba.uow() as uow:
        apply_shien(uow, atena_no=other, start=D(2026, 4, 1), now=_at(D(2026, 4, 1)))
        uow.commit()
    with pytest.raises(YokushiBlocked):
        _issue(yakuba, second.card_no, D(2026, 4, 2))
