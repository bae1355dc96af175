"""Fonts: every character of a name is drawn from an embedded font, or the 未登録外字 alert is raised."""

from __future__ import annotations

import io

import pytest

from yakuba.bootstrap import Yakuba

from .conftest import Run, issue, pdf_text, person, tennyu

NOT_IN_ANY_FONT = "\U0002ebf0"  # CJK Unified Ideographs Extension I (Unicode 15.1): no installed font has it
IVS_MJ = "葛\U000e0102"  # an MJ variant reachable only through IPAmj明朝's cmap format 14
SMP = "𠮷"  # U+20BB7, outside the BMP


def _has_ipamj() -> bool:
    from yakuba.forms.fonts import IPAMJ_PATHS

    return any(p.is_file() for p in IPAMJ_PATHS)


needs_ipamj = pytest.mark.skipif(not _has_ipamj(), reason="fonts-ipamj-mincho がインストールされていません")


@needs_ipamj
def test_can_draw_reports_only_what_no_font_has() -> None:
    from yakuba.forms import can_draw

    assert can_draw("青木　太郎 WANG WEI 髙橋 𠮷野 " + IVS_MJ) == []
    assert can_draw(f"山{NOT_IN_ANY_FONT}川😀") == [NOT_IN_ANY_FONT, "😀"]
    assert can_draw("葛\U000e01ef") == ["葛\U000e01ef"]  # a selector no font defines for this base


@needs_ipamj
def test_ipamj_is_preferred_when_installed() -> None:
    from yakuba.forms import font_set

    primary = font_set().primary
    assert primary.label == "IPAmj明朝" and len(primary.ivs) > 10_000


def test_a_name_no_font_can_draw_raises_the_alert(yakuba: Yakuba, run: Run) -> None:
    from yakuba.forms import UnprintableCharacter

    registered = tennyu(run, person(mei=f"太{NOT_IN_ANY_FONT}"))
    with pytest.raises(UnprintableCharacter) as caught:
        issue(yakuba, kind="juminhyo", setai_no=registered.setai_nos[0], requester_type="honnin")
    message = str(caught.value)
    assert "1人目の氏名" in message and "U+2EBF0" in message and "未登録外字" in message
    assert caught.value.http_status == 422


@needs_ipamj
def test_ivs_and_supplementary_characters_are_embedded_and_extract_back(yakuba: Yakuba, run: Run) -> None:
    from pypdf import PdfReader

    registered = tennyu(run, person(shi=IVS_MJ + "西", mei=SMP + "子", hittosha=IVS_MJ + "西　" + SMP + "子"))
    issued = issue(yakuba, kind="juminhyo", setai_no=registered.setai_nos[0], requester_type="honnin")
    text = pdf_text(issued.pdf)[0]
    assert f"{IVS_MJ}西\u3000{SMP}子" in text  # the ToUnicode map gives back base + selector
    fonts = {
        str(font["/BaseFont"])
        for page in PdfReader(io.BytesIO(issued.pdf)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    embedded = [
        page["/Resources"]["/Font"][name]["/FontDescriptor"].get("/FontFile2")
        for page in PdfReader(io.BytesIO(issued.pdf)).pages
        for name in page["/Resources"]["/Font"]
    ]
    assert fonts and all(e is not None for e in embedded)  # every font is an embedded TrueType subset


def test_the_pypi_font_alone_draws_ordinary_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the Debian fonts, ``pip install`` alone brings IPAexゴシック (package japanize-matplotlib)."""
    from yakuba.forms import fonts

    monkeypatch.setattr(fonts, "IPAMJ_PATHS", ())
    monkeypatch.setattr(fonts, "IPAEX_MINCHO_PATHS", ())
    fonts.font_set.cache_clear()
    try:
        assert fonts.font_set().labels() == ["IPAexゴシック"]
        assert fonts.can_draw("青木　太郎 WANG WEI 髙橋 令和8年11月25日 【空欄】") == []
        assert fonts.can_draw(NOT_IN_ANY_FONT) == [NOT_IN_ANY_FONT]
    finally:
        fonts.font_set.cache_clear()
