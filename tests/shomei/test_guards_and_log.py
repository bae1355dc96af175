"""抑止 / 支援措置 stop an issuance; every issued copy is numbered, priced and hashed in the 交付履歴."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from sqlalchemy import select

from yakuba.bootstrap import Yakuba
from yakuba.errors import InputError, NotFound
from yakuba.juki.base import AlertConfirmationRequired

from .conftest import NOW, issue

T0 = dt.datetime(2026, 11, 24, 1, 0, tzinfo=dt.UTC)


def _shien(yakuba: Yakuba, atena_no: str, **kwargs: Any) -> None:
    from yakuba.juki import yokushi

    with yakuba.uow() as uow:
        yokushi.apply_shien(uow, atena_no=atena_no, start=dt.date(2026, 4, 1), now=T0, **kwargs)
        uow.commit()


def test_a_shien_subject_cannot_be_issued_to_anyone(yakuba: Yakuba, aoki: Any) -> None:
    from yakuba.forms import Issuance
    from yakuba.juki.yokushi import YokushiBlocked

    wife = aoki.atena_nos[1]
    _shien(yakuba, wife)
    # Without juki.shien.read the person does not exist, exactly as a missing record.
    with pytest.raises(NotFound, match=f"宛名番号 {wife} の住民は見つかりません"):
        issue(yakuba, kind="juminhyo", atena_nos=[wife], requester_type="honnin")
    # A caller who may see 支援措置 subjects is still refused, for every requester type and for the 世帯.
    for requester in ("honnin", "douitsu_setai", "koyo"):
        with pytest.raises(YokushiBlocked):
            issue(yakuba, kind="juminhyo", atena_nos=[wife], requester_type=requester, can_see_shien=True)
    with pytest.raises(YokushiBlocked):
        issue(
            yakuba, kind="juminhyo", setai_no=aoki.setai_nos[0], requester_type="honnin", can_see_shien=True
        )
    with pytest.raises(YokushiBlocked):
        issue(yakuba, kind="kisai_jiko", atena_nos=[wife], requester_type="honnin", can_see_shien=True)
    with yakuba.uow() as uow:
        assert uow.session.execute(select(Issuance)).scalars().all() == []
    # The other member of the 世帯 is not protected.
    assert issue(yakuba, kind="juminhyo", atena_nos=[aoki.atena_nos[0]], requester_type="honnin").pages == 1


def test_error_yokushi_blocks_and_alert_yokushi_must_be_confirmed(yakuba: Yakuba, aoki: Any) -> None:
    from yakuba.forms import Issuance
    from yakuba.juki import yokushi

    head = aoki.atena_nos[0]
    with yakuba.uow() as uow:
        alert = yokushi.set_yokushi(
            uow,
            target_kind="setai",
            target_no=aoki.setai_nos[0],
            process="certificate",
            level="alert",
            reason="本人確認を厳格に行うこと",
            start_date=dt.date(2026, 4, 1),
            now=T0,
        )
        uow.commit()
    with pytest.raises(AlertConfirmationRequired) as caught:
        issue(yakuba, kind="juminhyo", atena_nos=[head], requester_type="honnin")
    assert "本人確認を厳格に行うこと" in caught.value.alerts[0]
    issued = issue(yakuba, kind="juminhyo", atena_nos=[head], requester_type="honnin", confirm_alerts=True)
    assert issued.alerts and "本人確認を厳格に行うこと" in issued.alerts[0]
    with yakuba.uow() as uow:
        row = uow.session.execute(select(Issuance)).scalar_one()
        assert row.options["alerts_confirmed"] == issued.alerts
        yokushi.release_yokushi(uow, alert.id, now=T0)
        yokushi.set_yokushi(
            uow,
            target_kind="person",
            target_no=head,
            process="certificate",
            level="error",
            reason="調査中",
            start_date=dt.date(2026, 4, 1),
            now=T0,
        )
        uow.commit()
    with pytest.raises(yokushi.YokushiBlocked):
        issue(yakuba, kind="juminhyo", atena_nos=[head], requester_type="honnin", confirm_alerts=True)


def test_each_copy_is_logged_with_serial_fee_and_hash(yakuba: Yakuba, aoki: Any) -> None:
    from yakuba.forms import Issuance

    first = issue(yakuba, kind="juminhyo", setai_no=aoki.setai_nos[0], requester_type="honnin")
    second = issue(
        yakuba,
        kind="kisai_jiko",
        atena_nos=[aoki.atena_nos[0]],
        requester_type="douitsu_setai",
        terminal="支所2",
    )
    next_day = issue(
        yakuba,
        kind="juminhyo",
        setai_no=aoki.setai_nos[0],
        requester_type="honnin",
        now=NOW + dt.timedelta(days=1),
    )
    with yakuba.uow() as uow:
        rows = {r.issuance_id: r for r in uow.session.execute(select(Issuance)).scalars()}
        a, b, c = rows[first.issuance_id], rows[second.issuance_id], rows[next_day.issuance_id]
        assert (a.serial, b.serial, c.serial) == (1, 2, 1)  # 連番 per day
        assert (a.fee, b.fee) == (300, 300)  # municipal.fees.*
        assert a.sha256 == hashlib.sha256(first.pdf).hexdigest() and a.status == "issued"
        assert a.subjects == aoki.atena_nos and a.requester_type == "honnin" and a.issued_by == "clerk1"
        assert a.options["printed"]["honseki"] is False and a.pages == 1
        assert len(a.issuance_id) == 16 and len(a.verification_code) == 9
        code = a.verification_code
    assert "発行番号 20261125 やくば町 支所2 プリンタ001 002 1/1" in _first_page(second)
    assert code in _first_page(first)


def _first_page(issued: Any) -> str:
    from .conftest import pdf_text

    return pdf_text(issued.pdf)[0]


def test_retention_of_a_joshohyo_follows_the_removal_date(yakuba: Yakuba, aoki: Any) -> None:
    # spec-resident §6 #9: removed 2014-06-19 → 5 years, expired; 2014-06-20 → 150 years.
    from yakuba.juki.models import Rireki
    from yakuba.shomei.subjects import _check_retention

    row = Rireki(shojo_date=dt.date(2014, 6, 19))
    with pytest.raises(InputError, match="保存期間（5年"):
        _check_retention(row, "1人目", dt.date(2026, 11, 25))
    _check_retention(Rireki(shojo_date=dt.date(2014, 6, 20)), "1人目", dt.date(2026, 11, 25))


def test_public_status_names_other_businesses_documents_and_hides_notices(yakuba: Yakuba) -> None:
    from yakuba import forms
    from yakuba.forms import Issuance

    def row(kind: str, serial: int, public: bool = True) -> Issuance:
        return Issuance(
            issuance_id=forms.new_issuance_id(),
            verification_code=forms.new_verification_code(),
            kind=kind,
            issue_date=dt.date(2026, 11, 25),
            issued_at=NOW,
            issued_by="clerk1",
            terminal="本庁1",
            printer="プリンタ001",
            serial=serial,
            municipality_code="131016",
            municipality_name="やくば町",
            requester_type="honnin",
            options={},
            subjects=["0000000019"],
            pages=1,
            fee=300,
            sha256="0" * 64,
            status="issued",
            public=public,
        )

    with yakuba.uow() as uow:
        rows = [row("inkan_toroku_shomei", 1), row("something_new", 2), row("shien_shuryo_tsuchi", 3, False)]
        uow.session.add_all(rows)
        uow.session.flush()
        inkan, unknown, notice = (forms.public_status(uow.session, r.issuance_id, None) for r in rows)
    assert inkan is not None and inkan["kind"] == "印鑑登録証明書"
    assert unknown is not None and unknown["kind"] == "証明書"
    assert notice is None  # a 支援措置 notice is never confirmed publicly
