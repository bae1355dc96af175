"""Reading the one search box: カナ, 漢字, 生年月日 (和暦 or 西暦) or a 宛名番号 — and combinations.

The counter clerk types whatever the resident hands over; the box decides what it is so nobody has to
choose a field first. Each word is read on its own: a word that is a date is the 生年月日; a run of
digits that is not a date is the 宛名番号; the remaining words are a カナ name when they are all kana,
otherwise a 漢字 name. A word that looks like a date but is not one (「R7.2.30」) is refused with the
same message the API gives, instead of being searched as a name.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from yakuba.errors import FieldProblem, InputError
from yakuba.kernel.wareki import default_table, normalize_input, parse_date

BIRTH_FIELD = "生年月日"
_KANA = re.compile(r"^[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fb\u309b\u309c\u3099\u309a・ー\s]+$")
_DIGITS = re.compile(r"^\d+$")
_DATEISH = re.compile(r"\d+\s*[./\-年]\s*\d+|^\d{8}$")


@dataclass
class Criteria:
    """What the box was understood as; ``kinds`` names it for the clerk (「カナ氏名・生年月日」)."""

    kana: str | None = None
    name: str | None = None
    birth_date: dt.date | None = None
    atena_no: str | None = None
    kinds: list[str] = field(default_factory=list)

    def as_query(self) -> dict[str, object]:
        return {
            "kana": self.kana,
            "name": self.name,
            "birth_date": self.birth_date,
            "atena_no": self.atena_no,
        }


def _looks_like_date(word: str) -> bool:
    folded = normalize_input(word)
    if _DATEISH.search(folded):
        return True
    era = re.match(default_table().era_pattern, folded, re.I)
    return bool(era and re.match(r"(\d|元)", folded[era.end() :]))


def _is_kana(text: str) -> bool:
    return bool(_KANA.match(unicodedata.normalize("NFKC", text)))


def _digits(word: str, found: Criteria) -> tuple[str | None, dt.date | None]:
    """Eight digits that make a real day are a 西暦 date (19800501); any other run of digits is a 宛名番号."""
    if len(word) == 8:
        try:
            return found.atena_no, parse_date(word, field=BIRTH_FIELD)
        except InputError:
            pass
    return word, found.birth_date


def read_query(text: str) -> Criteria:
    """Split the box into search criteria; raises :class:`InputError` for an impossible date."""
    folded = unicodedata.normalize("NFKC", text).strip()
    if not folded:
        raise InputError.single("検索", "カナ・氏名・生年月日・宛名番号のいずれかを入力してください")
    # 「令和 7年 4月 1日」 is one date even with spaces: try the whole box as a date first.
    if _looks_like_date(folded) and not _DIGITS.match(folded):
        try:
            return Criteria(birth_date=parse_date(folded, field=BIRTH_FIELD), kinds=[BIRTH_FIELD])
        except InputError:
            if " " not in folded:
                raise
    found = Criteria()
    rest: list[str] = []
    problems: list[FieldProblem] = []
    for word in folded.split():
        if _DIGITS.match(word):
            found.atena_no, found.birth_date = _digits(word, found)
        elif _looks_like_date(word):
            try:
                found.birth_date = parse_date(word, field=BIRTH_FIELD)
            except InputError as exc:
                problems.extend(exc.problems)
        else:
            rest.append(word)
    if problems:
        raise InputError(*problems)
    if rest:
        words = " ".join(rest)
        if _is_kana(words):
            found.kana = words
        else:
            found.name = "".join(rest)
    found.kinds = [
        label
        for label, value in (
            ("カナ氏名", found.kana),
            ("漢字氏名", found.name),
            (BIRTH_FIELD, found.birth_date),
            ("宛名番号", found.atena_no),
        )
        if value
    ]
    return found
