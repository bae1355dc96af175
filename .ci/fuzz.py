"""CI fuzz step (issue 24): schemathesis over every API operation, once per role that may call it.

What it does, on SQLite in a temporary folder:
1. builds a small demo town with ``yakuba demo --no-serve`` and adds one account per role the demo lacks;
2. issues a bearer token per role with ``yakuba token issue`` (the CLI, as an IT division would);
3. starts ``yakuba serve`` and runs ``schemathesis run`` per role over exactly the operations that
   role's permissions allow (``security.auth.check_route_declarations`` × ``security.roles``), with the
   checks not_a_server_error, status_code_conformance and response_schema_conformance.

Every process runs on the rehearsal clock (``YAKUBA_CLOCK_START``, kernel.clock.running_from) inside
office hours, so the access policy's 業務時間 rule lets business roles in whatever the real hour is.
Exit status is non-zero when any role's run finds a failure.

    .venv/bin/python .ci/fuzz.py                       # CI: fixed seed, a few examples per operation
    .venv/bin/python .ci/fuzz.py --examples 200 --seed 7 --role juki_manager   # a longer local run
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
START = dt.datetime(2026, 11, 25, 1, 0, tzinfo=dt.UTC)  # a Wednesday, 10:00 JST: inside office hours
PASSWORD = "Fuzz-Run-Password-2026"
CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance"
PURPOSE = "%E5%8B%95%E4%BD%9C%E7%A2%BA%E8%AA%8D"  # 動作確認 (rules that need a declared purpose)
# Role → login; the demo town creates the first four, this script the rest.
ACCOUNTS = {
    "juki_clerk": "demo-clerk",
    "juki_manager": "demo-manager",
    "auditor": "demo-auditor",
    "sysadmin": "demo-admin",
    "inkan_clerk": "fuzz-inkan",
    "senkyo_staff": "fuzz-senkyo",
    "zeimu_clerk": "fuzz-zeimu",
    "contractor": "fuzz-contractor",
}


class Run:
    def __init__(self, folder: Path, port: int) -> None:
        self.folder = folder
        self.port = port
        self.t0 = time.monotonic()

    def env(self) -> dict[str, str]:
        """Each process starts its clock where the run's rehearsal clock is now."""
        at = START + dt.timedelta(seconds=time.monotonic() - self.t0)
        return os.environ | {
            "YAKUBA_DATA_DIR": str(self.folder),
            "YAKUBA_DATABASE_URL": f"sqlite:///{self.folder / 'fuzz.db'}",
            "YAKUBA_PORT": str(self.port),
            "YAKUBA_CLOCK_START": at.isoformat(),
        }

    def yakuba(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            [str(BIN / "yakuba"), *args],
            env=self.env(),
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(f"yakuba {' '.join(args)} が失敗しました:\n{done.stdout}\n{done.stderr}")
        return done.stdout


def allowed_operations(role: str) -> list[str]:
    """``METHOD /path`` of every documented operation the role's permissions reach (today's roles)."""
    from yakuba.app import create_app
    from yakuba.config import Settings
    from yakuba.kernel import clock
    from yakuba.params import default_parameters
    from yakuba.security.auth import OPEN_ROUTES, check_route_declarations

    with tempfile.TemporaryDirectory() as scratch:
        app = create_app(Settings(data_dir=Path(scratch)))
        documented = {
            (path, method.upper()) for path, item in app.openapi()["paths"].items() for method in item
        }
        routes = check_route_declarations(app.routes)
        app.state.yakuba.dispose()
    roles = default_parameters().get("security.roles", on=clock.japan_date(START))
    permissions = set(roles[role]["permissions"])
    return sorted(
        f"{method} {path}"
        for path, method, permission in routes
        if (path, method) in documented
        and (permission in permissions or (permission is None and (path, method) in OPEN_ROUTES))
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(port: int, server: subprocess.Popen[bytes]) -> None:
    for _ in range(120):
        if server.poll() is not None:
            raise SystemExit("yakuba serve が起動しませんでした")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("yakuba serve が 60 秒以内に応答しませんでした")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=8, help="operation あたりの最大生成数")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--role", action="append", help="このロールだけ（複数可）")
    parser.add_argument("--residents", type=int, default=120)
    args = parser.parse_args()
    roles = args.role or list(ACCOUNTS)

    folder = Path(tempfile.mkdtemp(prefix="yakuba-fuzz-"))
    run = Run(folder, free_port())
    print(f"== demo town in {folder}", flush=True)
    run.yakuba("demo", "--residents", str(args.residents), "--no-serve", "--db", str(folder / "fuzz.db"))
    for role in ("inkan_clerk", "senkyo_staff", "zeimu_clerk"):
        run.yakuba("user", "add", ACCOUNTS[role], "--role", role, "--password-stdin", stdin=PASSWORD)
    until = (START + dt.timedelta(days=90)).date().isoformat()
    run.yakuba(
        "user", "add", ACCOUNTS["contractor"], "--role", "contractor", "--contractor", "--until", until,
        "--approver", "demo-manager", "--company", "検証株式会社", "--password-stdin", stdin=PASSWORD,
    )  # fmt: skip
    tokens = {role: run.yakuba("token", "issue", ACCOUNTS[role], "--ttl", "2h").split()[0] for role in roles}

    server = subprocess.Popen([str(BIN / "yakuba"), "serve"], env=run.env(), stdout=subprocess.DEVNULL)
    failed: list[str] = []
    try:
        wait_until_up(run.port, server)
        for role in roles:
            operations = allowed_operations(role)
            print(f"== {role}: {len(operations)} operations", flush=True)
            command = [
                str(BIN / "schemathesis"), "run", f"http://127.0.0.1:{run.port}/openapi.json",
                "-H", f"Authorization: Bearer {tokens[role]}", "-H", f"X-Yakuba-Purpose: {PURPOSE}",
                "--checks", CHECKS, "--max-examples", str(args.examples), "--seed", str(args.seed),
                "--no-color", "--suppress-health-check", "all",
            ]  # fmt: skip
            for operation in operations:
                command += ["--include-name", operation]
            if subprocess.run(command, check=False).returncode != 0:
                failed.append(role)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    if failed:
        print(f"失敗したロール: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
