"""Driving the screens like a clerk at the counter: keyboard only, axe-core on every page.

``Counter`` wraps one browser context (one signed-in staff member). Every navigation it makes is
followed by an axe-core run that fails the test on a serious or critical violation; fields are
reached with Tab (so the tab order is exercised) and filled by typing.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from ..api.conftest import OFFICE_HOURS_NOW, StaffAccount

SCREENSHOTS = os.environ.get("YAKUBA_UI_SCREENSHOTS")  # a folder (docs/ui) to refresh the screenshots
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e) return {};
  return {tag: e.tagName, type: e.type || "", label: e.getAttribute("data-label") || "",
          text: (e.innerText || e.value || "").trim().slice(0, 80), id: e.id || ""};
}"""


class Counter:
    """One member of staff at one browser window."""

    def __init__(self, browser: Any, base: str, axe: Path) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="ja-JP")
        self.page = self.context.new_page()
        self.base = base
        self.axe = axe
        self.checked = 0

    # -- navigation and checks -----------------------------------------------------------------

    def goto(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.check_accessibility()

    def check_accessibility(self) -> None:
        """axe-core on the page as it is now: no serious or critical violation allowed."""
        self.page.wait_for_load_state("domcontentloaded")
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            self.page.add_script_tag(path=str(self.axe))
        found = self.page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
        )
        bad = [v for v in found if v["impact"] in ("serious", "critical")]
        assert not bad, f"{self.page.url}: axe-core violations {bad}"
        self.checked += 1

    def press_to(self, path_part: str, key: str = "Enter") -> None:
        """Press a key that navigates (a link, a form, or the script's redirect), then check the new page."""
        with self.page.expect_navigation(url=f"**{path_part}**"):
            self.page.keyboard.press(key)
        self.check_accessibility()

    def shot(self, name: str, selector: str | None = None) -> None:
        """Save the viewport (or one element) as docs/ui/<name>.png when screenshots are asked for."""
        if not SCREENSHOTS:
            return
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        path = str(Path(SCREENSHOTS) / f"{name}.png")
        if selector:
            self.page.locator(selector).screenshot(path=path)
        else:
            self.page.screenshot(path=path)

    # -- keyboard ------------------------------------------------------------------------------

    def focused(self) -> dict[str, str]:
        return dict(self.page.evaluate(FOCUSED))

    def tab_to(self, wanted: str, *, by: str = "text", limit: int = 80) -> None:
        """Press Tab until the focused element's text (or data-label) is ``wanted``."""
        seen = []
        for _ in range(limit):
            now = self.focused()
            if now.get(by) == wanted or (by == "text" and now.get("text", "").startswith(wanted)):
                return
            seen.append(now.get("label") or now.get("text"))
            self.page.keyboard.press("Tab")
        raise AssertionError(f"Tab で「{wanted}」に届きません: {seen[-20:]}")

    def type_into(self, label: str, value: str) -> None:
        self.tab_to(label, by="label")
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(value)

    def fill(self, values: dict[str, str]) -> None:
        """Fill fields in reading order by Tab; each key is the field's label on the screen."""
        for label, value in values.items():
            self.type_into(label, value)

    def enter(self) -> None:
        self.page.keyboard.press("Enter")

    # -- sign-in -------------------------------------------------------------------------------

    def enrol(self, staff: StaffAccount, at: dt.datetime = OFFICE_HOURS_NOW, *, step: int = -1) -> None:
        """First login: password → QR code → the code from the authenticator app → the menu."""
        self.goto("/login")
        self.page.keyboard.type(staff.login)
        self.page.keyboard.press("Tab")
        self.page.keyboard.type(staff.password)
        self.enter()
        self.page.wait_for_selector("text=二要素認証の登録")
        self.check_accessibility()
        self.shot("enrol")
        self.page.keyboard.type(staff.code(at, step_offset=step))
        self.enter()
        self.page.wait_for_selector("h1:has-text('メニュー')")
        self.check_accessibility()

    def close(self) -> None:
        self.context.close()
