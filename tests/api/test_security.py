"""The security spine, proven through the HTTP API (issue 3).

Sources: 地方公共団体における情報セキュリティポリシーに関するガイドライン（令和6年10月版）第3編
§6.2 アクセス制御・認証 (多要素認証、最小権限、ログの取得と点検、委託事業者の管理) as digested in
shared/specs/cross-cutting.md §1.4; 住民記録システム標準仕様書 第1.0版 j1370–j1390 (アクセスログ、
二要素認証、ロックアウト、項目ごとの権限).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from yakuba import params
from yakuba.app import create_app
from yakuba.audit.models import AuditEntry
from yakuba.audit.service import verify
from yakuba.bootstrap import Yakuba
from yakuba.juki.service import Registered
from yakuba.security.auth import (
    OPEN_ROUTES,
    UndeclaredRoute,
    check_route_declarations,
    iter_api_routes,
    route_permission,
)

from .conftest import OFFICE_HOURS_NOW, StaffAccount, login_with_totp

MYNUMBER = "983205673214"

# The permission matrix, written out so that a change to roles is a reviewed change to this table
# (docs/security.md shows the same table).
EXPECTED_MATRIX: dict[str, set[str]] = {
    "juki.read": {"juki_clerk", "juki_manager", "inkan_clerk", "senkyo_staff", "zeimu_clerk", "contractor"},
    "juki.idou.write": {"juki_clerk", "juki_manager"},
    "juki.idou.confirm": {"juki_manager"},
    "juki.certificate.issue": {"juki_clerk", "juki_manager"},
    "juki.mynumber.read": {"juki_manager"},
    "juki.shien.read": {"juki_manager"},
    "juki.shien.manage": {"juki_manager"},
    "inkan.read": {"inkan_clerk"},
    "inkan.write": {"inkan_clerk"},
    # 戸籍の附票 is kept by the 住民記録 section (住民基本台帳法第16条〜第20条).
    "fuhyo.read": {"juki_clerk", "juki_manager"},
    "fuhyo.write": {"juki_clerk", "juki_manager"},
    "senkyo.read": {"senkyo_staff"},
    "senkyo.write": {"senkyo_staff"},
    "zeimu.read": {"zeimu_clerk"},
    "zeimu.write": {"zeimu_clerk"},
    "audit.read": {"auditor", "sysadmin"},
    "admin.users": {"sysadmin"},
    "api.docs": {
        "juki_clerk",
        "juki_manager",
        "inkan_clerk",
        "senkyo_staff",
        "zeimu_clerk",
        "auditor",
        "sysadmin",
        "contractor",
    },
    "self.account": {
        "juki_clerk",
        "juki_manager",
        "inkan_clerk",
        "senkyo_staff",
        "zeimu_clerk",
        "auditor",
        "sysadmin",
        "contractor",
    },
}
ALL_ROLES = sorted(params.get("security.roles", on=OFFICE_HOURS_NOW.date()))


def _routes(yakuba: Yakuba) -> list[tuple[str, str, str | None]]:
    app = create_app(container=yakuba)
    return [
        (path, method, route_permission(route))
        for path, route in iter_api_routes(app.routes)
        for method in sorted(route.methods)
    ]


def test_the_route_walk_sees_every_business_router(yakuba: Yakuba) -> None:
    paths = {path for path, _method, _permission in _routes(yakuba)}
    for expected in (
        "/api/v1/juki/residents/{atena_no}",
        "/api/v1/audit/reviews/{kind}",
        "/api/v1/admin/users/{login}/disable",
        "/api/v1/auth/login",
        "/login",
        "/",
    ):
        assert expected in paths
    assert len(paths) >= 17


def test_an_undeclared_route_stops_the_app_from_starting(yakuba: Yakuba) -> None:
    from fastapi import APIRouter

    app = create_app(container=yakuba)
    rogue = APIRouter()

    @rogue.get("/api/v1/rogue")
    def rogue_route() -> dict[str, str]:
        return {}

    app.include_router(rogue)
    with pytest.raises(UndeclaredRoute, match="GET /api/v1/rogue は権限を宣言していません"):
        check_route_declarations(app.routes)


def _concrete(path: str) -> str:
    return (
        path.replace("{atena_no}", "0000000000")
        .replace("{login}", "nobody")
        .replace("{kind}", "failed-logins")
    )


def test_every_route_declares_a_known_permission_or_is_explicitly_open(yakuba: Yakuba) -> None:
    catalog = params.get("security.permissions", on=OFFICE_HOURS_NOW.date())
    routes = _routes(yakuba)
    assert routes, "no routes found"
    for path, method, permission in routes:
        if (path, method) in OPEN_ROUTES:
            assert permission is None, f"{method} {path} is open but declares {permission}"
        else:
            assert permission is not None, f"{method} {path} declares no permission"
            assert permission in catalog, f"{method} {path}: unknown permission {permission}"


def test_no_route_is_reachable_without_authentication(client: TestClient, yakuba: Yakuba) -> None:
    for path, method, permission in _routes(yakuba):
        if permission is None:
            continue
        response = client.request(method, _concrete(path))
        assert response.status_code == 401, f"{method} {path}: {response.status_code}"
        assert response.json()["detail"] == "ログインしてください"


def test_roles_in_the_parameter_file_match_the_reviewed_matrix() -> None:
    roles = params.get("security.roles", on=OFFICE_HOURS_NOW.date())
    actual: dict[str, set[str]] = {p: set() for p in EXPECTED_MATRIX}
    for role, spec in roles.items():
        for permission in spec["permissions"]:
            actual.setdefault(permission, set()).add(role)
    assert actual == EXPECTED_MATRIX


def test_routes_times_roles_match_the_permission_matrix(
    yakuba: Yakuba,
    clock: Callable[[dt.datetime], None],
    make_staff: Callable[..., StaffAccount],
    token_for: Callable[[str], dict[str, str]],
) -> None:
    app = create_app(container=yakuba)
    headers = {}
    for role in ALL_ROLES:
        login = f"user-{role.replace('_', '-')}"
        extra = {"contractor": True, "until": dt.date(2027, 3, 31)} if role == "contractor" else {}
        make_staff(login, [role], **extra)
        headers[role] = token_for(login) | {"X-Yakuba-Purpose": "matrix-test"}
    with TestClient(app, base_url="https://testserver", client=("127.0.0.1", 50000)) as c:
        for path, method, permission in _routes(yakuba):
            if permission is None:
                continue
            for role in ALL_ROLES:
                response = c.request(method, _concrete(path), headers=headers[role], json={})
                allowed = role in EXPECTED_MATRIX[permission]
                if allowed:
                    assert response.status_code not in (401, 403), f"{role} {method} {path}: {response.text}"
                else:
                    assert response.status_code == 403, f"{role} {method} {path}: {response.status_code}"


def test_a_clerk_never_receives_a_mynumber(
    client: TestClient,
    household: Registered,
    make_staff: Callable[..., StaffAccount],
    token_for: Callable[[str], dict[str, str]],
) -> None:
    make_staff("clerk", ["juki_clerk"])
    auth = token_for("clerk") | {"X-Yakuba-Purpose": "%E8%BB%A2%E5%87%BA%E5%B1%8A%E3%81%AE%E5%87%A6%E7%90%86"}
    head = household.atena_nos[0]
    bodies = [
        client.get(f"/api/v1/juki/residents/{head}", params={"reveal_mynumber": "true"}, headers=auth),
        client.get(f"/api/v1/juki/residents/{head}", headers=auth),
        client.get("/api/v1/juki/residents", params={"kana": "あおき"}, headers=auth),
        client.get(f"/api/v1/juki/residents/{head}/history", headers=auth),
    ]
    for response in bodies:
        assert response.status_code == 200, response.text
        assert MYNUMBER not in response.text
    assert bodies[0].json()["mynumber"] == "＊＊＊＊"


def test_a_manager_sees_a_mynumber_only_with_a_declared_purpose(
    yakuba: Yakuba,
    client: TestClient,
    household: Registered,
    make_staff: Callable[..., StaffAccount],
    token_for: Callable[[str], dict[str, str]],
) -> None:
    make_staff("manager", ["juki_manager"])
    auth = token_for("manager")
    head = household.atena_nos[0]
    without = client.get(f"/api/v1/juki/residents/{head}", params={"reveal_mynumber": "true"}, headers=auth)
    assert without.json()["mynumber"] == "＊＊＊＊"
    with_purpose = client.get(
        f"/api/v1/juki/residents/{head}",
        params={"reveal_mynumber": "true", "purpose": "個人番号カード交付"},
        headers=auth,
    )
    assert with_purpose.json()["mynumber"] == MYNUMBER
    with yakuba.uow() as uow:
        entries = (
            uow.session.execute(
                select(AuditEntry).where(AuditEntry.login == "manager").order_by(AuditEntry.seq)
            )
            .scalars()
            .all()
        )
        revealed = [(e.purpose, e.subjects) for e in entries if e.mynumber_revealed]
    assert revealed == [("個人番号カード交付", [head])]


def test_every_read_of_a_resident_is_in_the_audit_log(
    yakuba: Yakuba,
    client: TestClient,
    household: Registered,
    make_staff: Callable[..., StaffAccount],
    token_for: Callable[[str], dict[str, str]],
) -> None:
    make_staff("clerk", ["juki_clerk"])
    auth = token_for("clerk")
    head, wife = household.atena_nos
    client.get(f"/api/v1/juki/residents/{wife}", headers=auth)
    client.get("/api/v1/juki/residents", params={"kana": "ｱｵｷ"}, headers=auth)
    client.get("/api/v1/juki/residents/9999999999", headers=auth)
    with yakuba.uow() as uow:
        entries = (
            uow.session.execute(
                select(AuditEntry).where(AuditEntry.category == "access").order_by(AuditEntry.seq)
            )
            .scalars()
            .all()
        )
        seen = [
            (e.operation, e.subjects, e.result, e.login, e.record_count, e.permission, e.roles)
            for e in entries
        ]
    read_one, search = "GET /api/v1/juki/residents/{atena_no}", "GET /api/v1/juki/residents"
    assert seen == [
        (read_one, [wife], "success", "clerk", 1, "juki.read", "juki_clerk"),
        (search, [head, wife], "success", "clerk", 2, "juki.read", "juki_clerk"),
        (read_one, [], "failure", "clerk", 0, "juki.read", "juki_clerk"),
    ]


def test_tampering_with_an_audit_row_is_detected_and_named(
    yakuba: Yakuba,
    client: TestClient,
    household: Registered,
    make_staff: Callable[..., StaffAccount],
    token_for: Callable[[str], dict[str, str]],
) -> None:
    make_staff("clerk", ["juki_clerk"])
    auth = token_for("clerk")
    for _ in range(3):
        client.get(f"/api/v1/juki/residents/{household.atena_nos[0]}", headers=auth)
    with yakuba.uow() as uow:
        assert verify(uow.session).ok
        seqs = uow.session.execute(select(AuditEntry.seq).order_by(AuditEntry.seq)).scalars().all()
    middle = seqs[1]
    with yakuba.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET login = 'someone-else' WHERE seq = :s"), {"s": middle})
    with yakuba.uow() as uow:
        result = verify(uow.session)
    assert not result.ok
    assert result.first_broken_seq == middle
    assert str(middle) in result.reason


def test_deleting_an_audit_row_is_detected(
    yakuba: Yakuba,
    client: TestClient,
    household: Registered,
    make_staff: Callable[..., StaffAccount],
    token_for: Callable[[str], dict[str, str]],
) -> None:
    make_staff("clerk", ["juki_clerk"])
    auth = token_for("clerk")
    for _ in range(3):
        client.get(f"/api/v1/juki/residents/{household.atena_nos[0]}", headers=auth)
    with yakuba.uow() as uow:
        seqs = uow.session.execute(select(AuditEntry.seq).order_by(AuditEntry.seq)).scalars().all()
    with yakuba.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = :s"), {"s": seqs[1]})
    with yakuba.uow() as uow:
        result = verify(uow.session)
    assert not result.ok
    assert result.first_broken_seq in (seqs[1], seqs[2])


def test_full_login_with_totp_enrolment_then_csrf_protected_session(
    client: TestClient, make_staff: Callable[..., StaffAccount]
) -> None:
    admin = make_staff("admin", ["sysadmin"])
    csrf = login_with_totp(client, admin)
    me = client.get("/api/v1/auth/me")
    assert me.status_code == 200
    assert me.json()["roles"] == ["sysadmin"]
    body = {
        "login": "newclerk",
        "display_name": "新人 職員",
        "roles": ["juki_clerk"],
        "password": "another-long-pass-7",
    }
    without_csrf = client.post("/api/v1/admin/users", json=body)
    assert without_csrf.status_code == 403
    created = client.post("/api/v1/admin/users", json=body, headers={"X-CSRF-Token": csrf})
    assert created.status_code == 201, created.text


def test_every_later_login_needs_the_second_factor(
    client: TestClient, make_staff: Callable[..., StaffAccount]
) -> None:
    clerk = make_staff("clerk", ["juki_clerk"])
    login_with_totp(client, clerk)
    client.post("/api/v1/auth/logout")
    no_code = client.post("/api/v1/auth/login", json={"login": "clerk", "password": clerk.password})
    assert no_code.status_code == 401
    replay = client.post(
        "/api/v1/auth/login",
        json={"login": "clerk", "password": clerk.password, "code": clerk.code(OFFICE_HOURS_NOW)},
    )
    assert replay.status_code == 401  # the code used at enrolment cannot be used again (RFC 6238 §5.2)
    fresh = client.post(
        "/api/v1/auth/login",
        json={
            "login": "clerk",
            "password": clerk.password,
            "code": clerk.code(OFFICE_HOURS_NOW, step_offset=1),
        },
    )
    assert fresh.status_code == 200, fresh.text
    assert fresh.json()["stage"] == "full"


def test_repeated_wrong_passwords_lock_the_account(
    client: TestClient, make_staff: Callable[..., StaffAccount]
) -> None:
    clerk = make_staff("clerk", ["juki_clerk"])
    limit = params.get("security.auth.max_failed_logins", on=OFFICE_HOURS_NOW.date())
    for _ in range(limit):
        assert (
            client.post("/api/v1/auth/login", json={"login": "clerk", "password": "wrong"}).status_code == 401
        )
    locked = client.post("/api/v1/auth/login", json={"login": "clerk", "password": clerk.password})
    assert locked.status_code == 401
    assert "ロック" in locked.json()["detail"]


def test_an_expired_contractor_account_cannot_log_in(
    client: TestClient, make_staff: Callable[..., StaffAccount], clock: Callable[[dt.datetime], None]
) -> None:
    vendor = make_staff("vendor", ["contractor"], contractor=True, until=dt.date(2026, 11, 30))
    clock(dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC))
    refused = client.post("/api/v1/auth/login", json={"login": "vendor", "password": vendor.password})
    assert refused.status_code == 401
    assert refused.json()["detail"] == "このアカウントの有効期限が切れています"


def test_contractor_work_is_flagged_in_the_audit_log(
    yakuba: Yakuba,
    client: TestClient,
    household: Registered,
    make_staff: Callable[..., StaffAccount],
    token_for: Callable[[str], dict[str, str]],
) -> None:
    make_staff("vendor", ["contractor"], contractor=True, until=dt.date(2027, 3, 31))
    client.get(f"/api/v1/juki/residents/{household.atena_nos[0]}", headers=token_for("vendor"))
    with yakuba.uow() as uow:
        entry = uow.session.execute(select(AuditEntry).where(AuditEntry.login == "vendor")).scalar_one()
        assert entry.contractor is True


def test_a_session_ends_after_the_idle_time(
    client: TestClient, make_staff: Callable[..., StaffAccount], clock: Callable[[dt.datetime], None]
) -> None:
    clerk = make_staff("clerk", ["juki_clerk"])
    login_with_totp(client, clerk)
    idle = params.get("security.auth.session_idle_minutes", on=OFFICE_HOURS_NOW.date())
    clock(OFFICE_HOURS_NOW + dt.timedelta(minutes=idle + 1))
    response = client.get("/api/v1/auth/me")
    assert response.status_code == 401
    assert response.json()["detail"] == "一定時間操作がなかったためログアウトしました"


def test_clerk_access_at_night_is_refused_with_the_reason(
    client: TestClient,
    household: Registered,
    make_staff: Callable[..., StaffAccount],
    token_for: Callable[[str], dict[str, str]],
    clock: Callable[[dt.datetime], None],
) -> None:
    make_staff("clerk", ["juki_clerk"])
    clock(dt.datetime(2026, 11, 25, 13, 10, tzinfo=dt.UTC))  # 22:10 in Japan
    auth = token_for("clerk")
    refused = client.get(f"/api/v1/juki/residents/{household.atena_nos[0]}", headers=auth)
    assert refused.status_code == 403
    assert "22:10" in refused.json()["detail"]


def test_security_headers_and_cookie_flags(
    client: TestClient, make_staff: Callable[..., StaffAccount]
) -> None:
    clerk = make_staff("clerk", ["juki_clerk"])
    response = client.post("/api/v1/auth/login", json={"login": "clerk", "password": clerk.password})
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=strict" in cookie
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_login_attempts_are_rate_limited(client: TestClient) -> None:
    limit = params.get("security.auth.login_rate_per_minute", on=OFFICE_HOURS_NOW.date())
    codes = [
        client.post("/api/v1/auth/login", json={"login": "x", "password": "y"}).status_code
        for _ in range(limit + 1)
    ]
    assert codes[:limit] == [401] * limit
    assert codes[limit] == 429


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"birth_date": "R7.2.30", "kana": "ア"}, "生年月日: 令和7年2月30日は存在しない日付です"),
        ({"limit": "0", "kana": "ア"}, "件数: 1 以上で入力してください"),
    ],
)
def test_bad_input_names_the_field_in_japanese(
    client: TestClient,
    make_staff: Callable[..., StaffAccount],
    token_for: Callable[[str], dict[str, str]],
    query: dict[str, str],
    message: str,
) -> None:
    make_staff("clerk", ["juki_clerk"])
    response = client.get("/api/v1/juki/residents", params=query, headers=token_for("clerk"))
    assert response.status_code == 422
    assert message in [e["message"] for e in response.json()["errors"]]


def test_personal_data_responses_carry_their_classification_label(
    client: TestClient,
    household: Registered,
    make_staff: Callable[..., StaffAccount],
    token_for: Callable[[str], dict[str, str]],
) -> None:
    # ガイドライン §1.3: 情報資産の分類（機密性・完全性・可用性）と取扱制限の明示.
    import urllib.parse

    make_staff("manager", ["juki_manager"])
    auth = token_for("manager")
    head = household.atena_nos[0]
    plain = client.get(f"/api/v1/juki/residents/{head}", headers=auth)
    assert plain.headers["X-Yakuba-Classification"] == "C=3B; I=2; A=2"
    revealed = client.get(
        f"/api/v1/juki/residents/{head}",
        params={"reveal_mynumber": "true", "purpose": "番号確認"},
        headers=auth,
    )
    assert revealed.headers["X-Yakuba-Classification"].startswith("C=3A")
    marking = urllib.parse.unquote(revealed.headers["X-Yakuba-Marking"])
    assert marking.startswith("機密性3A") and "【暗号化必須】" in marking


def test_a_disabled_account_cannot_log_in_and_its_sessions_end(
    yakuba: Yakuba, client: TestClient, make_staff: Callable[..., StaffAccount]
) -> None:
    from yakuba.security import accounts

    clerk = make_staff("clerk", ["juki_clerk"])
    login_with_totp(client, clerk)
    assert client.get("/api/v1/auth/me").status_code == 200
    with yakuba.uow() as uow:
        accounts.set_disabled(uow, "clerk", True)
        uow.commit()
    assert client.get("/api/v1/auth/me").status_code == 401
    refused = client.post("/api/v1/auth/login", json={"login": "clerk", "password": clerk.password})
    assert refused.status_code == 401


@pytest.mark.parametrize(
    ("login", "roles", "extra", "message"),
    [
        # ガイドライン: 特権IDは業務用IDと分ける.
        (
            "mixed",
            ["sysadmin", "juki_clerk"],
            {},
            "ロール: 特権アカウント（システム管理者）は業務のロールと分けて作成してください",
        ),
        # 委託事業者: 承認者は在籍する職員.
        (
            "vendor2",
            ["contractor"],
            {"contractor": True, "until": dt.date(2027, 1, 1), "approver": "nobody"},
            "承認者: 在籍する職員のログインIDを指定してください",
        ),
        (
            "vendor3",
            ["juki_clerk"],
            {"contractor": True, "until": dt.date(2027, 1, 1), "approver": "approver"},
            "ロール: 委託事業者アカウントに付与できるのは contractor（委託事業者）だけです",
        ),
        (
            "clerk2",
            ["contractor"],
            {},
            "ロール: contractor ロールは委託事業者アカウント（--contractor）にだけ付与できます",
        ),
        ("ab", ["juki_clerk"], {}, "ログインID: 英小文字・数字・._- の3〜64文字で指定してください"),
    ],
)
def test_account_rules_are_enforced_with_japanese_messages(
    make_staff: Callable[..., StaffAccount], login: str, roles: list[str], extra: dict[str, Any], message: str
) -> None:
    from yakuba.errors import InputError

    make_staff("approver", ["juki_manager"])
    with pytest.raises(InputError) as caught:
        make_staff(login, roles, **extra)
    assert str(caught.value) == message


def test_a_clerk_changes_their_own_password(
    client: TestClient, make_staff: Callable[..., StaffAccount], token_for: Callable[[str], dict[str, str]]
) -> None:
    clerk = make_staff("clerk", ["juki_clerk"])
    auth = token_for("clerk")
    bad = client.post("/api/v1/auth/password", json={"current": "wrong", "new": "x"}, headers=auth)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["message"] == "現在のパスワード: 正しくありません"
    ok = client.post(
        "/api/v1/auth/password",
        json={"current": clerk.password, "new": "a-brand-new-passphrase-9"},
        headers=auth,
    )
    assert ok.status_code == 200, ok.text
    old = client.post("/api/v1/auth/login", json={"login": "clerk", "password": clerk.password})
    assert old.status_code == 401


def test_auditor_reads_entries_verifies_the_chain_and_runs_the_canned_reviews(
    client: TestClient,
    household: Registered,
    make_staff: Callable[..., StaffAccount],
    token_for: Callable[[str], dict[str, str]],
    clock: Callable[[dt.datetime], None],
) -> None:
    # 住民記録システム標準仕様書 j1370: 夜間・休日のアクセス、ログイン失敗、大量検索の定型分析.
    make_staff("clerk", ["juki_clerk"])
    make_staff("auditor", ["auditor"])
    clerk = token_for("clerk")
    client.get(f"/api/v1/juki/residents/{household.atena_nos[0]}", headers=clerk)
    for _ in range(3):
        client.post("/api/v1/auth/login", json={"login": "clerk", "password": "wrong"})
    auditor = token_for("auditor")
    found = client.get("/api/v1/audit/entries", params={"subject": household.atena_nos[0]}, headers=auditor)
    assert found.status_code == 200
    assert [e["login"] for e in found.json()["items"]] == ["clerk"]
    verified = client.get("/api/v1/audit/verify", headers=auditor).json()
    assert verified["ok"] is True and verified["checked"] >= 5
    failed = client.get("/api/v1/audit/reviews/failed-logins", headers=auditor).json()
    assert [(i["login"], i["failures"]) for i in failed["items"]] == [("clerk", 3)]
    unknown = client.get("/api/v1/audit/reviews/everything", headers=auditor)
    assert unknown.status_code == 422


def test_admin_disables_and_unlocks_accounts_over_the_api(
    client: TestClient, make_staff: Callable[..., StaffAccount], token_for: Callable[[str], dict[str, str]]
) -> None:
    clerk = make_staff("clerk", ["juki_clerk"])
    make_staff("admin", ["sysadmin"])
    admin = token_for("admin")
    for _ in range(params.get("security.auth.max_failed_logins", on=OFFICE_HOURS_NOW.date())):
        client.post("/api/v1/auth/login", json={"login": "clerk", "password": "wrong"})
    users = {u["login"]: u for u in client.get("/api/v1/admin/users", headers=admin).json()["items"]}
    assert users["clerk"]["locked_until"] is not None
    assert client.post("/api/v1/admin/users/clerk/unlock", headers=admin).json()["locked_until"] is None
    assert (
        client.post("/api/v1/auth/login", json={"login": "clerk", "password": clerk.password}).status_code
        == 200
    )
    assert client.post("/api/v1/admin/users/clerk/disable", headers=admin).json()["disabled"] is True
