"""Live validation for the entry screens: the same parser and the same Japanese message as the API.

The script asks as the clerk leaves a field, so a wrong 和暦 (「R7.2.30」) is caught before the whole
届出 is sent. Any signed-in staff may ask (``self.account``): the answer concerns only the typed value,
never a resident.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from yakuba.errors import InputError
from yakuba.juki.public import validate_zokugara
from yakuba.kernel.kana import validate_furigana
from yakuba.kernel.wareki import format_seireki, format_wareki, parse_date
from yakuba.security.auth import RequestContext, require

router = APIRouter(prefix="/ui/validate", include_in_schema=False)


def _answer(ctx: RequestContext, ok: bool, message: str, **extra: Any) -> dict[str, Any]:
    ctx.audit.detail["validate"] = ok
    ctx.commit()
    return {"ok": ok, "message": message, **extra}


@router.get("/date")
def validate_date(
    value: str = Query("", max_length=40),
    field: str = Query("日付", max_length=40),
    calendar: str = Query("wareki", pattern="^(wareki|seireki)$"),
    ctx: RequestContext = require("self.account"),
) -> dict[str, Any]:
    """「R7.4.1」 → 「令和7年4月1日」; an impossible date → the API's message naming the field."""
    if not value.strip():
        return _answer(ctx, True, "")
    try:
        day = parse_date(value, field=field)
    except InputError as exc:
        return _answer(ctx, False, str(exc))
    shown = format_seireki(day) if calendar == "seireki" else format_wareki(day)
    return _answer(ctx, True, shown, iso=day.isoformat())


@router.get("/zokugara")
def check_zokugara(
    value: str = Query("", max_length=60),
    field: str = Query("続柄", max_length=40),
    ctx: RequestContext = require("self.account"),
) -> dict[str, Any]:
    """「子の妻」 is a valid 続柄; 「嫁」 is refused with the suggestion the API gives."""
    if not value.strip():
        return _answer(ctx, True, "")
    try:
        normalized = validate_zokugara(value, field=field)
    except InputError as exc:
        return _answer(ctx, False, str(exc))
    return _answer(ctx, True, normalized if normalized != value else "")


@router.get("/kana")
def check_kana(
    value: str = Query("", max_length=100),
    field: str = Query("フリガナ", max_length=40),
    ctx: RequestContext = require("self.account"),
) -> dict[str, Any]:
    """フリガナ must be full-width katakana, exactly as the API demands (ひらがな is refused there too)."""
    if not value.strip():
        return _answer(ctx, True, "")
    try:
        normalized = validate_furigana(value, field=field)
    except InputError as exc:
        return _answer(ctx, False, str(exc))
    return _answer(ctx, True, normalized if normalized != value else "")
