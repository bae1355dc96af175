"""The ``yakuba`` command as an administrator uses it: accounts, tokens, audit verification, demo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from yakuba.audit.models import AuditEntry
from yakuba.bootstrap import Yakuba
from yakuba.cli import _register_admin, app
from yakuba.config import Settings
from yakuba.security.models import ApiToken, StaffUser

_register_admin()
runner = CliRunner()


@pytest.fixture
def env(settings: Settings, yakuba: Yakuba) -> dict[str, str]:
    return {"YAKUBA_DATABASE_URL": settings.resolved_database_url, "YAKUBA_DATA_DIR": str(settings.data_dir)}


def _invoke(env: dict[str, str], *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env=env, input=stdin)
    return result.exit_code, result.output


def test_user_add_disable_and_token_issue_are_audited(env: dict[str, str], yakuba: Yakuba) -> None:
    code, out = _invoke(
        env,
        "user",
        "add",
        "sato",
        "--role",
        "juki_clerk",
        "--name",
        "佐藤 一郎",
        "--password-stdin",
        stdin="a-long-enough-password-1\n",
    )
    assert code == 0, out
    code, out = _invoke(env, "token", "issue", "sato", "--ttl", "30m")
    assert code == 0, out
    token = out.strip().splitlines()[0]
    assert token.startswith("ykb_")
    code, out = _invoke(env, "user", "disable", "sato")
    assert code == 0, out
    with yakuba.uow() as uow:
        user = uow.session.get(StaffUser, "sato")
        assert user is not None and user.disabled and user.roles == ["juki_clerk"]
        issued = uow.session.execute(select(ApiToken)).scalar_one()
        assert token not in (issued.token_hash, str(issued.detail))  # only the digest is stored
        ops = uow.session.execute(select(AuditEntry.operation).order_by(AuditEntry.seq)).scalars().all()
    assert ops == ["user add", "token issue", "user disable"]


def test_user_add_refuses_bad_input_in_japanese(env: dict[str, str]) -> None:
    code, out = _invoke(env, "user", "add", "x", "--role", "nope", "--password-stdin", stdin="short\n")
    assert code == 2
    assert "ログインID" in out
    code, out = _invoke(
        env,
        "user",
        "add",
        "vendor1",
        "--role",
        "contractor",
        "--contractor",
        "--password-stdin",
        stdin="a-long-enough-password-1\n",
    )
    assert code == 2
    assert "有効期限: 委託事業者アカウントには有効期限が必要です" in out


def test_token_ttl_is_bounded(env: dict[str, str]) -> None:
    _invoke(
        env,
        "user",
        "add",
        "sato",
        "--role",
        "juki_clerk",
        "--password-stdin",
        stdin="a-long-enough-password-1\n",
    )
    code, out = _invoke(env, "token", "issue", "sato", "--ttl", "48h")
    assert code == 2
    assert "有効期間" in out


def test_audit_verify_names_the_tampered_entry(env: dict[str, str], yakuba: Yakuba) -> None:
    for login in ("a-user", "b-user", "c-user"):
        _invoke(
            env,
            "user",
            "add",
            login,
            "--role",
            "auditor",
            "--password-stdin",
            stdin="a-long-enough-password-1\n",
        )
    code, out = _invoke(env, "audit", "verify")
    assert code == 0, out
    assert "3 件を検証" in out
    with yakuba.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET reason = 'nothing happened' WHERE seq = 2"))
    code, out = _invoke(env, "audit", "verify")
    assert code == 1
    assert "2 番" in out


def test_demo_builds_a_small_town_once(tmp_path: Path, env: dict[str, str]) -> None:
    db = tmp_path / "demo.db"
    demo_env = {"YAKUBA_DATA_DIR": str(tmp_path / "var")}
    code, out = _invoke(demo_env, "demo", "--residents", "60", "--seed", "7", "--db", str(db), "--no-serve")
    assert code == 0, out
    assert "60 人を登録しました" in out
    code, out = _invoke(demo_env, "demo", "--residents", "60", "--db", str(db), "--no-serve")
    assert code == 0, out
    assert "既存のデモデータベース" in out


def test_db_upgrade_is_idempotent(env: dict[str, str]) -> None:
    code, out = _invoke(env, "db", "upgrade")
    assert code == 0, out
    assert "データベースを更新しました" in out


def test_settings_reject_a_municipality_code_with_a_wrong_check_digit() -> None:
    with pytest.raises(
        ValueError, match="地方公共団体コード: '131017' は検査数字が正しい6桁のコードではありません"
    ):
        Settings(municipality_code="131017")


def test_key_rotation_keeps_old_values_readable_and_reencrypt_moves_them(
    env: dict[str, str], yakuba: Yakuba, settings: Settings
) -> None:
    from yakuba.juki.models import Rireki
    from yakuba.juki.service import MYNUMBER_CONTEXT, AddressInput, PersonInput, register_household
    from yakuba.security.crypto import FieldCipher, KeyRing

    with yakuba.uow() as uow:
        register_household(
            uow,
            jiyu_code="A01",
            persons=[
                PersonInput(
                    shi="青木",
                    mei="太郎",
                    birth_date=dt.date(1980, 5, 1),
                    sex="1",
                    zokugara="世帯主",
                    honseki="不明",
                    mynumber="983205673214",
                )
            ],
            address=AddressInput(choaza_name="松町", banchi="1番地"),
            ido_date=dt.date(2026, 4, 1),
            todoke_date=dt.date(2026, 4, 1),
            today=dt.date(2026, 4, 1),
            prev_address="大阪府大阪市北区梅田1丁目1番",
        )
        uow.commit()
    code, out = _invoke(env, "keys", "rotate")
    assert code == 0, out
    cipher = FieldCipher(KeyRing.load(settings.key_dir))
    with yakuba.uow() as uow:
        old_token = uow.session.execute(select(Rireki.mynumber_enc)).scalar_one()
    assert old_token is not None and cipher.needs_rotation(old_token)
    assert cipher.decrypt(old_token, context=MYNUMBER_CONTEXT) == "983205673214"
    code, out = _invoke(env, "keys", "reencrypt")
    assert code == 0, out
    with yakuba.uow() as uow:
        new_token = uow.session.execute(select(Rireki.mynumber_enc)).scalar_one()
    assert new_token is not None and not cipher.needs_rotation(new_token)
    assert cipher.decrypt(new_token, context=MYNUMBER_CONTEXT) == "983205673214"


def test_juki_daily_removes_people_whose_tenshutsu_date_has_come(env: dict[str, str], yakuba: Yakuba) -> None:
    from yakuba.juki import service
    from yakuba.juki.history import latest_row
    from yakuba.juki.schemas import AddressInput, IdoDates, PersonInput

    with yakuba.uow() as uow:
        done = service.tennyu(
            uow,
            service.Tennyu(
                kind="kokunai",
                persons=[
                    PersonInput(
                        shi="青木",
                        mei="太郎",
                        birth_date=dt.date(1980, 5, 1),
                        sex="1",
                        zokugara="世帯主",
                        honseki="不明",
                    )
                ],
                address=AddressInput(choaza_name="松町", banchi="1番地"),
                prev_address="横浜市",
                dates=IdoDates(ido_date=dt.date(2026, 4, 1), todoke_date=dt.date(2026, 4, 1)),
            ),
            today=dt.date(2026, 4, 1),
        )
        service.tenshutsu(
            uow,
            service.Tenshutsu(
                atena_nos=done.atena_nos,
                destination="横浜市",
                dates=IdoDates(ido_date=dt.date(2026, 12, 1), todoke_date=dt.date(2026, 11, 20)),
            ),
            today=dt.date(2026, 11, 20),
        )
        uow.commit()
    code, out = _invoke(env, "juki", "daily", "--on", "2026-12-01")
    assert code == 0, out
    assert "1 人を除票にしました" in out
    with yakuba.uow() as uow:
        row = latest_row(uow.session, done.atena_nos[0])
        assert row is not None and row.jumin_jotai == "11"
