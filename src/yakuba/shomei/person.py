"""Builds one person's printable 住民票 items (日本人住民 §7, 外国人住民 §30条の45) in print order."""

from __future__ import annotations

from yakuba import params
from yakuba.forms import BLANK, full_name, kanji_name, seireki, sex, wareki
from yakuba.juki.public import Ido, Rireki
from yakuba.shomei.items import (
    ACTIVE,
    OMITTED,
    Context,
    Item,
    PersonView,
    address_of,
    furigana,
    history_lines,
    ido_mae_address,
    jiyu_name,
    jusho_date,
    or_blank,
    shows_tenshutsu,
    with_kana,
)


def build_person(row: Rireki, history: list[tuple[Rireki, Ido]], ctx: Context) -> PersonView:
    opts = ctx.options
    foreign = row.jumin_shubetsu == "2"
    name = full_name(row)
    setainushi = name if row.zokugara == "世帯主" or not row.setainushi_name else row.setainushi_name
    view = PersonView(
        atena_no=row.atena_no,
        name=name,
        is_foreign=foreign,
        is_removed=row.jumin_jotai not in ACTIVE,
        address=address_of(row, ctx),
        katagaki=(or_blank(row.katagaki) if opts.katagaki else OMITTED),
        setainushi=setainushi if opts.setainushi_zokugara else OMITTED,
    )
    add = view.items.append
    printed_name = with_kana(name, row.shi_kana, row.mei_kana) if opts.kana and not foreign else name
    add(Item("氏名", printed_name, wide=True))
    if foreign:
        kanji = kanji_name(row)
        if kanji:
            add(Item("氏名（漢字）", kanji, wide=True))
        tsusho = with_kana(row.tsusho, row.tsusho_kana, None) if row.tsusho and opts.kana else row.tsusho
        add(Item("通称", or_blank(tsusho), wide=True))
    if params.get("shomei.furigana_printed", on=ctx.on):
        add(Item("氏名の振り仮名", furigana(row), wide=True))
    if not foreign:
        kyu = with_kana(row.kyu_uji, row.kyu_uji_kana, None) if row.kyu_uji and opts.kana else row.kyu_uji
        add(Item("旧氏", or_blank(kyu), wide=True))
    add(Item("生年月日", (seireki if foreign else wareki)(row.birth_date, row.birth_date_text)))
    add(Item("性別", sex(row.sex)))
    add(Item("世帯主", view.setainushi))
    add(Item("続柄", or_blank(row.zokugara) if opts.setainushi_zokugara else OMITTED))
    if foreign:
        _foreign_items(row, view)
    else:
        add(Item("本籍", or_blank(row.honseki) if opts.honseki else OMITTED, wide=True))
        add(Item("筆頭者", or_blank(row.hittosha) if opts.honseki else OMITTED))
        add(Item("住民となった年月日", wareki(row.jumin_date, row.jumin_date_text)))
    add(Item("住所", view.address, wide=True))
    add(Item("方書", view.katagaki, wide=True))
    add(Item("住所を定めた年月日", jusho_date(row)))
    add(Item("届出年月日", wareki(row.todoke_date)))
    add(Item("転入前住所", or_blank(row.prev_address), wide=True))
    add(Item("異動前住所", ido_mae_address(row, history, ctx), wide=True))
    add(Item("個人番号", (ctx.mynumber or BLANK) if opts.mynumber else OMITTED))
    add(Item("住民票コード", or_blank(row.jumin_code) if opts.jumin_code else OMITTED))
    _removal_items(row, view, ctx)
    if row.remarks_c:
        add(Item("備考", row.remarks_c, wide=True))
    if opts.history:
        view.history = history_lines(history, ctx.on)
    return view


def _foreign_items(row: Rireki, view: PersonView) -> None:
    add = view.items.append
    add(Item("国籍・地域", or_blank(row.nationality)))
    add(Item("法第30条の45の区分", or_blank(row.category_30_45), wide=True))
    add(Item("在留資格", or_blank(row.zairyu_shikaku)))
    add(Item("在留期間", or_blank(row.zairyu_kikan)))
    add(Item("在留期間の満了の日", seireki(row.zairyu_expiry)))
    add(Item("在留カード等の番号", or_blank(row.zairyu_card_no)))
    add(Item("外国人住民となった年月日", wareki(row.gaikokujin_date)))


def _removal_items(row: Rireki, view: PersonView, ctx: Context) -> None:
    """消除事由・消除日 on a 除票; 転出先 and its date once they may be printed."""
    add = view.items.append
    if view.is_removed:
        add(Item("消除事由", jiyu_name(row.shojo_jiyu, ctx.on)))
        add(Item("消除年月日", wareki(row.shojo_date)))
    if not shows_tenshutsu(row, ctx.on):
        return
    if row.tenshutsu_kakutei_address or row.tenshutsu_kakutei_date:
        add(Item("転出先住所", or_blank(row.tenshutsu_kakutei_address), wide=True))
        add(Item("転出年月日", wareki(row.tenshutsu_kakutei_date)))
    elif row.tenshutsu_yotei_address or row.tenshutsu_yotei_date:
        add(Item("転出先住所（予定）", or_blank(row.tenshutsu_yotei_address), wide=True))
        add(Item("転出予定年月日", wareki(row.tenshutsu_yotei_date)))
