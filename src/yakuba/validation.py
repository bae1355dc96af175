"""Turning Pydantic's validation errors into Japanese messages that name the field."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import Field

FIELD_LABELS: dict[str, str] = {
    "login": "ログインID",
    "password": "パスワード",
    "current": "現在のパスワード",
    "new": "新しいパスワード",
    "code": "確認コード",
    "birth_date": "生年月日",
    "shi": "氏",
    "mei": "名",
    "sex": "性別",
    "zokugara": "続柄",
    "mynumber": "個人番号",
    "atena_no": "宛名番号",
    "as_of": "基準日",
    "limit": "件数",
    "offset": "開始位置",
    "kind": "種類",
    "category": "種別",
    "result": "結果",
    "display_name": "氏名",
    "roles": "ロール",
}

_MESSAGES: dict[str, str] = {
    "missing": "入力してください",
    "string_too_long": "長すぎます（{max_length}文字以内）",
    "string_too_short": "短すぎます（{min_length}文字以上）",
    "string_pattern_mismatch": "形式が正しくありません",
    "date_from_datetime_parsing": "日付の形式が正しくありません",
    "date_parsing": "日付の形式が正しくありません（例: 2025-04-01）",
    "date_from_datetime_inexact": "日付の形式が正しくありません",
    "int_parsing": "整数で入力してください",
    "greater_than_equal": "{ge} 以上で入力してください",
    "less_than_equal": "{le} 以下で入力してください",
    "bool_parsing": "true か false で指定してください",
    "json_invalid": "JSON の形式が正しくありません",
    "model_attributes_type": "形式が正しくありません",
    "literal_error": "指定できる値ではありません",
    "enum": "指定できる値ではありません",
    "too_short": "{min_length}件以上指定してください",
}


def _label(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    named = [FIELD_LABELS.get(p, p) for p in parts]
    return "・".join(named) or "入力"


def problems_from_pydantic(errors: Sequence[Any]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for error in errors:
        template = _MESSAGES.get(error.get("type", ""), "値が正しくありません")
        try:
            message = template.format(**(error.get("ctx") or {}))
        except (KeyError, IndexError):
            message = template
        # A body that is not JSON at all has no field; Pydantic locates it at a byte offset.
        label = "本文" if error.get("type") == "json_invalid" else _label(error.get("loc", ()))
        out.append((label, message))
    return out


# Row numbers and list positions as the database can hold them: INTEGER on PostgreSQL is 32-bit. A
# number past it cannot name a row, so it is refused as input (422 naming the field) and the OpenAPI
# document says so, instead of overflowing in the driver as a 500 (issue 24).
MAX_ROW_ID = 2_147_483_647
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="番号")]
Offset = Annotated[int, Query(ge=0, le=MAX_ROW_ID, description="開始位置")]
RowNumber = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]  # the same bound for a number inside a body
