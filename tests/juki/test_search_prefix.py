"""前方一致 search by カナ and 氏名: exactly the residents whose key starts with what was typed.

On PostgreSQL the prefix is also given as a byte range of the search key (for the index); the range
must neither drop nor add anyone. The boundaries below are the characters right after the prefix's
last one (タ → ダ, 木 → 未). The search itself: issue 4 (カナ/漢字 prefix keys), docs/conformance/juki.md.
"""

from __future__ import annotations

from yakuba.bootstrap import Yakuba
from yakuba.juki.queries import search

from .conftest import MATSU_8, UME_3, Run, new_setai, person


def test_prefix_search_has_exact_boundaries(yakuba: Yakuba, run: Run) -> None:
    new_setai(
        run, person(shi="鈴木", mei="太郎", shi_kana="スズキ", mei_kana="タロウ", hittosha="鈴木　太郎")
    )
    new_setai(
        run,
        person(shi="鈴木", mei="大輔", shi_kana="スズキ", mei_kana="ダイスケ", hittosha="鈴木　大輔"),
        address=MATSU_8,
    )
    new_setai(
        run,
        person(shi="鈴未", mei="千夏", shi_kana="スズミ", mei_kana="チナツ", hittosha="鈴未　千夏"),
        address=UME_3,
    )
    with yakuba.uow() as uow:
        names = lambda **kw: sorted(r.mei for r in search(uow.session, **kw))  # noqa: E731
        assert names(kana="スズキ タ") == ["太郎"]
        assert names(kana="スズキ ダ") == ["大輔"]
        assert names(kana="すずき") == ["大輔", "太郎"]
        assert names(kana="スズ") == ["千夏", "大輔", "太郎"]
        assert names(name="鈴木") == ["大輔", "太郎"]
        assert names(name="鈴") == ["千夏", "大輔", "太郎"]
        assert names(kana="スズキタロウX") == []
