"""``yakuba user``, ``yakuba token`` and ``yakuba audit``: administration from the server's shell.

Whoever can run these commands holds the server; every action is still written to the audit log
under ``cli:<OS user>`` so that the review sees it.
"""

from __future__ import annotations

import datetime as dt
import getpass
import sys

import typer

from yakuba.audit.service import AuditRecord, append
from yakuba.bootstrap import Yakuba, bootstrap
from yakuba.config import Settings
from yakuba.errors import YakubaError
from yakuba.security import accounts

user_app = typer.Typer(help="職員アカウント", no_args_is_help=True)
token_app = typer.Typer(help="API 用の短期トークン", no_args_is_help=True)
audit_app = typer.Typer(help="監査ログ", no_args_is_help=True)


def operator() -> str:
    return f"cli:{getpass.getuser()}"


def _container() -> Yakuba:
    return bootstrap(Settings())


def _admin_audit(
    yakuba: Yakuba, operation: str, reason: str, detail: dict[str, object], result: str = "success"
) -> None:
    with yakuba.uow() as uow:
        append(
            uow.session,
            AuditRecord(
                login=operator(),
                terminal="cli",
                category="admin",
                operation=operation,
                permission="admin.users",
                result=result,
                reason=reason,
                detail=detail,
            ),
        )
        uow.commit()


def _fail(exc: YakubaError) -> None:
    typer.echo(f"エラー: {exc}", err=True)
    raise typer.Exit(2)


@user_app.command("add")
def user_add(
    login: str,
    role: list[str] = typer.Option(..., "--role", help="ロール ID（複数可）"),
    name: str = typer.Option("", "--name", help="氏名（表示名）"),
    contractor: bool = typer.Option(False, "--contractor", help="委託事業者アカウント"),
    until: str | None = typer.Option(None, "--until", help="有効期限 YYYY-MM-DD（委託事業者）"),
    approver: str | None = typer.Option(None, "--approver", help="承認者のログインID（委託事業者）"),
    company: str | None = typer.Option(None, "--company", help="委託事業者名"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="パスワードを標準入力から読む"),
) -> None:
    """職員アカウントを作成します（初回ログイン時に QR コードで二要素認証を登録）。"""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("初期パスワード", hide_input=True, confirmation_prompt=True)
    yakuba = _container()
    try:
        until_date = dt.date.fromisoformat(until) if until else None
    except ValueError:
        _fail(YakubaError("有効期限: YYYY-MM-DD の形式で指定してください"))
        return
    try:
        with yakuba.uow() as uow:
            accounts.add_user(
                uow,
                login=login,
                display_name=name or login,
                roles=role,
                password=password,
                created_by=operator(),
                contractor=contractor,
                until=until_date,
                approver=approver,
                company=company,
            )
            uow.commit()
    except YakubaError as exc:
        _fail(exc)
    _admin_audit(
        yakuba,
        "user add",
        f"アカウント {login} を作成（{','.join(role)}）",
        {"login": login, "roles": role, "contractor": contractor, "until": until, "approver": approver},
    )
    typer.echo(f"{login} を作成しました。初回ログイン時に認証アプリで QR コードを読み取って登録します。")


@user_app.command("disable")
def user_disable(login: str) -> None:
    """アカウントを無効にし、開いているセッションを終了します。"""
    yakuba = _container()
    try:
        with yakuba.uow() as uow:
            accounts.set_disabled(uow, login, True)
            uow.commit()
    except YakubaError as exc:
        _fail(exc)
    _admin_audit(yakuba, "user disable", f"アカウント {login} を無効化", {"login": login})
    typer.echo(f"{login} を無効にしました。")


@user_app.command("unlock")
def user_unlock(login: str) -> None:
    """ログイン失敗によるロックを解除します。"""
    yakuba = _container()
    try:
        with yakuba.uow() as uow:
            accounts.unlock(uow, login)
            uow.commit()
    except YakubaError as exc:
        _fail(exc)
    _admin_audit(yakuba, "user unlock", f"アカウント {login} のロックを解除", {"login": login})
    typer.echo(f"{login} のロックを解除しました。")


@token_app.command("issue")
def token_issue(login: str, ttl: str = typer.Option("1h", "--ttl", help="有効期間（例 30m, 1h）")) -> None:
    """スクリプト・API クライアント用の短期 Bearer トークンを発行します（発行は監査ログに記録）。"""
    yakuba = _container()
    try:
        with yakuba.uow() as uow:
            token, row = accounts.issue_token(
                uow, login=login, ttl=accounts.parse_ttl(ttl), issued_by=operator()
            )
            expires = row.expires_at
            uow.commit()
    except YakubaError as exc:
        _fail(exc)
        return
    _admin_audit(yakuba, "token issue", f"{login} のトークンを発行（{ttl}）", {"login": login, "ttl": ttl})
    typer.echo(token)
    typer.echo(f"有効期限: {expires.isoformat()}", err=True)


@audit_app.command("verify")
def audit_verify() -> None:
    """監査ログのハッシュチェーンを検証します。改ざん・削除があれば最初の記録を示して終了コード1。"""
    from yakuba.audit.service import verify

    yakuba = _container()
    with yakuba.uow() as uow:
        result = verify(uow.session)
    if result.ok:
        typer.echo(f"監査ログは正常です（{result.checked} 件を検証）。")
        return
    typer.echo(f"監査ログの異常: {result.reason}", err=True)
    raise typer.Exit(1)


keys_app = typer.Typer(help="項目暗号化の鍵", no_args_is_help=True)


@keys_app.command("rotate")
def keys_rotate() -> None:
    """新しい暗号鍵を作って有効にします。古い鍵は復号のために残ります（再暗号化は keys reencrypt）。"""
    from yakuba.security.crypto import KeyRing

    settings = Settings()
    ring = KeyRing.load(settings.key_dir)
    rotated = ring.rotate(settings.key_dir)
    yakuba = bootstrap(settings)
    _admin_audit(
        yakuba,
        "keys rotate",
        f"暗号鍵を更新（有効な鍵 {rotated.active_key.key_id}）",
        {"active_key": rotated.active_key.key_id, "keys": list(rotated.key_ids)},
    )
    typer.echo(
        f"新しい鍵 {rotated.active_key.key_id} を有効にしました（保持している鍵 {len(rotated.key_ids)} 個）。"
    )


@keys_app.command("reencrypt")
def keys_reencrypt(batch: int = typer.Option(1000, "--batch", min=1, help="1トランザクションの件数")) -> None:
    """暗号化された項目を有効な鍵で暗号化し直します（値そのものは変わりません）。"""
    from sqlalchemy import select

    from yakuba.juki.public import MYNUMBER_CONTEXT, Rireki
    from yakuba.security.accounts import TOTP_CONTEXT
    from yakuba.security.models import StaffUser

    yakuba = _container()
    cipher = yakuba.cipher
    moved = 0
    for model, column, context in (
        (Rireki, Rireki.mynumber_enc, MYNUMBER_CONTEXT),
        (StaffUser, StaffUser.totp_secret_enc, TOTP_CONTEXT),
    ):
        while True:
            with yakuba.uow() as uow:
                rows = [
                    r
                    for r in uow.session.execute(select(model).where(column.is_not(None))).scalars()
                    if cipher.needs_rotation(getattr(r, column.key))
                ][:batch]
                for row in rows:
                    setattr(row, column.key, cipher.reencrypt(getattr(row, column.key), context=context))
                uow.commit()
            moved += len(rows)
            if len(rows) < batch:
                break
    _admin_audit(yakuba, "keys reencrypt", f"{moved} 件を有効な鍵で再暗号化", {"count": moved})
    typer.echo(f"{moved} 件を再暗号化しました。")


juki_app = typer.Typer(help="住民記録の定時処理", no_args_is_help=True)


@juki_app.command("daily")
def juki_daily(on: str = typer.Option("", "--on", help="処理日（省略時は今日・日本時間）")) -> None:
    """日次処理: 転出予定日が来た人を除票にします（cron などで毎日実行）。"""
    from yakuba.juki.public import apply_due_tenshutsu
    from yakuba.kernel import clock

    yakuba = _container()
    today = dt.date.fromisoformat(on) if on else clock.today()
    with yakuba.uow() as uow:
        results = apply_due_tenshutsu(uow, today=today)
        uow.commit()
    moved = [a for r in results for a in r.atena_nos]
    _admin_audit(
        yakuba,
        "juki daily",
        f"転出予定日到来 {len(moved)} 人を除票",
        {"on": today.isoformat(), "count": len(moved)},
    )
    typer.echo(f"{today.isoformat()}: 転出予定日が到来した {len(moved)} 人を除票にしました。")


zeimu_app = typer.Typer(help="税務の一括処理", no_args_is_help=True)


@zeimu_app.command("tosho")
def zeimu_tosho(
    nendo: int = typer.Option(..., "--nendo", min=2024, max=2026, help="年度（令和8年度 = 2026）"),
    on: str = typer.Option("", "--on", help="決定日（省略時は今日・日本時間）"),
) -> None:
    """個人住民税の当初課税: 1月1日の住民で課税資料のある全員を課税します（再実行は続きから）。"""
    from yakuba.kernel import clock
    from yakuba.uow import Actor
    from yakuba.zeimu.kojin.public import run_tosho

    yakuba = _container()
    day = dt.date.fromisoformat(on) if on else clock.today()
    actor = Actor(login=operator(), terminal="cli")
    with typer.progressbar(length=1, label="当初課税") as bar:

        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        report = run_tosho(yakuba.uow, nendo=nendo, actor=actor, on=day, progress=progress)
    _admin_audit(yakuba, "zeimu tosho", f"{nendo}年度 当初課税 {report.assessed} 人", report.view())
    for line in report.lines():
        typer.echo(line)
