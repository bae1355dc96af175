"""The ``yakuba`` command: serve, migrate, demo; users, tokens, keys and audit come from ``cli_admin``."""

from __future__ import annotations

from pathlib import Path

import typer

from yakuba.config import Settings

app = typer.Typer(help="yakuba — 標準準拠 基幹業務システム", no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="データベース（マイグレーション）", no_args_is_help=True)
app.add_typer(db_app, name="db")


def _register_admin() -> None:
    from yakuba.cli_admin import audit_app, juki_app, keys_app, token_app, user_app, zeimu_app

    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")
    app.add_typer(audit_app, name="audit")
    app.add_typer(keys_app, name="keys")
    app.add_typer(juki_app, name="juki")
    app.add_typer(zeimu_app, name="zeimu")


def _settings(db: Path | None = None) -> Settings:
    settings = Settings()
    if db is not None:
        settings = settings.model_copy(update={"database_url": f"sqlite:///{db.as_posix()}"})
    return settings


def _serve(settings: Settings) -> None:
    import uvicorn

    from yakuba.app import create_app

    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")


@app.command()
def serve() -> None:
    """Web アプリケーション（API と窓口画面）を起動します。"""
    _serve(_settings())


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="適用先のリビジョン")) -> None:
    """データベースを最新のスキーマへ移行します（SQLite / PostgreSQL 共通）。"""
    from yakuba.migrate import upgrade

    settings = _settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url, revision)
    typer.echo("データベースを更新しました。")


@app.command()
def demo(
    residents: int = typer.Option(2000, "--residents", min=1, help="住民数（おおよそ）"),
    seed: int = typer.Option(1, "--seed", help="乱数の種（同じ種なら同じ町）"),
    db: Path = typer.Option(Path("var/demo.db"), "--db", help="デモ用 SQLite ファイル"),
    no_serve: bool = typer.Option(False, "--no-serve", help="生成だけして起動しない"),
    bulk: bool | None = typer.Option(
        None,
        "--bulk/--no-bulk",
        help="一括書き込み（COPY 等。記録は住民記録の処理と同一）で生成する。既定は 20,000 人を超えると一括",
    ),
) -> None:
    """架空の町を生成し（未生成の場合のみ）、http://127.0.0.1:8000 で起動します。"""
    import os

    from yakuba.demo.generator import generate_town
    from yakuba.demo.setup import ensure_demo, use_overlay

    settings = _settings(db)
    if "YAKUBA_MUNICIPALITY_NAME" not in os.environ:  # the screens name the town the data describes
        town, _households = generate_town(residents=residents, seed=seed)
        settings = settings.model_copy(update={"municipality_name": town.name})
    overlay = ensure_demo(settings, db_path=db, residents=residents, seed=seed, echo=typer.echo, bulk=bulk)
    if not no_serve:
        use_overlay(overlay)
        typer.echo(f"http://{settings.host}:{settings.port}/ で起動します（Ctrl+C で終了）")
        _serve(settings)


def main() -> None:
    _register_admin()
    app()
