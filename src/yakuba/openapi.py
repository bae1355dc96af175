"""The OpenAPI document as the API really answers (issue 24).

FastAPI documents a 422 as its own ``HTTPValidationError`` (``detail`` a list) and no other error,
but yakuba answers every refusal with one Japanese envelope —
``{"detail": "…", "errors": [{"field", "message"}]}`` for input, ``{"detail": "…", "alerts": […]}``
for alerts needing confirmation, ``{"detail": "…"}`` otherwise — with the statuses
``app.create_app`` maps its errors to. A client generated from the document, or a fuzzer checking
conformance, must see those; so every operation documents them here, in one place, instead of on each
of ~100 routes.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

ENVELOPE = "ErrorEnvelope"
FIELD_ERROR = "FieldError"

# Status → description, for every operation behind ``require`` (the error mapping of app.create_app).
ERROR_RESPONSES: dict[str, str] = {
    "400": "本文を読み取れないか、業務上の理由で処理できません（理由を detail に示します）",
    "401": "ログインまたは有効なトークンが必要です",
    "403": "この操作の権限がないか、アクセス方針により拒否されました（監査ログに記録）",
    "404": "指定された対象が見つからないか、参照できません",
    "409": "他の職員が先に更新しました。読み込み直してください",
    "422": "入力内容に誤りがあります（項目名を含む日本語のメッセージを errors に示します）",
    "428": "確認が必要なアラートがあります（alerts を確認し confirm_alerts を指定して送り直す）",
    "503": "混み合っています。Retry-After 秒後に送り直してください",
}
# Operations open without a login answer from a smaller set (and the login is rate-limited).
OPEN_ERROR_RESPONSES: dict[str, str] = {
    "400": ERROR_RESPONSES["400"],
    "401": ERROR_RESPONSES["401"],
    "403": ERROR_RESPONSES["403"],
    "404": ERROR_RESPONSES["404"],
    "422": ERROR_RESPONSES["422"],
    "429": "試行が多すぎます。しばらく待ってから送り直してください",
    "503": ERROR_RESPONSES["503"],
}

_SCHEMAS: dict[str, Any] = {
    FIELD_ERROR: {
        "title": FIELD_ERROR,
        "type": "object",
        "properties": {
            "field": {"type": "string", "title": "項目名"},
            "message": {"type": "string", "title": "メッセージ"},
        },
        "required": ["field", "message"],
    },
    ENVELOPE: {
        "title": ENVELOPE,
        "type": "object",
        "properties": {
            "detail": {"type": "string", "title": "日本語のメッセージ"},
            "errors": {"type": "array", "items": {"$ref": f"#/components/schemas/{FIELD_ERROR}"}},
            "alerts": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["detail"],
    },
}


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ENVELOPE}"}}},
    }


def document(app: FastAPI, open_routes: frozenset[tuple[str, str]]) -> dict[str, Any]:
    """The app's OpenAPI document with yakuba's error envelope on every operation."""
    spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas.update(_SCHEMAS)
    for path, item in spec.get("paths", {}).items():
        for method, operation in item.items():
            is_open = (path, method.upper()) in open_routes
            codes = OPEN_ERROR_RESPONSES if is_open else ERROR_RESPONSES
            responses = operation.setdefault("responses", {})
            for status, description in codes.items():
                responses[status] = _error(description)
    return spec


def install(app: FastAPI, open_routes: frozenset[tuple[str, str]]) -> None:
    """Replace ``app.openapi`` so ``/openapi.json`` and ``/docs`` serve :func:`document` (built once)."""
    cache: dict[str, Any] = {}

    def openapi() -> dict[str, Any]:
        if not cache:
            cache.update(document(app, open_routes))
        return cache

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to customise it
