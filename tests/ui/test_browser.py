"""The 窓口 in a real browser (Debian's Chromium, Playwright): sign-in with TOTP, search, 転入 → 転居 → 転出
from the keyboard, the 支援措置 subject a clerk cannot see, the manager's and auditor's screens — with
axe-core run on every page visited.

Set ``YAKUBA_UI_SCREENSHOTS=docs/ui`` to refresh the screenshots of the main screens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from yakuba.juki.service import Registered

from ..api.conftest import OFFICE_HOURS_NOW, StaffAccount
from .pages import Counter

StaffMaker = Callable[..., StaffAccount]


@pytest.fixture
def counters(browser: Any, live_server: str, axe_script: Path) -> Iterator[Callable[[], Counter]]:
    opened: list[Counter] = []

    def open_counter() -> Counter:
        counter = Counter(browser, live_server, axe_script)
        opened.append(counter)
        return counter

    yield open_counter
    for counter in opened:
        counter.close()


def test_sign_in_with_totp_enrol_then_log_in(counters: Callable[[], Counter], make_staff: StaffMaker) -> None:
    clerk = make_staff("clerk", ["juki_clerk"])
    c = counters()
    c.goto("/")  # not signed in: the browser is sent to the login screen
    assert c.page.url.endswith("/login")
    c.shot("login")
    c.enrol(clerk)
    assert "住民記録担当" in c.page.inner_text("main")
    c.tab_to("ログアウト")
    c.press_to("/login")
    c.page.keyboard.type(clerk.login)
    c.page.keyboard.press("Tab")
    c.page.keyboard.type(clerk.password)
    c.page.keyboard.press("Tab")
    c.page.keyboard.type(clerk.code(OFFICE_HOURS_NOW))
    c.enter()
    c.page.wait_for_selector("h1:has-text('メニュー')")
    c.check_accessibility()
    assert "住民検索" in c.page.inner_text("nav")
    assert "監査ログ" not in c.page.inner_text("nav")  # the menu follows the role
    c.shot("menu")


def _confirm_and_register(c: Counter) -> str:
    """Enter on the form → confirmation (checked by axe) → Enter on 仮登録する → the 異動's page."""
    c.enter()
    c.page.wait_for_selector("#confirm:not([hidden]) h2")
    assert c.focused()["text"] == "仮登録する"
    c.check_accessibility()
    c.press_to("/ui/ido/")
    assert "仮登録しました" in c.page.inner_text("main")
    return c.page.url.split("?")[0].rsplit("/", 1)[1]


def _approve(m: Counter, ido_id: str) -> None:
    """The manager: 仮登録の一覧 → Enter on the first 異動 → Enter on 本登録する."""
    m.goto("/ui/ido")
    assert m.focused()["text"] == f"異動 {ido_id}"
    m.press_to(f"/ui/ido/{ido_id}")
    assert m.focused()["text"] == "本登録する"
    m.press_to("/ui/persons/")
    assert "本登録しました" in m.page.inner_text("main")


def test_tennyu_tenkyo_tenshutsu_from_the_keyboard(
    counters: Callable[[], Counter], make_staff: StaffMaker
) -> None:
    c, m = counters(), counters()
    c.enrol(make_staff("clerk", ["juki_clerk"]))
    m.enrol(make_staff("manager", ["juki_manager"]))

    # 転入: a new 世帯 of one; a wrong 和暦 is caught as the clerk leaves the field.
    c.goto("/ui/ido/new/tennyu")
    c.type_into("異動日（転入した日）", "R8.2.30")
    c.page.keyboard.press("Tab")
    hint = c.page.locator("#f-ido_date-hint")
    hint.filter(has_text="令和8年2月30日は存在しない日付です").wait_for()
    c.shot("tennyu-live-check")
    c.page.keyboard.press("Shift+Tab")
    c.fill(
        {
            "異動日（転入した日）": "R8.11.1",
            "届出日": "R8.11.5",
            "転入前住所": "大阪府大阪市北区梅田1丁目1番",
            "町字": "松町",
            "番地": "3番地",
            "氏": "山田",
            "名": "一郎",
            "氏のフリガナ": "ヤマダ",
            "名のフリガナ": "イチロウ",
            "生年月日": "S60.1.2",
            "本籍": "東京都千代田区千代田1番",
        }
    )
    c.page.locator("#f-ido_date-hint").filter(has_text="令和8年11月1日").wait_for()
    c.shot("tennyu-form")
    ido_id = _confirm_and_register(c)
    c.shot("ido-kari")
    _approve(m, ido_id)
    assert "松町3番地" in m.page.inner_text("main")

    # 転居: search → person → 転居 → 仮登録 (clerk), 本登録 (manager), without the mouse.
    c.goto("/")
    assert c.focused()["id"] == "menu-q"
    c.page.keyboard.type("ヤマダ")
    c.press_to("/ui/search")
    assert c.focused()["text"] == "山田　一郎"
    c.press_to("/ui/persons/")
    c.tab_to("転居")
    c.press_to("/ui/ido/new/tenkyo")
    assert c.focused()["label"] == "異動日（転居した日）"
    c.fill({"異動日（転居した日）": "R8.11.20", "届出日": "R8.11.25", "町字": "梅町", "番地": "2番地"})
    c.enter()
    c.page.wait_for_selector("#confirm:not([hidden]) h2")
    c.shot("tenkyo-confirm")
    c.check_accessibility()
    c.press_to("/ui/ido/")
    ido_id = c.page.url.split("?")[0].rsplit("/", 1)[1]
    _approve(m, ido_id)
    main = m.page.inner_text("main")
    assert "梅町2番地" in main and "転居" in main
    m.shot("person")

    # 転出: the 転出予定日 may be after today; the person stays a resident (転出予定) until then.
    c.goto(m.page.url.split("?")[0].removeprefix(c.base))
    c.tab_to("転出")
    c.press_to("/ui/ido/new/tenshutsu")
    c.fill({"転出予定日": "R8.12.10", "届出日": "R8.11.25", "転出先住所": "大阪府大阪市北区"})
    ido_id = _confirm_and_register(c)
    _approve(m, ido_id)
    main = m.page.inner_text("main")
    assert "転出予定" in main and "令和8年12月10日" in main
    m.shot("person-history", "section[aria-labelledby=h-history]")
    assert c.checked + m.checked >= 20


def test_a_shien_subject_is_hidden_from_an_ordinary_clerk(
    counters: Callable[[], Counter], make_staff: StaffMaker, household: Registered, shien_subject: str
) -> None:
    c = counters()
    c.enrol(make_staff("clerk", ["juki_clerk"]))
    c.page.keyboard.type("アオキ")
    c.press_to("/ui/search")
    results = c.page.inner_text("main")
    assert "青木　太郎" in results and "青木　花子" not in results and "1件" in results
    c.goto(f"/ui/persons/{shien_subject}")
    assert f"宛名番号 {shien_subject} の住民は見つかりません" in c.page.inner_text("main")
    c.goto(f"/ui/persons/{household.atena_nos[0]}")
    assert "花子" not in c.page.inner_text("main")


def test_manager_and_auditor_screens(
    counters: Callable[[], Counter], make_staff: StaffMaker, household: Registered, shien_subject: str
) -> None:
    m = counters()
    m.enrol(make_staff("manager", ["juki_manager"]))
    m.tab_to("抑止・支援措置の管理へ")
    m.press_to("/ui/shien")
    assert shien_subject in m.page.inner_text("main")
    m.page.keyboard.type(household.atena_nos[0])
    m.press_to("/ui/shien")
    m.fill({"理由": "本人確認を厳格に行う"})
    m.page.select_option("#f-level", "alert")
    m.tab_to("抑止を設定する")
    m.enter()
    m.page.wait_for_selector("text=を設定しました")
    m.check_accessibility()
    m.shot("shien")
    m.goto("/ui/search?q=%E3%82%A2%E3%82%AA%E3%82%AD")  # アオキ
    assert "抑止 証明書発行（警告）" in m.page.inner_text("main")
    m.shot("search")

    a = counters()
    a.enrol(make_staff("auditor", ["auditor"]), step=0)
    a.goto("/ui/audit")
    assert "監査ログ" in a.page.inner_text("h1")
    a.shot("audit")
    a.goto("/ui/audit/reviews/shien?start=R8.1.1")
    assert "支援措置" in a.page.inner_text("main")
    a.shot("audit-review")
    a.goto("/ui/audit/verify")
    assert "改ざん・削除は見つかりませんでした" in a.page.inner_text("main")


def test_issue_a_juminhyo_no_utsushi_and_download_it(
    counters: Callable[[], Counter], make_staff: StaffMaker, household: Registered, shomei_table: None
) -> None:
    c = counters()
    c.enrol(make_staff("clerk", ["juki_clerk"]))
    c.page.keyboard.type("アオキ タロウ")
    c.press_to("/ui/search")
    c.press_to("/ui/persons/")
    c.tab_to("証明書を発行する")
    c.press_to("/ui/certificates")
    assert c.focused()["label"] == "帳票の種類"
    c.tab_to("請求者の氏名・名称", by="label")
    c.enter()  # Enter in a text field: to the 見本 and the confirmation
    c.page.wait_for_selector("#confirm:not([hidden]) h2")
    assert "青木　太郎、青木　花子（世帯全員）" in c.page.inner_text("#confirm")
    assert c.page.get_attribute("#preview-link", "href", timeout=5000).startswith("blob:")
    assert c.focused()["text"] == "発行する"
    c.check_accessibility()
    c.shot("certificate-confirm")
    with c.page.expect_download() as download:
        c.enter()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and download.value.suggested_filename.startswith("juminhyo-")
    c.page.wait_for_selector("#issued:not([hidden])")
    assert "発行しました（発行番号" in c.page.inner_text("#issued")
    c.check_accessibility()


def test_a_zeimu_clerk_simulates_a_bill_at_the_counter(
    counters: Callable[[], Counter], make_staff: StaffMaker
) -> None:
    """The 令和8年度 family of tests/zeimu/kojin/scenarios/r8.yaml typed in by Tab: 年税額 172,500円."""
    z = counters()
    z.enrol(make_staff("zeimu-tanto", ["zeimu_clerk"]))
    assert "税額試算" in z.page.inner_text("nav")
    z.goto("/ui/zeimu/kojin/simulate")
    z.fill({"年齢": "42", "給与収入": "5000000", "社会保険料": "720000"})
    z.page.check("#f-spouse")
    z.fill({"配偶者の合計所得": "0", "配偶者の年齢": "40", "扶養親族1の年齢": "10", "扶養親族2の年齢": "17"})
    z.enter()  # Enter in a text field submits the form
    z.page.wait_for_selector("#explanation")
    result = z.page.inner_text("#result")
    assert "年税額 172,500円" in result and "第1期" in result and "43,500円" in result
    assert z.focused()["id"] == "explanation"  # a screen reader is taken to the answer
    z.check_accessibility()
    z.shot("zeimu-simulate")
