"""The screens without a browser: every page renders, the forms' JSON answers, the hidden stay hidden.

These run everywhere in seconds; ``test_browser.py`` drives the same screens in Chromium.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from yakuba.juki.service import Registered
from yakuba.ui.detect import read_query

from ..api.conftest import StaffAccount, login_with_totp

HTML = {"Accept": "text/html"}


def _login(
    client: TestClient, make_staff: Callable[..., StaffAccount], login: str, roles: list[str]
) -> dict[str, str]:
    staff = make_staff(login, roles)
    return {"X-CSRF-Token": login_with_totp(client, staff)}


def _post(client: TestClient, url: str, csrf: dict[str, str], data: dict[str, Any]) -> Any:
    return client.post(url, data=data, headers={**csrf, "Accept": "application/json"})


def test_the_search_box_tells_kana_kanji_dates_and_numbers_apart() -> None:
    assert read_query("アオキ").kana == "アオキ"
    assert read_query("ｱｵｷ ﾀﾛｳ").kana == "アオキ タロウ"
    assert read_query("青木").name == "青木"
    assert str(read_query("S55.5.1").birth_date) == "1980-05-01"
    assert str(read_query("令和 7年 4月 1日").birth_date) == "2025-04-01"
    assert str(read_query("19800501").birth_date) == "1980-05-01"
    assert read_query("0000000019").atena_no == "0000000019"
    both = read_query("アオキ S55.5.1")
    assert both.kana == "アオキ" and both.birth_date is not None and both.kinds == ["カナ氏名", "生年月日"]


def test_an_impossible_date_in_the_box_gets_the_apis_message(
    client: TestClient, make_staff: Callable[..., StaffAccount]
) -> None:
    _login(client, make_staff, "clerk", ["juki_clerk"])
    page = client.get("/ui/search", params={"q": "R7.2.30"}, headers=HTML)
    assert page.status_code == 422
    assert "生年月日: 令和7年2月30日は存在しない日付です" in page.text


def test_search_person_and_history_pages(
    client: TestClient, make_staff: Callable[..., StaffAccount], household: Registered
) -> None:
    _login(client, make_staff, "clerk", ["juki_clerk"])
    found = client.get("/ui/search", params={"q": "アオキ"}, headers=HTML)
    assert found.status_code == 200, found.text
    assert "青木　太郎" in found.text and "青木　花子" in found.text and "2件" in found.text
    taro = household.atena_nos[0]
    person = client.get(f"/ui/persons/{taro}", headers=HTML)
    assert person.status_code == 200, person.text
    text = person.text
    assert "昭和55年5月1日" in text and "松町1番地" in text and "国内転入" in text
    assert text.index("世帯主") < text.index("妻")  # 世帯 in the standard order
    assert "983205673214" not in text  # 個人番号 never shown here
    past = client.get(f"/ui/persons/{taro}", params={"as_of": "R8.3.1"}, headers=HTML)
    assert "記録（本登録）はありません" in past.text


def test_live_date_check_uses_the_api_message(
    client: TestClient, make_staff: Callable[..., StaffAccount]
) -> None:
    _login(client, make_staff, "clerk", ["juki_clerk"])
    bad = client.get("/ui/validate/date", params={"value": "R7.2.30", "field": "異動日"}).json()
    assert bad == {"ok": False, "message": "異動日: 令和7年2月30日は存在しない日付です"}
    good = client.get("/ui/validate/date", params={"value": "2025-04-01"}).json()
    assert good["ok"] and good["message"] == "令和7年4月1日"
    foreign = client.get("/ui/validate/date", params={"value": "R7.4.1", "calendar": "seireki"}).json()
    assert foreign["message"] == "2025年4月1日"
    assert client.get("/ui/validate/zokugara", params={"value": "嫁"}).json()["ok"] is False


def test_tenkyo_check_then_kari_then_hon(
    client: TestClient, make_staff: Callable[..., StaffAccount], household: Registered
) -> None:
    csrf = _login(client, make_staff, "clerk", ["juki_clerk"])
    taro, hanako = household.atena_nos
    form = client.get("/ui/ido/new/tenkyo", params={"atena_no": taro}, headers=HTML)
    assert form.status_code == 200, form.text
    data = {
        "step": "check",
        "ido_date": "R8.11.20",
        "todoke_date": "R8.11.25",
        "atena_nos": [taro, hanako],
        "choaza_name": "梅町",
        "banchi": "2番地",
    }
    wrong = _post(client, "/ui/ido/new/tenkyo", csrf, {**data, "ido_date": "R8.2.30"})
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["message"] == "異動日: 令和8年2月30日は存在しない日付です"
    check = _post(client, "/ui/ido/new/tenkyo", csrf, data)
    assert check.status_code == 200, check.text
    assert "令和8年11月20日" in check.json()["confirm"] and "仮登録する" in check.json()["confirm"]
    assert "梅町" not in client.get(f"/ui/persons/{taro}", headers=HTML).text  # the dry run left nothing
    done = _post(client, "/ui/ido/new/tenkyo", csrf, {**data, "step": "commit"})
    assert done.status_code == 200, done.text
    result_url = done.json()["redirect"]
    result = client.get(result_url, headers=HTML)
    assert "仮登録" in result.text and "本登録する" not in result.text  # not by the one who entered it
    client.post("/logout")
    csrf = _login(client, make_staff, "manager", ["juki_manager"])
    ido_id = result_url.split("?")[0].rsplit("/", 1)[1]
    assert f"異動 {ido_id}" in client.get("/ui/ido", headers=HTML).text
    assert "本登録する" in client.get(result_url, headers=HTML).text
    hon = _post(client, f"/ui/ido/{ido_id}/confirm", csrf, {})
    assert hon.status_code == 200, hon.text
    person = client.get(hon.json()["redirect"], headers=HTML)
    assert "梅町2番地" in person.text and "本登録しました" in person.text and "転居" in person.text


def test_every_entry_screen_renders(
    client: TestClient, make_staff: Callable[..., StaffAccount], household: Registered
) -> None:
    _login(client, make_staff, "clerk", ["juki_clerk"])
    taro = household.atena_nos[0]
    for kind in ("tenkyo", "tenshutsu", "setai-henko", "shussei", "shibo", "shusei"):
        page = client.get(f"/ui/ido/new/{kind}", params={"atena_no": taro}, headers=HTML)
        assert page.status_code == 200, (kind, page.text)
    assert client.get("/ui/ido/new/tennyu", headers=HTML).status_code == 200
    assert (
        client.get("/ui/ido/new/tennyu", params={"setai_no": household.setai_no}, headers=HTML).status_code
        == 200
    )


def test_a_post_without_the_csrf_header_is_refused(
    client: TestClient, make_staff: Callable[..., StaffAccount], household: Registered
) -> None:
    _login(client, make_staff, "clerk", ["juki_clerk"])
    refused = client.post("/ui/ido/new/tenkyo", data={"step": "check"})
    assert refused.status_code == 403


def test_a_shien_subject_is_not_found_for_a_clerk(
    client: TestClient, make_staff: Callable[..., StaffAccount], household: Registered, shien_subject: str
) -> None:
    _login(client, make_staff, "clerk", ["juki_clerk"])
    found = client.get("/ui/search", params={"q": "アオキ"}, headers=HTML)
    assert "青木　太郎" in found.text and "青木　花子" not in found.text
    hidden = client.get(f"/ui/persons/{shien_subject}", headers=HTML)
    unknown = client.get("/ui/persons/9999999999", headers=HTML)
    assert hidden.status_code == unknown.status_code == 404
    assert f"宛名番号 {shien_subject} の住民は見つかりません" in hidden.text
    assert hidden.text.replace(shien_subject, "X") == unknown.text.replace("9999999999", "X")
    taro = client.get(f"/ui/persons/{household.atena_nos[0]}", headers=HTML).text
    assert "花子" not in taro  # not listed in the 世帯 either


def test_shien_and_audit_screens_by_role(
    client: TestClient, make_staff: Callable[..., StaffAccount], household: Registered, shien_subject: str
) -> None:
    csrf = _login(client, make_staff, "manager", ["juki_manager"])
    assert client.get("/ui/shien", headers=HTML).status_code == 403  # no declared purpose
    page = client.get("/ui/shien", params={"purpose": "支援措置の申出受付"}, headers=HTML)
    assert page.status_code == 200, page.text
    assert shien_subject in page.text
    purpose = {**csrf, "X-Yakuba-Purpose": "%E7%94%B3%E5%87%BA"}
    setting = {"target_kind": "person", "target_no": household.atena_nos[0], "process": "certificate",
               "level": "alert", "reason": "本人確認を厳格に"}  # fmt: skip
    done = _post(client, "/ui/shien/yokushi", purpose, setting)
    assert done.status_code == 200, done.text
    flagged = client.get("/ui/search", params={"q": "アオキ"}, headers=HTML)
    assert "抑止 証明書発行（警告）" in flagged.text
    assert client.get("/ui/audit", headers=HTML).status_code == 403
    client.post("/logout")
    _login(client, make_staff, "auditor", ["auditor"])
    for url in (
        "/ui/audit",
        "/ui/audit/verify",
        "/ui/audit/reviews/shien",
        "/ui/audit/reviews/failed-logins",
    ):
        assert client.get(url, headers=HTML).status_code == 200, url
    assert "支援措置" in client.get("/ui/audit/reviews/shien", params={"start": "R8.1.1"}, headers=HTML).text


def test_certificate_preview_then_issue(
    client: TestClient, make_staff: Callable[..., StaffAccount], household: Registered, shomei_table: None
) -> None:
    csrf = _login(client, make_staff, "clerk", ["juki_clerk"])
    taro, hanako = household.atena_nos
    form = client.get("/ui/certificates", params={"atena_no": taro}, headers=HTML)
    assert form.status_code == 200, form.text
    data = {"kind": "juminhyo", "requester_type": "honnin", "setai_no": household.setai_no,
            "member_nos": [taro, hanako], "atena_nos": [taro, hanako], "layout": "setai"}  # fmt: skip
    third = _post(client, "/ui/certificates", csrf, {**data, "step": "check", "requester_type": "daisansha"})
    assert third.status_code == 422 and "請求事由" in third.text
    check = _post(client, "/ui/certificates", csrf, {**data, "step": "check"})
    assert check.status_code == 200, check.text
    assert "青木　太郎、青木　花子（世帯全員）" in check.json()["confirm"]
    assert check.json()["pdf"]
    issued = _post(client, "/ui/certificates", csrf, {**data, "step": "commit"})
    assert issued.status_code == 200, issued.text
    assert issued.headers["content-type"] == "application/pdf" and issued.content.startswith(b"%PDF")
    assert issued.headers["X-Issuance-Id"]


def test_every_kind_of_entry_reaches_its_confirmation(
    client: TestClient, make_staff: Callable[..., StaffAccount], household: Registered
) -> None:
    csrf = _login(client, make_staff, "clerk", ["juki_clerk"])
    taro, hanako = household.atena_nos
    dates = {"step": "check", "ido_date": "R8.11.20", "todoke_date": "R8.11.24"}
    person = {
        "p0-shi": "青木",
        "p0-mei": "一郎",
        "p0-shi_kana": "アオキ",
        "p0-mei_kana": "イチロウ",
        "p0-sex": "1",
        "p0-honseki": "東京都千代田区千代田1番",
    }
    forms: dict[str, dict[str, Any]] = {
        "tennyu": {**dates, "kind": "kokunai", "prev_address": "大阪府大阪市北区", "choaza_name": "竹町",
                   "banchi": "5番地", **person, "p0-birth_date": "H2.3.4", "p0-zokugara": "世帯主"},
        "shussei": {**dates, "ido_date": "R8.11.10", "join_setai_no": household.setai_no, **person,
                    "p0-zokugara": "子"},
        "tenshutsu": {**dates, "ido_date": "R8.12.1", "atena_nos": [hanako], "destination": "札幌市"},
        "setai-henko": {**dates, "kind": "bunri", "setai_no": household.setai_no, "atena_nos": [hanako],
                        "new_head": hanako, "member_nos": [taro, hanako]},
        "shibo": {**dates, "reason": "shibo", "atena_no": taro},
        "shusei": {"step": "check", "ido_date": "R8.11.24", "kind": "shokken", "atena_no": taro,
                   "item-0": "birth_date", "value-0": "S55.5.2"},
    }  # fmt: skip
    for kind, data in forms.items():
        answer = _post(client, f"/ui/ido/new/{kind}", csrf, data)
        assert answer.status_code == 200, (kind, answer.text)
        assert "仮登録する" in answer.json()["confirm"], kind
    shusei = _post(client, "/ui/ido/new/shusei", csrf, forms["shusei"]).json()["confirm"]
    assert "昭和55年5月2日" in shusei
