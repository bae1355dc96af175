"""One module per standard form; :func:`pages_for` picks the one for a kind (and 連記/個人票 choice)."""

from __future__ import annotations

from collections.abc import Callable

from yakuba.forms import PageBody
from yakuba.shomei.layouts import jumin_code, kisai_jiko, kojin, setai, shien_end, tenshutsu
from yakuba.shomei.layouts.common import Document

Layout = Callable[[Document], list[PageBody]]

LAYOUTS: dict[str, Layout] = {
    "juminhyo:setai": setai.pages,
    "juminhyo:kojin": kojin.pages,
    "joshohyo:kojin": kojin.pages,
    "kisai_jiko:kojin": kisai_jiko.pages,
    "joshohyo_kisai_jiko:kojin": kisai_jiko.pages,
    "tenshutsu:setai": tenshutsu.pages,
    "tenshutsu_junzuru:setai": tenshutsu.pages,
    "jumin_code_tsuchi:kojin": jumin_code.pages,
    "shien_shuryo_tsuchi:kojin": shien_end.pages,
}


def pages_for(kind: str, layout: str, doc: Document) -> list[PageBody]:
    return LAYOUTS[f"{kind}:{layout}"](doc)


__all__ = ["LAYOUTS", "Document", "pages_for"]
