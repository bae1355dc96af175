"""Reading an entry form: 和暦 dates, texts and choices, with every problem collected at once.

A clerk fixing a 届出 wants all its mistakes in one go, not one per round trip, so the reader keeps
going after a bad field and raises one :class:`InputError` at the end. Field names in the messages are
the labels on the screen — the script uses them to mark the right input — and dates use the API's
parser, so the words are the same as the API's and the live check's.

The reader also notes what it read as (label, shown value) pairs: the confirmation screen lists them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from starlette.datastructures import FormData

from yakuba.errors import FieldProblem, InputError
from yakuba.kernel.wareki import format_seireki, format_wareki, parse_date


class FormReader:
    """Typed access to one submitted form; see the module docstring."""

    def __init__(self, form: FormData) -> None:
        self.form = form
        self.problems: list[FieldProblem] = []
        self.summary: list[tuple[str, str]] = []

    def raw(self, name: str) -> str:
        value = self.form.get(name)
        return value.strip() if isinstance(value, str) else ""

    def note(self, label: str, shown: str) -> None:
        if shown:
            self.summary.append((label, shown))

    def problem(self, label: str, message: str) -> None:
        self.problems.append(FieldProblem(label, message))

    def text(self, name: str, label: str, *, required: bool = False, show: bool = True) -> str | None:
        value = self.raw(name)
        if not value:
            if required:
                self.problem(label, "入力してください")
            return None
        if show:
            self.note(label, value)
        return value

    def date(self, name: str, label: str, *, required: bool = False, seireki: bool = False) -> dt.date | None:
        value = self.raw(name)
        if not value:
            if required:
                self.problem(label, "入力してください")
            return None
        try:
            day = parse_date(value, field=label)
        except InputError as exc:
            self.problems.extend(exc.problems)
            return None
        self.note(label, format_seireki(day) if seireki else format_wareki(day))
        return day

    def choice(self, name: str, label: str, options: Mapping[str, str], *, default: str | None = None) -> str:
        value = self.raw(name) or default or ""
        if value not in options:
            self.problem(label, "選択してください")
            return next(iter(options))
        self.note(label, options[value])
        return value

    def flag(self, name: str, label: str) -> bool:
        on = self.raw(name) in ("true", "on", "1")
        if on:
            self.note(label, "はい")
        return on

    def many(self, name: str) -> list[str]:
        return [v.strip() for v in self.form.getlist(name) if isinstance(v, str) and v.strip()]

    def check(self) -> None:
        """Raise every problem found so far (nothing is changed when a form has one)."""
        if self.problems:
            raise InputError(*self.problems)
