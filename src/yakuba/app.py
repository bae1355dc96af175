"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from sqlalchemy.exc import DataError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from yakuba import __version__
from yakuba.bootstrap import Yakuba, bootstrap
from yakuba.config import Settings
from yakuba.errors import InputError, YakubaError
from yakuba.juki.public import AlertConfirmationRequired
from yakuba.openapi import install as install_openapi
from yakuba.params import NotInForce
from yakuba.security.accounts import AuthenticationError
from yakuba.security.auth import (
    OPEN_ROUTES,
    RequestContext,
    Unauthenticated,
    check_route_declarations,
    require,
)
from yakuba.security.ratelimit import SlidingWindowLimiter
from yakuba.validation import problems_from_pydantic

API_DESCRIPTION = """
yakuba — 標準準拠 基幹業務システム（住民記録・印鑑登録・戸籍の附票・選挙人名簿・税務）。

すべての業務 API は認証済みの職員（またはトークン）を必要とし、個人情報の参照・更新は監査ログに記録されます。
入力誤りは HTTP 422 で、項目名を含む日本語のメッセージを返します。
"""

ALERT_MESSAGE = "確認が必要なアラートがあります。確認のうえ confirm_alerts を指定して送り直してください。"
LOST_UPDATE_MESSAGE = "他の職員が先に同じ世帯・住民を更新しました。画面を読み込み直してから入力してください。"
BUSY_MESSAGE = "ただいま混み合っています。しばらく待ってから、もう一度操作してください。"
BUSY_RETRY_AFTER_SECONDS = 5
UNSTORABLE_MESSAGE = "保存できない値が含まれています（NUL などの制御文字、桁の大きすぎる数値）。"
HTTP_MESSAGES = {
    400: "リクエストの本文を読み取れません（JSON の形式を確認してください）。",
    404: "指定された URL はありません。",
    405: "この URL はその方法（HTTP メソッド）では使えません。",
}

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def _wants_html(request: Request) -> bool:
    """A browser asking for a screen is sent to the login page instead of receiving JSON."""
    return (
        request.method == "GET"
        and not request.url.path.startswith("/api/")
        and "text/html" in request.headers.get("accept", "")
    )


def _error_body(problems: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "detail": "入力内容に誤りがあります。",
        "errors": [{"field": f, "message": f"{f}: {m}" if f else m} for f, m in problems],
    }


def create_app(settings: Settings | None = None, container: Yakuba | None = None) -> FastAPI:
    """Build the app. Tests pass their own container (temporary database, keys)."""
    yakuba = container or bootstrap(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if container is None:
            yakuba.dispose()

    app = FastAPI(
        title="yakuba",
        version=__version__,
        description=API_DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.yakuba = yakuba
    app.state.login_limiter = SlidingWindowLimiter()

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.url.scheme == "https":
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

    @app.exception_handler(InputError)
    async def _input_error(_request: Request, exc: InputError) -> JSONResponse:
        return JSONResponse(
            status_code=422, content=_error_body([(p.field, p.message) for p in exc.problems])
        )

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(status_code=422, content=_error_body(problems_from_pydantic(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # The framework's own refusals (an unreadable JSON body, an unknown path or method) in the same
        # Japanese envelope as ours, never an English line a clerk's client cannot show (issue 24).
        if exc.status_code == 404 and _wants_html(request):
            return HTMLResponse(HTTP_MESSAGES[404], status_code=404)
        message = HTTP_MESSAGES.get(exc.status_code, str(exc.detail))
        return JSONResponse(
            status_code=exc.status_code, content={"detail": message}, headers=getattr(exc, "headers", None)
        )

    @app.exception_handler(DataError)
    async def _unstorable(_request: Request, _exc: DataError) -> JSONResponse:
        # The database refused a value as data (PostgreSQL: a NUL character in text, a number out of
        # its column's range): the input's fault, rolled back with the rest of the request (issue 24).
        return JSONResponse(status_code=422, content=_error_body([("入力", UNSTORABLE_MESSAGE)]))

    @app.exception_handler(NotInForce)
    async def _date_out_of_range(_request: Request, exc: NotInForce) -> JSONResponse:
        message = f"{exc.on.isoformat()} は制度の適用期間外の日付です（{exc.key}）。日付を確認してください"
        return JSONResponse(status_code=422, content=_error_body([("日付", message)]))

    @app.exception_handler(AuthenticationError)
    async def _auth_error(_request: Request, exc: AuthenticationError) -> JSONResponse:
        return JSONResponse(status_code=401, content={"detail": exc.public})

    @app.exception_handler(AlertConfirmationRequired)
    async def _alerts(_request: Request, exc: AlertConfirmationRequired) -> JSONResponse:
        return JSONResponse(
            status_code=428,
            content={
                "detail": ALERT_MESSAGE,
                "alerts": exc.alerts,
            },
        )

    @app.exception_handler(StaleDataError)
    async def _lost_update(_request: Request, _exc: StaleDataError) -> JSONResponse:
        return JSONResponse(status_code=409, content={"detail": LOST_UPDATE_MESSAGE})

    @app.exception_handler(PoolTimeoutError)
    async def _busy(_request: Request, _exc: PoolTimeoutError) -> JSONResponse:
        # Every database connection is in use beyond the pool's timeout: the server is past what it can
        # do. Say so at once with 503 and when to retry, rather than a bare 500; nothing was changed.
        return JSONResponse(
            status_code=503,
            content={"detail": BUSY_MESSAGE},
            headers={"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)},
        )

    @app.exception_handler(YakubaError)
    async def _yakuba_error(request: Request, exc: YakubaError) -> Response:
        if isinstance(exc, Unauthenticated) and _wants_html(request):
            return RedirectResponse("/login", status_code=303)
        if _wants_html(request):  # a refused screen is shown as a page, not as JSON
            from yakuba.ui.common import plain_error_page

            return plain_error_page(request, exc)
        return JSONResponse(status_code=exc.http_status, content={"detail": str(exc)})

    @app.get("/healthz", tags=["運用"], summary="稼働確認")
    def healthz() -> dict[str, str]:
        """Load balancers and the setup script poll this; it reveals nothing about residents."""
        return {"status": "ok", "version": __version__}

    @app.get("/openapi.json", tags=["運用"], summary="API 仕様（OpenAPI）", include_in_schema=False)
    def openapi(ctx: RequestContext = require("api.docs")) -> JSONResponse:
        """API の仕様を OpenAPI 形式で返します（ログインが必要）。"""
        return JSONResponse(app.openapi())

    @app.get("/docs", tags=["運用"], summary="API 仕様書", include_in_schema=False)
    def docs(ctx: RequestContext = require("api.docs")) -> HTMLResponse:
        """API 仕様書の画面。資材はすべて yakuba 自身が配信します（CDN を使いません）。"""
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="yakuba API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon-32x32.png",
        )

    _mount_static(app)
    _include_routers(app)
    install_openapi(app, OPEN_ROUTES)
    check_route_declarations(app.routes)  # no route may exist without a declared permission
    return app


def _mount_static(app: FastAPI) -> None:
    from fastapi.staticfiles import StaticFiles
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_path), name="swagger")
    app.mount("/static/ui", StaticFiles(directory=Path(__file__).parent / "ui" / "static"), name="ui")


def _include_routers(app: FastAPI) -> None:
    from yakuba.admin.api import router as admin_router
    from yakuba.audit.api import router as audit_router
    from yakuba.fuhyo.api import router as fuhyo_router
    from yakuba.inkan.api import router as inkan_router
    from yakuba.juki.api import router as juki_router
    from yakuba.juki.api_ido import router as juki_ido_router
    from yakuba.juki.api_yokushi import router as juki_yokushi_router
    from yakuba.security.api import router as auth_router
    from yakuba.senkyo.api import router as senkyo_router
    from yakuba.shomei.api import router as shomei_router
    from yakuba.ui.routes import router as ui_router
    from yakuba.zeimu.api import router as zeimu_router
    from yakuba.zeimu.kojin.api import router as kojin_router
    from yakuba.zeimu.kojin.api_batch import router as kojin_batch_router
    from yakuba.zeimu.kojin.api_forms import router as kojin_forms_router

    for router in (
        auth_router,
        juki_router,
        juki_ido_router,
        juki_yokushi_router,
        shomei_router,
        inkan_router,
        fuhyo_router,
        senkyo_router,
        zeimu_router,
        kojin_router,
        kojin_forms_router,
        kojin_batch_router,
        audit_router,
        admin_router,
        ui_router,
    ):
        app.include_router(router)
