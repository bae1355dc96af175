"""住民記録 through the HTTP API as a counter screen uses it: 異動, 409 on a stale 世帯, 支援措置 hiding."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select

from yakuba.audit.models import AuditEntry
from yakuba.bootstrap import Yakuba
from yakuba.juki.service import Registered

from .conftest import StaffAccount

ADDRESS = {"choaza_code": "0010001", "choaza_name": "松町", "banchi": "8番地", "postal_code": "1000001"}


def test_two_clerks_move_the_same_setai_the_second_gets_409(
    client: TestClient,
    household: Registered,
    make_staff: Callable[..., StaffAccount],
    token_for: Callable[[str], dict[str, str]],
) -> None:
    make_staff("clerk-a", ["juki_clerk"])
    make_staff("clerk-b", ["juki_clerk"])
    a, b = token_for("clerk-a"), token_for("clerk-b")
    seen_a = client.get(f"/api/v1/juki/setai/{household.setai_no}", headers=a).json()
    seen_b = client.get(f"/api/v1/juki/setai/{household.setai_no}", headers=b).json()
    assert seen_a["version"] == seen_b["version"]
    assert [m["zokugara"] for m in seen_a["members"]] == ["世帯主", "妻"]

    def move(headers: dict[str, str], version: int, banchi: str) -> object:
        body = {
            "atena_nos": household.atena_nos,
            "address": {**ADDRESS, "banchi": banchi},
            "dates": {
                "ido_date": "2026-11-20",
                "todoke_date": "2026-11-25",
                "expected_setai_versions": {household.setai_no: version},
            },
        }
        return client.post("/api/v1/juki/ido/tenkyo", json=body, headers=headers)

    first = move(a, seen_a["version"], "8番地")
    second = move(b, seen_b["version"], "9番地")
    assert first.status_code == 201, first.text  # type: ignore[attr-defined]
    assert second.status_code == 409  # type: ignore[attr-defined]
    assert "画面を読み込み直して" in second.json()["detail"]  # type: ignore[attr-defined]
    now = client.get(f"/api/v1/juki/residents/{household.atena_nos[0]}", headers=a).json()
    assert now["banchi"] == "8番地"


def test_one_member_left_becomes_head_without_an_alert(
    client: TestClient,
    household: Registered,
    make_staff: Callable[..., StaffAccount],
    token_for: Callable[[str], dict[str, str]],
) -> None:
    # j490: the 世帯主 leaves a 世帯 of 2+ members ⇒ alert (世帯主変更).
    make_staff("clerk", ["juki_clerk"])
    auth = token_for("clerk")
    body = {
        "atena_no": household.atena_nos[0],
        "reason": "shibo",
        "dates": {"ido_date": "2026-11-20", "todoke_date": "2026-11-21"},
    }
    first = client.post("/api/v1/juki/ido/shojo", json=body, headers=auth)
    assert first.status_code == 201  # one member left ⇒ she becomes 世帯主 by 職権, no alert
    assert first.json()["documents"]["setainushi_henko_tsuchisho"][0]["new_head"] == household.atena_nos[1]


def test_bad_ido_input_names_the_field_and_changes_nothing(
    yakuba: Yakuba,
    client: TestClient,
    household: Registered,
    make_staff: Callable[..., StaffAccount],
    token_for: Callable[[str], dict[str, str]],
) -> None:
    make_staff("clerk", ["juki_clerk"])
    auth = token_for("clerk")
    body = {
        "kind": "kokunai",
        "persons": [
            {
                "shi": "佐藤",
                "mei": "一郎",
                "birth_date": "1990-02-30",
                "sex": "1",
                "zokugara": "世帯主",
                "honseki": "不明",
            }
        ],
        "address": ADDRESS,
        "prev_address": "横浜市",
        "dates": {"ido_date": "2026-11-20", "todoke_date": "2026-11-21"},
    }
    bad_date = client.post("/api/v1/juki/ido/tennyu", json=body, headers=auth)
    assert bad_date.status_code == 422
    assert bad_date.json()["errors"][0]["field"].startswith("persons")
    body["persons"][0]["birth_date"] = "1990-02-01"  # type: ignore[index]
    body["persons"].append(  # type: ignore[attr-defined]
        {
            "shi": "佐藤",
            "mei": "二郎",
            "birth_date": "2020-02-01",
            "sex": "1",
            "zokugara": "孫",
            "honseki": "不明",
        }
    )
    bad_zokugara = client.post("/api/v1/juki/ido/tennyu", json=body, headers=auth)
    assert bad_zokugara.status_code == 422
    assert "「子の子」" in bad_zokugara.json()["errors"][0]["message"]
    assert client.get("/api/v1/juki/residents", params={"kana": "サトウ"}, headers=auth).json()["count"] == 0


def test_a_shien_subject_is_invisible_to_an_ordinary_clerk_and_the_attempt_is_audited(
    yakuba: Yakuba,
    client: TestClient,
    household: Registered,
    make_staff: Callable[..., StaffAccount],
    token_for: Callable[[str], dict[str, str]],
) -> None:
    # 住民基本台帳事務処理要領 第5-10 / j410–j450: a 支援措置 subject is not found without the permission.
    make_staff("manager", ["juki_manager"])
    make_staff("clerk", ["juki_clerk"])
    manager = token_for("manager") | {"X-Yakuba-Purpose": "%E6%94%AF%E6%8F%B4%E6%8E%AA%E7%BD%AE"}
    clerk = token_for("clerk")
    wife = household.atena_nos[1]
    applied = client.post(
        "/api/v1/juki/shien",
        json={
            "atena_no": wife,
            "kind": "hon",
            "start": "R8.11.1",
            "applicant": {"shi": "青木", "mei": "花子"},
            "target_processes": ["certificate"],
        },
        headers=manager,
    )
    assert applied.status_code in (200, 201), applied.text
    found = client.get("/api/v1/juki/residents", params={"kana": "アオキ"}, headers=clerk).json()
    assert [i["atena_no"] for i in found["items"]] == [household.atena_nos[0]]
    direct = client.get(f"/api/v1/juki/residents/{wife}", headers=clerk)
    missing = client.get("/api/v1/juki/residents/0000000000", headers=clerk)
    assert direct.status_code == missing.status_code == 404
    assert direct.json()["detail"] == f"宛名番号 {wife} の住民は見つかりません"
    seen = client.get(f"/api/v1/juki/residents/{wife}", headers=manager)
    assert seen.status_code == 200
    with yakuba.uow() as uow:
        flagged = uow.session.execute(
            select(AuditEntry.login, AuditEntry.result)
            .where(AuditEntry.shien_subject.is_(True))
            .order_by(AuditEntry.seq)
        ).all()
    assert ("clerk", "failure") in flagged and ("clerk", "success") in flagged


def test_population_statistics_over_http(
    client: TestClient,
    household: Registered,
    make_staff: Callable[..., StaffAccount],
    token_for: Callable[[str], dict[str, str]],
) -> None:
    make_staff("clerk", ["juki_clerk"])
    stats = client.get(
        "/api/v1/juki/statistics/population", params={"on": "R8.11.25"}, headers=token_for("clerk")
    )
    assert stats.status_code == 200, stats.text
    assert stats.json()["totals"] == {"総数": 2, "日本人": 2, "男": 1, "女": 1}
    assert dt.date.fromisoformat(stats.json()["on"]) == dt.date(2026, 11, 25)


def test_an_alert_answers_428_and_goes_through_once_confirmed(
    client: TestClient, make_staff: Callable[..., StaffAccount], token_for: Callable[[str], dict[str, str]]
) -> None:
    # j490: the 世帯主 dies leaving two or more members ⇒ an alert; confirmed ⇒ recorded.
    make_staff("clerk", ["juki_clerk"])
    auth = token_for("clerk")
    members = [
        {
            "shi": "青木",
            "mei": n,
            "birth_date": b,
            "sex": s,
            "zokugara": z,
            "honseki": "東京都千代田区千代田1番",
        }
        for n, b, s, z in (
            ("太郎", "1980-05-01", "1", "世帯主"),
            ("花子", "1982-07-07", "2", "妻"),
            ("一郎", "2010-01-01", "1", "子"),
        )
    ]
    created = client.post(
        "/api/v1/juki/ido/tennyu",
        json={
            "kind": "kokunai",
            "persons": members,
            "address": ADDRESS,
            "prev_address": "横浜市",
            "dates": {"ido_date": "2026-11-01", "todoke_date": "2026-11-02"},
        },
        headers=auth,
    ).json()
    body = {
        "atena_no": created["atena_nos"][0],
        "reason": "shibo",
        "dates": {"ido_date": "2026-11-20", "todoke_date": "2026-11-21"},
    }
    first = client.post("/api/v1/juki/ido/shojo", json=body, headers=auth)
    assert first.status_code == 428
    assert "世帯主が不在になります（残る世帯員 2 人）" in first.json()["alerts"][0]
    body["dates"]["confirm_alerts"] = True  # type: ignore[index]
    second = client.post("/api/v1/juki/ido/shojo", json=body, headers=auth)
    assert second.status_code == 201, second.text


def test_yokushi_on_inquiry_warns_or_blocks_a_read(
    yakuba: Yakuba,
    client: TestClient,
    household: Registered,
    make_staff: Callable[..., StaffAccount],
    token_for: Callable[[str], dict[str, str]],
) -> None:
    # j410: 抑止 per process (照会) with level alert (confirm and continue) or error (blocks).
    from yakuba.juki import yokushi

    make_staff("clerk", ["juki_clerk"])
    auth = token_for("clerk")
    head = household.atena_nos[0]
    with yakuba.uow() as uow:
        yokushi.set_yokushi(
            uow,
            target_kind="person",
            target_no=head,
            process="inquiry",
            level="alert",
            reason="本人から照会の申出",
            start_date=dt.date(2026, 11, 1),
        )
        uow.commit()
    warned = client.get(f"/api/v1/juki/residents/{head}", headers=auth)
    assert warned.status_code == 200
    assert "本人から照会の申出" in warned.json()["yokushi_warnings"][0]
    with yakuba.uow() as uow:
        yokushi.set_yokushi(
            uow,
            target_kind="setai",
            target_no=household.setai_no,
            process="inquiry",
            level="error",
            reason="調査中",
            start_date=dt.date(2026, 11, 1),
        )
        uow.commit()
    blocked = client.get(f"/api/v1/juki/residents/{head}", headers=auth)
    assert blocked.status_code == 423
