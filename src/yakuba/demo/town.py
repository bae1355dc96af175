"""The synthetic municipality and its 町字, and the keyed permutation that makes unique-looking numbers."""

from __future__ import annotations

import random

from yakuba.demo.model import Choaza, SyntheticTown
from yakuba.demo.tables import (
    _CHOAZA_DIRECTIONS,
    _CHOAZA_FIRSTS,
    _CHOAZA_SUFFIXES,
    _ELSEWHERE,
    _KANJI_DIGITS,
    _MAX_CHOAZA,
    _TOWN_NAMES,
)

# --------------------------------------------------------------------------------------------------
# Numbers: a keyed Feistel permutation of a serial counter gives unique random-looking base numbers
# --------------------------------------------------------------------------------------------------


class _Permutation:
    """Keyed bijection on range(a * b) (two-round unbalanced Feistel network)."""

    def __init__(self, rng: random.Random, a: int, b: int) -> None:
        self.a, self.b = a, b
        self.k1, self.k2 = rng.getrandbits(40), rng.getrandbits(40)
        self.offset = rng.randrange(a * b)

    def __call__(self, serial: int) -> int:
        a, b = self.a, self.b
        left, right = divmod((serial + self.offset) % (a * b), b)
        # round 1: (left in Z_a, right in Z_b) -> (right, left + F(right) mod a); round 2 mirrors it.
        left, right = right, (left + (((right ^ self.k1) * 0x9E3779B1) >> 7)) % a
        left, right = right, (left + (((right ^ self.k2) * 0x9E3779B1) >> 7)) % b
        return left * b + right


# --------------------------------------------------------------------------------------------------
# Town
# --------------------------------------------------------------------------------------------------


def _build_town(rng: random.Random, residents: int) -> tuple[SyntheticTown, dict[str, str]]:
    prefecture = rng.choice(sorted({p for p, _ in _ELSEWHERE}))
    name = rng.choice(_TOWN_NAMES)
    wanted = min(_MAX_CHOAZA, max(1, round(residents / 330)))
    bases = [
        (f"{d}{first}{suffix}", first)
        for d in _CHOAZA_DIRECTIONS
        for first in _CHOAZA_FIRSTS
        for suffix in _CHOAZA_SUFFIXES
        if suffix[-1] not in first  # no 「梅園園」
    ]
    rng.shuffle(bases)
    postal_prefix = rng.randrange(100, 1000)
    postal_suffixes = rng.sample(range(10000), len(bases))
    choaza: list[Choaza] = []
    prefixes: dict[str, str] = {}
    for i, (base, first) in enumerate(bases):
        if len(choaza) >= wanted:
            break
        postal = f"{postal_prefix:03d}{postal_suffixes[i]:04d}"
        if rng.random() < 0.6:
            for chome in range(1, min(rng.randint(1, 5), wanted - len(choaza)) + 1):
                code = f"{i + 1:04d}{chome:03d}"
                choaza.append(
                    Choaza(code, f"{base}{_KANJI_DIGITS[chome]}丁目", postal, rng.randint(8, 35), True)
                )
                prefixes[code] = first
        else:
            code = f"{i + 1:04d}000"
            choaza.append(Choaza(code, base, postal, rng.randint(80, 1500), False))
            prefixes[code] = first
    return SyntheticTown(prefecture, name, tuple(choaza)), prefixes
