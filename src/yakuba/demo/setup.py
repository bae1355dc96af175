"""``yakuba demo``: build the synthetic town once, then reuse it.

The town is written through the 住民記録 command itself (one 記載 per household: 国内転入, or 出生
when its 世帯主 was born here), so the demo exercises the real rules and history. Richer history
(moves, deaths, 世帯変更 over ten years) comes with the scale generator.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import yaml
from sqlalchemy import func, select

from yakuba import params
from yakuba.bootstrap import Yakuba, bootstrap
from yakuba.config import Settings
from yakuba.demo.arguments import household_arguments
from yakuba.demo.generator import SyntheticHousehold, SyntheticTown, generate_town
from yakuba.juki.public import Jumin, register_household
from yakuba.kernel import clock
from yakuba.migrate import upgrade
from yakuba.security.accounts import add_user
from yakuba.security.models import StaffUser

DEMO_AS_OF = dt.date(2026, 4, 1)
# Above this many residents ``yakuba demo`` writes through the bulk path (yakuba.demo.bulk), which the
# tests prove gives the same records; below it, household by household through the command.
BULK_THRESHOLD = 20_000
DEMO_PASSWORD = "yakuba-demo-2026"  # synthetic town only; printed on purpose
DEMO_ACCOUNTS = (
    ("demo-clerk", "窓口 花子", ["juki_clerk"]),
    ("demo-manager", "責任 太郎", ["juki_manager"]),
    ("demo-auditor", "監査 次郎", ["auditor"]),
    ("demo-admin", "管理 三郎", ["sysadmin"]),
)


def load_household(
    yakuba: Yakuba, town: SyntheticTown, household: SyntheticHousehold, *, today: dt.date
) -> None:
    """One 世帯 as a single 転入 (or, when its 世帯主 was born here, 出生)."""
    names = {c.code: c.name for c in town.choaza}
    with yakuba.uow() as uow:
        register_household(uow, **household_arguments(names, household), today=today)
        uow.commit()


def ensure_demo_accounts(yakuba: Yakuba, data_dir: Path) -> Path:
    """Staff accounts for trying the demo; their TOTP secrets go to a git-ignored file for convenience."""
    lines = [
        f"# デモ用アカウント（架空の町専用）。パスワード: {DEMO_PASSWORD}",
        "# login\ttotp_secret\troles",
    ]
    with yakuba.uow() as uow:
        for login, name, roles in DEMO_ACCOUNTS:
            if uow.session.get(StaffUser, login) is not None:
                continue
            _user, secret = add_user(
                uow, login=login, display_name=name, roles=roles, password=DEMO_PASSWORD, created_by="demo"
            )
            lines.append(f"{login}\t{secret}\t{','.join(roles)}")
        uow.commit()
    path = data_dir / "demo-accounts.txt"
    if len(lines) > 2:
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        path.chmod(0o600)
    return path


def demo_policy_overlay(settings: Settings) -> Path:
    """The demo may be tried at any hour: an overlay of the access policy without the office-hours rule.

    Only ``yakuba demo`` uses it; a real installation keeps the shipped rule (or its own overlay).
    """
    on = clock.today()
    policy = dict(params.get("security.access_policy", on=on))
    policy["rules"] = [r for r in policy["rules"] if r.get("id") != "office-hours"]
    folder = settings.data_dir / "demo-params"
    folder.mkdir(parents=True, exist_ok=True)
    document = {
        "security": {
            "access_policy": {
                "description": "デモ用: 業務時間の制限を外した動的アクセス制御の方針（yakuba demo が生成）",
                "reference": "params/data/access_policy.yaml の出荷時の方針から office-hours を除いたもの",
                "values": [{"from": "2024-10-02", "value": policy}],
            }
        }
    }
    (folder / "access_policy.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return folder


def use_overlay(folder: Path) -> None:
    """Make this process read parameters with ``folder`` as the municipal overlay (before serving)."""
    os.environ["YAKUBA_PARAMS_OVERLAY"] = str(folder)
    params.default_parameters.cache_clear()


def resident_count(yakuba: Yakuba) -> int:
    with yakuba.uow() as uow:
        return int(uow.session.execute(select(func.count()).select_from(Jumin)).scalar_one())


def ensure_demo(
    settings: Settings,
    *,
    db_path: Path,
    residents: int,
    seed: int,
    echo: Callable[[str], None] = print,
    bulk: bool | None = None,
    progress: bool = True,
) -> Path:
    """Create the demo database if it does not exist yet; an existing one is left as it is.

    ``bulk`` None chooses the bulk path above ``BULK_THRESHOLD`` residents. ``progress`` draws a
    one-line progress report on stderr. Returns the parameter overlay folder the server should use.
    """
    from yakuba.demo.bulk import StderrProgress, load_town

    exists = db_path.exists()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url)
    yakuba = bootstrap(settings)
    try:
        if exists and resident_count(yakuba) > 0:
            echo(f"既存のデモデータベース {db_path} を使います（{resident_count(yakuba)} 人）。")
        else:
            echo(f"架空の町を生成しています（住民 約{residents}人, seed={seed}）…")
            town, households = generate_town(residents=residents, seed=seed, as_of=DEMO_AS_OF)
            today = max(DEMO_AS_OF, clock.today())
            report = StderrProgress(residents) if progress else None
            use_bulk = bulk if bulk is not None else residents > BULK_THRESHOLD
            if use_bulk:
                load_town(
                    yakuba, town, households, today=today, expected_residents=residents, progress=report
                )
            else:
                done = 0
                for household in households:
                    load_household(yakuba, town, household, today=today)
                    done += len(household.members)
                    if report is not None:
                        report(done)
                if report is not None:
                    report(done, final=True)
            echo(f"{town.name}: {resident_count(yakuba)} 人を登録しました。")
        accounts_file = ensure_demo_accounts(yakuba, settings.data_dir)
        overlay = demo_policy_overlay(settings)
        echo(
            f"デモ用アカウント: {', '.join(a[0] for a in DEMO_ACCOUNTS)}（パスワード {DEMO_PASSWORD}）。"
            f"初回ログインで表示される QR コードを認証アプリで読み取ってください"
            f"（秘密鍵の控え: {accounts_file}）。"
        )
    finally:
        yakuba.dispose()
    return overlay
