"""続柄 (世帯主との続柄) の入力チェックと、世帯連記式の世帯員の並び順.

Sources: 住民記録システム標準仕様書 第1.0版 j110 (1.1.11 続柄) and j1010 (5.2 世帯員の並び順); the
requirements digest is /work/shared/specs/spec-resident.md §1.4 and §6 #3, #4.

The allowed terms, the forbidden terms with what to write instead, and the maximum number of links
(「世代」) live in ``params/data/zokugara.yaml`` under ``juki.zokugara``. What a term *means* (spouse,
child, parent, elder or younger sibling) is fixed by the law's vocabulary and is kept here.

Pure functions, no database:

* :func:`validate_zokugara` checks one value typed by a clerk and returns its canonical spelling
  (「夫(未届)」 → 「夫（未届）」, the full-width form used in j110).
* :func:`rank_label` picks, among several true descriptions of one person, the label ranked highest in
  the j1010 order (j110 留意点; scenario #3).
* :func:`display_order` sorts the members of one 世帯 for the 世帯連記式 住民票 (j1010; scenario #4).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from yakuba import params
from yakuba.errors import InputError
from yakuba.kernel import clock

__all__ = ["MemberForOrder", "display_order", "rank_label", "validate_zokugara"]

_KEY = "juki.zokugara"
_JOIN = "の"
_HEAD = "世帯主"
_ENKO = "縁故者"
_DOKYO = "同居人"
_MAX_SUGGESTIONS = 8

# Meaning of each term, keyed by the folded spelling (see _fold) so the data file decides the spelling.
_MALE, _FEMALE = "M", "F"
_SPOUSE_SEX = {"夫": _MALE, "妻": _FEMALE, "夫（未届）": _MALE, "妻（未届）": _FEMALE}
_CHILD = "子"
# j110 ②「子（子の夫）」「子（子の妻）」: a child of the 世帯主 who is also the spouse of another child.
_CHILD_AS_SPOUSE_SEX = {"子（子の夫）": _MALE, "子（子の妻）": _FEMALE}
_PARENTS = frozenset({"父", "母"})
_ELDER_SIBLINGS = frozenset({"兄", "姉"})
_YOUNGER_SIBLINGS = frozenset({"弟", "妹"})
_SEX_CODES = {"1": _MALE, "男": _MALE, "2": _FEMALE, "女": _FEMALE}


def _fold(text: str) -> str:
    """Drop every blank and read half-width parentheses as full-width, so variants compare equal."""
    return "".join(text.split()).replace("(", "（").replace(")", "）")


@dataclass(frozen=True)
class _Rules:
    standalone: tuple[str, ...]  # canonical spellings, in data order
    lookup: Mapping[str, str]  # folded → canonical, for standalone and link terms
    max_generations: int
    forbidden: Mapping[str, tuple[str, tuple[str, ...]]]  # folded → (spelling, suggestions)
    link_list: tuple[str, ...]


def _rules(on: dt.date | None) -> _Rules:
    """The 続柄 tables in force on ``on``: built once per parameter set and day, then reused.

    Every 異動 validates the 続柄 of each member; rebuilding the folded tables each time cost about
    0.5 ms a person. The key holds the parameter set itself, so a reloaded set (an overlay, a test's
    parameters) is never answered from the tables of the old one.
    """
    return _rules_for(params.default_parameters(), on or clock.today())


@functools.lru_cache(maxsize=64)
def _rules_for(parameters: params.ParameterSet, day: dt.date) -> _Rules:
    standalone = [str(t) for t in parameters.get(f"{_KEY}.standalone_terms", on=day)]
    links = [str(t) for t in parameters.get(f"{_KEY}.link_terms", on=day)]
    raw_forbidden = parameters.get(f"{_KEY}.forbidden_terms", on=day) or {}
    return _Rules(
        standalone=tuple(standalone),
        lookup={_fold(t): t for t in [*standalone, *links]},
        max_generations=int(parameters.get(f"{_KEY}.max_generations", on=day)),
        forbidden={
            _fold(str(term)): (str(term), tuple(str(s) for s in (options or ())))
            for term, options in raw_forbidden.items()
        },
        link_list=tuple(links),
    )


def _split(folded: str) -> list[str]:
    """Split on 「の」 outside parentheses: 「子（子の夫）の子」 is two links."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in folded:
        if char == "（":
            depth += 1
        elif char == "）":
            depth = max(depth - 1, 0)
        if char == _JOIN and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _quoted_choices(options: Sequence[str]) -> str:
    quoted = [f"「{o}」" for o in options]
    if len(quoted) == 1:
        return quoted[0]
    if len(quoted) == 2:
        return f"{quoted[0]}または{quoted[1]}"
    return "".join(quoted) + "のいずれか"


def _usage(rules: _Rules) -> str:
    return (
        f"{'・'.join(rules.standalone)}のほかは、"
        f"{'・'.join(rules.link_list)}を単独で、または「の」で{rules.max_generations}世代までつなげて"
        "記載します（例 子の子、妻の父）"
    )


def _too_long_message(text: str, rules: _Rules) -> str:
    return (
        f"「の」でつなげる続柄は{rules.max_generations}世代までです。"
        f"{rules.max_generations + 1}世代以上になる続柄は「{_ENKO}」と記載します（{text}）"
    )


def _suggest(tokens: list[str], rules: _Rules) -> list[str]:
    """Chains that replace each forbidden link by what the data says to write instead."""
    choices: list[tuple[str, ...]] = []
    for token in tokens:
        if token in rules.lookup:
            choices.append((rules.lookup[token],))
        elif token in rules.forbidden:
            choices.append(rules.forbidden[token][1])
        else:
            return []
    out: list[str] = []
    for combo in itertools.product(*choices):
        pieces = [p for option in combo for p in _split(_fold(option))]
        if len(pieces) > 1 and any(rules.lookup.get(p) in rules.standalone for p in pieces):
            continue  # e.g. 「妻の家事使用人」 → 「妻の同居人」 is not a thing
        label = _ENKO if len(pieces) > rules.max_generations else _JOIN.join(combo)
        if label not in out:
            out.append(label)
        if len(out) >= _MAX_SUGGESTIONS:
            break
    return out


def _parse(text: str, field: str, rules: _Rules) -> tuple[str, ...]:
    """The canonical links of ``text``; raises InputError naming ``field``. The length is not checked."""
    folded = _fold(text)
    if not folded:
        raise InputError.single(field, "入力してください")
    if folded in rules.forbidden:
        spelling, options = rules.forbidden[folded]
        hint = f"{_quoted_choices(options)}と記載します" if options else _usage(rules)
        raise InputError.single(field, f"「{spelling}」は続柄に使用できません。{hint}")
    tokens = _split(folded)
    if all(token in rules.lookup for token in tokens):
        links = tuple(rules.lookup[token] for token in tokens)
        if len(links) > 1 and any(link in rules.standalone for link in links):
            raise InputError.single(
                field,
                f"「{'」「'.join(rules.standalone)}」は「の」でつなげられません（{text.strip()}）",
            )
        return links
    bad = [rules.forbidden[t][0] for t in tokens if t in rules.forbidden]
    if bad:
        suggestions = _suggest(tokens, rules)
        hint = f"{_quoted_choices(suggestions)}と記載します" if suggestions else _usage(rules)
        raise InputError.single(
            field, f"「{'」「'.join(bad)}」は続柄に使用できません（{text.strip()}）。{hint}"
        )
    raise InputError.single(field, f"「{text.strip()}」は続柄として使用できません。{_usage(rules)}")


def validate_zokugara(text: str, *, field: str = "続柄", on: dt.date | None = None) -> str:
    """Check one 続柄 (j110) and return it in canonical spelling.

    Allowed: 世帯主, 縁故者, 同居人 alone; the link terms of ``juki.zokugara.link_terms`` alone or joined
    by 「の」 up to ``max_generations`` (4) links. Five or more links must be written 「縁故者」; a
    forbidden term (祖父, 孫, おじ, 甥 …) is refused with the chain form to use instead. Blanks are
    ignored and half-width parentheses are read as full-width (「妻(未届)」 → 「妻（未届）」).
    ``on`` (default: today) selects the rules in force.
    """
    rules = _rules(on)
    links = _parse(text, field, rules)
    if len(links) > rules.max_generations:
        raise InputError.single(field, _too_long_message(_JOIN.join(links), rules))
    return _JOIN.join(links)


# --- ranking (j1010 order, also used for j110 留意点) -------------------------------------------------

# (rank, group, sub): rank 1–4 are the 順位 of j1010; group / sub the position inside it.
_Class = tuple[int, int, int]
_UNKNOWN: _Class = (5, 0, 0)


def _descendant_sub(links: tuple[str, ...]) -> int | None:
    """Position inside a child's family (j1010 第2順位), or None when ``links`` is not such a chain.

    子 → 0, 子の夫/子の妻 (and 子（子の夫）) → 1, 子の子 → 2, 子の子の妻 → 3, 子の子の子 → 4 …
    """
    folded = [_fold(link) for link in links]
    if len(folded) == 1 and folded[0] in _CHILD_AS_SPOUSE_SEX:
        return 1
    if folded[0] not in (_CHILD, *_CHILD_AS_SPOUSE_SEX):
        return None
    rest = folded[1:]
    spouse = bool(rest) and rest[-1] in _SPOUSE_SEX
    if spouse:
        rest = rest[:-1]
    if any(link != _CHILD for link in rest):
        return None
    return 2 * len(rest) + (1 if spouse else 0)


def _family_group(links: tuple[str, ...]) -> int | None:
    """父母 → 0, 兄弟姉妹 → 1, 祖父母 → 2 (j1010 第3順位), seen from the person the chain starts at."""
    folded = [_fold(link) for link in links]
    if len(folded) == 1 and folded[0] in _PARENTS:
        return 0
    if len(folded) == 1 and folded[0] in _ELDER_SIBLINGS | _YOUNGER_SIBLINGS:
        return 1
    if len(folded) == 2 and all(link in _PARENTS for link in folded):
        return 2
    return None


def _classify(links: tuple[str, ...] | None) -> _Class:
    if not links:
        return _UNKNOWN
    first = _fold(links[0])
    if len(links) == 1:
        if first == _HEAD:
            return (1, 0, 0)
        if first in _SPOUSE_SEX:
            return (1, 1, 0)
        if first == _CHILD:
            return (1, 2, 0)
        if first == _ENKO:
            return (4, 4, 0)
        if first == _DOKYO:
            return (4, 5, 0)
    sub = _descendant_sub(links)
    if sub is not None:
        return (2, 0, sub)
    group = _family_group(links)
    if group is not None:
        return (3, group, 0)
    if first in _SPOUSE_SEX and len(links) > 1:
        group = _family_group(links[1:])
        if group is not None:
            return (4, group, 0)  # the spouse's 父母・兄弟姉妹・祖父母, ordered like 第3順位
    return (4, 3, 0)  # any other 親族 of the 世帯主 (j1010: 第3順位に含まれない親族は第4順位)


def _label_links(text: str, rules: _Rules, field: str) -> tuple[str, ...]:
    links = _parse(text, field, rules)
    return (_ENKO,) if len(links) > rules.max_generations else links


def rank_label(candidates: list[str], *, field: str = "続柄", on: dt.date | None = None) -> str:
    """The 続柄 to record when several are true of one person: the one ranked highest in j1010.

    Order: 世帯主 > 配偶者 (夫/妻, 未届を含む) > 子 > 子の配偶者 > 子の子 > 子の子の配偶者 > … > 父母 >
    兄弟姉妹 > 祖父母 > 配偶者の父母・兄弟姉妹・祖父母 > その他の親族 > 縁故者 > 同居人. A chain longer
    than ``max_generations`` counts as 「縁故者」 (j110 留意点). Ties go to the shorter chain, then to the
    candidate given first. Each candidate is checked like :func:`validate_zokugara` (InputError).
    Example (scenario #3): ["父の兄の子", "妻"] → 「妻」.
    """
    if not candidates:
        raise InputError.single(field, "続柄の候補がありません")
    rules = _rules(on)
    parsed = [_label_links(text, rules, field) for text in candidates]
    best = min(range(len(parsed)), key=lambda i: (_classify(parsed[i]), len(parsed[i]), i))
    return _JOIN.join(parsed[best])


# --- display order (j1010) ------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberForOrder:
    """One member of a 世帯 as :func:`display_order` needs it.

    ``sex`` ("1" 男 / "2" 女, None if unknown) is only used to attribute a 子の妻 / 子の夫 to a child.
    ``joined_seq`` is 0 for the members present when the order was set and 1, 2, … for those who joined
    the 世帯 later (転入等), who are appended at the end in that order (j1010).
    ``manual_position`` is a saved manual order (j1010 任意の並び順).
    """

    atena_no: str
    zokugara: str
    birth_date: dt.date | None
    is_hittosha: bool = False
    manual_position: int | None = None
    joined_seq: int = 0
    sex: str | None = None


_BirthKey = tuple[int, dt.date]
_FamilyKey = tuple[int, int, dt.date, str]
_NO_FAMILY: _FamilyKey = (0, 0, dt.date.min, "")
_ORPHAN_FAMILY: _FamilyKey = (1, 1, dt.date.max, "")


def _birth_key(birth_date: dt.date | None) -> _BirthKey:
    return (0, birth_date) if birth_date is not None else (1, dt.date.max)  # unknown dates go last


def _eldest_key(member: MemberForOrder) -> tuple[_BirthKey, str, str]:
    return (_birth_key(member.birth_date), member.atena_no, repr(member))


def _lenient_links(text: str, rules: _Rules) -> tuple[str, ...] | None:
    """Links for ordering stored data: too long → 縁故者; a forbidden legacy term → its first suggestion."""
    try:
        return _label_links(text, rules, "続柄")
    except InputError:
        pass
    folded = _fold(text)
    if folded in rules.forbidden and rules.forbidden[folded][1]:
        try:
            return _label_links(rules.forbidden[folded][1][0], rules, "続柄")
        except InputError:
            return None
    return None


def _spouse_sex(links: tuple[str, ...]) -> str | None:
    last = _fold(links[-1])
    return _SPOUSE_SEX.get(last) or _CHILD_AS_SPOUSE_SEX.get(last)


def _attribute_families(
    entries: list[tuple[MemberForOrder, tuple[str, ...] | None, _Class]],
) -> dict[int, MemberForOrder | None]:
    """For each 第2順位 member (by index): the 世帯主's child whose family it joins (None: no such child).

    続柄 alone cannot tell whose wife a 「子の妻」 is, so the rule is:
    * a 子の妻 (子の妻（未届）, 子（子の妻）) belongs to the eldest 子 who is male or of unknown sex,
      a 子の夫 to the eldest 子 who is female or of unknown sex (eldest: birth date, then 宛名番号);
    * grandchildren and further descendants (子の子, 子の子の妻, 子の子の子 …) belong to the eldest child who
      got a spouse that way, otherwise to the eldest 子;
    * with no matching 子 in the 世帯 they form a family without its child, listed after the others.
    Households this guesses wrong (two married sons living in) are fixed with ``manual_position``.
    """
    children = sorted((m for m, _links, cls in entries if cls == (1, 2, 0)), key=_eldest_key)
    out: dict[int, MemberForOrder | None] = {}
    spouse_heads: list[MemberForOrder] = []
    for index, (_member, links, cls) in enumerate(entries):
        if cls[0] == 2 and cls[2] == 1 and links is not None:
            own = _spouse_sex(links)
            wanted = {_MALE: _FEMALE, _FEMALE: _MALE}.get(own or "")
            head = next(
                (c for c in children if wanted is None or _SEX_CODES.get(c.sex or "") in (wanted, None)),
                None,
            )
            out[index] = head
            if head is not None:
                spouse_heads.append(head)
    default = min(spouse_heads, key=_eldest_key) if spouse_heads else (children[0] if children else None)
    for index, (_member, _links, cls) in enumerate(entries):
        if cls[0] == 2 and cls[2] != 1:
            out[index] = default
    return out


def display_order(members: Sequence[MemberForOrder], *, on: dt.date | None = None) -> list[str]:
    """宛名番号 of ``members`` in the order of the 世帯連記式 住民票 (j1010).

    1. 世帯主 → 配偶者 → 世帯主の子 (birth date, then 宛名番号) except children who head a family;
    2. the families of the 世帯主's children, by the child's birth date: the child → the child's spouse →
       grandchildren by birth date (→ their spouses → great-grandchildren); see :func:`_attribute_families`
       for how a 子の妻 / 子の子 is assigned to a child;
    3. 父母 (筆頭者 first, then birth date) → 兄弟姉妹 (birth date) → 祖父母 (筆頭者 first, then birth date);
    4. the spouse's 父母 → 兄弟姉妹 → 祖父母 (same rules), other 親族, 縁故者, 同居人, each by birth date.
    Ties go to 宛名番号 (twins, scenario #4); an unknown birth date sorts last within its group, and among
    siblings with unknown dates 兄/姉 come before 弟/妹. Values that are not 続柄 sort at the very end.

    Overrides, as one sort key: the 世帯主 always comes first; then the members with a ``manual_position``
    in that order; then the others — those with ``joined_seq`` 0 in the order above, followed by the later
    arrivals by ``joined_seq`` (j1010: 既設の世帯に入る者は末尾に順次記載). The result does not depend on
    the order of ``members``. Not implemented: grouping the families of 第4順位 relatives together.
    """
    rules = _rules(on)
    entries: list[tuple[MemberForOrder, tuple[str, ...] | None, _Class]] = []
    for member in members:
        links = _lenient_links(member.zokugara, rules)
        entries.append((member, links, _classify(links)))
    families = _attribute_families(entries)
    heads = {id(head) for head in families.values() if head is not None}

    def family_key(head: MemberForOrder | None) -> _FamilyKey:
        if head is None:
            return _ORPHAN_FAMILY
        flag, born = _birth_key(head.birth_date)
        return (0, flag, born, head.atena_no)

    keys = []
    for index, (member, links, cls) in enumerate(entries):
        rank, group, sub = cls
        family = _NO_FAMILY
        if cls == (1, 2, 0) and id(member) in heads:
            rank, group, sub, family = 2, 0, 0, family_key(member)
        elif rank == 2:
            family = family_key(families[index])
        uses_hittosha = (rank == 3 and group in (0, 2)) or (rank == 4 and group in (0, 2))
        hittosha = 0 if uses_hittosha and member.is_hittosha else 1
        elder = 0
        if member.birth_date is None and links is not None and group == 1 and rank in (3, 4):
            elder = 0 if _fold(links[-1]) in _ELDER_SIBLINGS else 1
        auto = (rank, group, family, sub, hittosha, _birth_key(member.birth_date), elder, member.atena_no)
        if cls == (1, 0, 0):
            override: tuple[int, int, int, int] = (0, 0, 0, 0)
        elif member.manual_position is not None:
            override = (1, 0, member.manual_position, 0)
        else:
            override = (1, 1, 0, member.joined_seq)
        keys.append((override, auto, repr(member), member.atena_no))
    keys.sort()
    return [key[-1] for key in keys]
