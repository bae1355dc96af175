"""Browser fixtures: yakuba under uvicorn on a free port, Debian's Chromium via Playwright, and axe-core.

Nothing is fetched from a CDN and Playwright never downloads a browser: Chromium is the system one
(``apt-get install chromium``) and axe-core comes from the npm registry into a cache folder. Outside
CI a missing piece skips the browser tests; with ``CI`` set it fails them, so they never skip silently
there.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from yakuba.app import create_app
from yakuba.bootstrap import Yakuba

CHROMIUM = os.environ.get("YAKUBA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_VERSION = "4.10.3"
AXE_DIR = Path(
    os.environ.get("YAKUBA_AXE_DIR", Path.home() / ".cache" / "yakuba" / f"axe-core-{AXE_VERSION}")
)


def unavailable(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where the browser tests must run."""
    if os.environ.get("CI"):
        pytest.fail(f"ブラウザのテストを実行できません（CI）: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Module-scoped: Playwright's sync API keeps an event loop in this thread while it runs, and code that
    calls asyncio.run (pyHanko's signer) must not find one afterwards."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright がインストールされていません（pip install -e '.[test]'）")
    if not Path(CHROMIUM).exists():
        unavailable(f"{CHROMIUM} がありません（apt-get install -y chromium）")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe.min.js from the npm registry, installed once into a cache folder."""
    script = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if script.exists():
        return script
    npm = shutil.which("npm")
    if npm is None:
        unavailable("npm がありません（apt-get install -y npm）— axe-core を取得できません")
    AXE_DIR.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [
            npm,
            "install",
            "--no-save",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(AXE_DIR),
            f"axe-core@{AXE_VERSION}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0 or not script.exists():
        unavailable(f"axe-core@{AXE_VERSION} を npm から取得できません: {done.stderr[-400:]}")
    return script


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live_server(yakuba: Yakuba, clock: Callable[[dt.datetime], None]) -> Iterator[str]:
    """yakuba on a temporary database, served by uvicorn in a thread; yields the base URL."""
    port = _free_port()
    config = uvicorn.Config(
        create_app(container=yakuba), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn が起動しません")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
