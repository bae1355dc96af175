"""The one door every route passes: authentication, permission, dynamic policy, audit.

A route declares what it needs with ``ctx: RequestContext = require("juki.read")``. The dependency

1. identifies the caller (session cookie after password + TOTP, or a bearer token),
2. checks the role permission and the dynamic policy (network zone, time window, declared
   purpose, sensitivity of the data) and logs the decision with its reason,
3. opens the request's unit of work, and
4. guarantees an audit entry: on success the route's :meth:`RequestContext.commit` writes it inside
   the same transaction as the change; on failure it is written in a transaction of its own.

The permission is also stored on the dependency so a test can enumerate every route and fail when
one has none (only ``OPEN_ROUTES`` may go without).
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.routing import BaseRoute

from yakuba.audit.service import AuditRecord, append_at_commit
from yakuba.audit.service import append as append_audit
from yakuba.bootstrap import Yakuba
from yakuba.errors import Forbidden, YakubaError
from yakuba.kernel.holidays import is_holiday
from yakuba.security.accounts import (
    AuthenticationError,
    Principal,
    principal_for,
    resolve_session,
    resolve_token,
)
from yakuba.security.classification import Label, label_for, most_restrictive
from yakuba.security.policy import AccessRequest, Decision, evaluate, load_policy
from yakuba.uow import Actor, UnitOfWork

SESSION_COOKIE = "yakuba_session"
CSRF_HEADER = "X-CSRF-Token"
PURPOSE_HEADER = "X-Yakuba-Purpose"
PERMISSION_ATTR = "__yakuba_permission__"
CLASSIFICATION_HEADER = "X-Yakuba-Classification"
MARKING_HEADER = "X-Yakuba-Marking"  # percent-encoded 「機密性3B・完全性2・可用性2【…】」
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# (path, method) pairs reachable without login: the health check, the login itself and the public
# verification of an issued certificate (which reveals no personal data).
OPEN_ROUTES: frozenset[tuple[str, str]] = frozenset(
    {
        ("/healthz", "GET"),
        ("/api/v1/auth/login", "POST"),
        ("/api/v1/auth/enrol", "POST"),
        ("/api/v1/auth/logout", "POST"),
        ("/login", "GET"),
        ("/login", "POST"),
        ("/login/enrol", "POST"),
        ("/logout", "POST"),
        ("/verify/{issuance_id}", "GET"),
    }
)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "-"


def declared_purpose(request: Request) -> str | None:
    raw = request.headers.get(PURPOSE_HEADER) or request.query_params.get("purpose")
    if not raw:
        return None
    return urllib.parse.unquote(raw).strip()[:200] or None


@dataclass
class AuditDraft:
    """What the route learnt while working: who it touched and what it revealed."""

    subjects: list[str] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set, repr=False)  # the same, for a check in constant time
    record_count: int = 0
    mynumber_revealed: bool = False
    shien_subject: bool = False
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class RequestContext:
    """Handed to every protected route: the caller, its unit of work and the audit entry being built."""

    principal: Principal
    uow: UnitOfWork
    request: Request
    permission: str
    purpose: str | None
    decision: Decision
    response: Response
    audit: AuditDraft = field(default_factory=AuditDraft)
    audited: bool = False

    @property
    def yakuba(self) -> Yakuba:
        container: Yakuba = self.request.app.state.yakuba
        return container

    def allows(self, permission: str, *, sensitivity: str = "3A") -> Decision:
        """Check a further permission inside the route (e.g. revealing a 個人番号) and log why."""
        if not self.principal.can(permission):
            decision = Decision(False, f"拒否: 権限 {permission} がありません", None)
        else:
            decision = _policy_decision(self.principal, permission, self.request, self.purpose, sensitivity)
        self.audit.detail.setdefault("decisions", []).append(
            {"permission": permission, "allowed": decision.allowed, "reason": decision.reason}
        )
        return decision

    def label(self, *categories: str) -> Label:
        """Mark the response with the most restrictive 自治体機密性 label of the data it carries."""
        today = self.yakuba.clock().date()
        label = most_restrictive([label_for(c, today) for c in categories])
        self.response.headers[CLASSIFICATION_HEADER] = (
            f"C={label.confidentiality}; I={label.integrity}; A={label.availability}"
        )
        self.response.headers[MARKING_HEADER] = urllib.parse.quote(label.marking())
        self.audit.detail["classification"] = label.confidentiality
        return label

    def touched(self, *atena_nos: str, shien: bool = False) -> None:
        draft = self.audit
        for atena_no in atena_nos:  # a 定時登録 touches hundreds of thousands: no list scan per person
            if atena_no not in draft._seen:
                draft._seen.add(atena_no)
                draft.subjects.append(atena_no)
        self.audit.shien_subject = self.audit.shien_subject or shien

    def commit(self, result: str = "success", reason: str | None = None) -> None:
        """Commit the work with its audit entry: both land, or neither.

        The entry is appended as the transaction's seal (``append_at_commit``), so the audit chain head
        — the one row every request queues on — is locked only for the commit itself. When the commit
        fails, ``audited`` stays false and the request's failure is logged in a transaction of its own.
        """
        if self.audited:
            self.uow.commit()
            return
        append_at_commit(self.uow, self._audit_record(result, reason))
        self.uow.commit()
        self.audited = True

    def _audit_record(self, result: str, reason: str | None) -> AuditRecord:
        return _record(
            self.request,
            self.principal,
            category="access",
            permission=self.permission,
            purpose=self.purpose,
            result=result,
            reason=reason or self.decision.reason,
            draft=self.audit,
        )


def _record(
    request: Request,
    principal: Principal | None,
    *,
    category: str,
    permission: str | None,
    purpose: str | None,
    result: str,
    reason: str | None,
    draft: AuditDraft | None = None,
    login: str | None = None,
) -> AuditRecord:
    draft = draft or AuditDraft()
    route = request.scope.get("route")
    path = getattr(route, "path", request.url.path)
    return AuditRecord(
        login=principal.login if principal else (login or "-"),
        roles=principal.roles if principal else (),
        terminal=client_ip(request),
        client_ip=client_ip(request),
        category=category,
        operation=f"{request.method} {path}",
        permission=permission,
        subjects=tuple(draft.subjects),
        purpose=purpose,
        result=result,
        reason=reason,
        mynumber_revealed=draft.mynumber_revealed,
        contractor=bool(principal and principal.is_contractor),
        shien_subject=draft.shien_subject,
        record_count=draft.record_count,
        detail=dict(draft.detail),
    )


def write_separately(yakuba: Yakuba, record: AuditRecord) -> None:
    """An audit entry in its own transaction: for refusals and failures, whose own work rolled back."""
    with yakuba.uow() as uow:
        append_audit(uow.session, record)
        uow.commit()


def _policy_decision(
    principal: Principal, permission: str, request: Request, purpose: str | None, sensitivity: str
) -> Decision:
    now = request.app.state.yakuba.clock()
    return evaluate(
        AccessRequest(
            login=principal.login,
            roles=principal.roles,
            permission=permission,
            client_ip=client_ip(request),
            at=now,
            purpose=purpose,
            sensitivity=sensitivity,
            is_contractor=principal.is_contractor,
            is_privileged_account=principal.is_privileged,
        ),
        load_policy(now.date()),
        is_holiday=is_holiday,
    )


def identify(request: Request, yakuba: Yakuba, session: Session) -> Principal:
    """Who is calling: a bearer token, or a full (password + TOTP) session cookie.

    A token is only read, so it is looked up in ``session`` (the request's own transaction): one
    connection and one transaction a request. A session cookie is touched (idle timeout) and that must
    be kept even when the request fails, so it has a transaction of its own.
    """
    now = yakuba.clock()
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = resolve_token(session, header[7:].strip(), now=now)
        return principal_for(user, via="token", on=now.date())
    with yakuba.uow() as uow:
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            raise AuthenticationError("認証情報なし", public="ログインしてください")
        row, user = resolve_session(uow.session, token, now=now)
        if row.stage != "full":
            raise AuthenticationError(
                "二要素認証の登録が完了していないセッション", public="確認コードの登録を完了してください"
            )
        if request.method not in SAFE_METHODS and request.headers.get(CSRF_HEADER) != row.csrf_token:
            uow.commit()
            raise Forbidden("CSRF トークンが一致しません。画面を再読み込みしてください")
        principal = principal_for(user, via="session", csrf_token=row.csrf_token, on=now.date())
        uow.commit()
    return principal


class Unauthenticated(YakubaError):
    http_status = 401


def require(permission: str, *, sensitivity: str = "3B", categories: tuple[str, ...] = ()) -> Any:
    """Declare the permission a route needs; returns the FastAPI dependency giving a RequestContext.

    ``categories`` are the data categories (security.classification) the route returns: the response
    carries their most restrictive label.
    """

    def dependency(request: Request, response: Response) -> Iterator[RequestContext]:
        yakuba: Yakuba = request.app.state.yakuba
        purpose = declared_purpose(request)
        # The policy judges the data by its label (params security.classification), when the route names it.
        touched = (
            most_restrictive([label_for(c, yakuba.clock().date()) for c in categories]).confidentiality
            if categories
            else sensitivity
        )

        def refused(principal: Principal | None, category: str, reason: str) -> None:
            write_separately(
                yakuba,
                _record(
                    request,
                    principal,
                    category=category,
                    permission=permission,
                    purpose=purpose,
                    result="denied",
                    reason=reason,
                ),
            )

        with yakuba.uow() as uow:
            try:
                principal = identify(request, yakuba, uow.session)
            except AuthenticationError as exc:
                uow.rollback()  # the refusal is written by another connection (SQLite: one writer)
                refused(None, "auth", exc.reason)
                raise Unauthenticated(exc.public) from None
            except Forbidden as exc:
                uow.rollback()
                refused(None, "auth", str(exc))
                raise
            if not principal.can(permission):
                decision = Decision(
                    False, f"拒否: ロール {','.join(principal.roles)} に権限 {permission} がありません", None
                )
            else:
                decision = _policy_decision(principal, permission, request, purpose, touched)
            if not decision.allowed:
                uow.rollback()
                refused(principal, "access", decision.reason)
                raise Forbidden(decision.reason)
            uow.actor = Actor(
                login=principal.login,
                terminal=client_ip(request),
                roles=principal.roles,
                is_contractor=principal.is_contractor,
            )
            ctx = RequestContext(principal, uow, request, permission, purpose, decision, response)
            if categories:
                ctx.label(*categories)
            try:
                yield ctx
            except Exception as exc:
                uow.rollback()
                result = "failure" if isinstance(exc, YakubaError) else "error"
                ctx_record = _record(
                    request,
                    principal,
                    category="access",
                    permission=permission,
                    purpose=purpose,
                    result=result,
                    reason=str(exc)[:400],
                    draft=ctx.audit,
                )
                if not ctx.audited:
                    write_separately(yakuba, ctx_record)
                raise
            if not ctx.audited:
                ctx.commit()

    setattr(dependency, PERMISSION_ATTR, permission)
    return Depends(dependency)


def route_permission(route: APIRoute) -> str | None:
    """The permission a route declares through ``require`` (searched through nested dependencies)."""
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        declared = getattr(dep.call, PERMISSION_ATTR, None) if dep.call is not None else None
        if declared:
            return str(declared)
        stack.extend(dep.dependencies)
    return None


def iter_api_routes(routes: Iterable[BaseRoute], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    """Every API route with its full path, also inside included routers.

    Newer FastAPI keeps an included router as one ``_IncludedRouter`` entry instead of copying its
    routes, so ``app.routes`` alone would miss them; this walks both shapes.
    """
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
            continue
        included = getattr(route, "original_router", None)
        if included is not None:
            context = getattr(route, "include_context", None)
            yield from iter_api_routes(included.routes, prefix + str(getattr(context, "prefix", "") or ""))


class UndeclaredRoute(RuntimeError):
    """A route that neither declares a permission nor is on the open list: the app refuses to start."""


def check_route_declarations(routes: Iterable[BaseRoute]) -> list[tuple[str, str, str | None]]:
    """(path, method, permission) of every route; raises when one is undeclared or wrongly open."""
    found: list[tuple[str, str, str | None]] = []
    for path, route in iter_api_routes(routes):
        permission = route_permission(route)
        for method in sorted(route.methods or ()):
            is_open = (path, method) in OPEN_ROUTES
            if permission is None and not is_open:
                raise UndeclaredRoute(f"{method} {path} は権限を宣言していません（require(...) が必要です）")
            if permission is not None and is_open:
                raise UndeclaredRoute(f"{method} {path} は公開ルートですが権限 {permission} を宣言しています")
            found.append((path, method, permission))
    return found


__all__ = [
    "OPEN_ROUTES",
    "RequestContext",
    "check_route_declarations",
    "identify",
    "iter_api_routes",
    "require",
    "route_permission",
]
