"""The models and the migrations describe one schema: autogenerate against a fresh database at head is empty.

The test database of the session (``tests/conftest.py``) is also touched by fixtures that create tables
from the models (``tests/senkyo/conftest.py``), so this test migrates a database of its own — a file on
SQLite, a schema of its own on PostgreSQL — with the project's runner (``yakuba.migrate.upgrade``), then
lets Alembic compare it with ``Base.metadata``, types and server defaults included. A model change
without its revision (or a refactoring of the models, such as the kernel's append-only history, that
is not schema-neutral) fails here on both databases.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import make_url, text

from yakuba.db import make_engine
from yakuba.migrate import upgrade
from yakuba.models import metadata


@pytest.fixture
def fresh_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database (SQLite: a file; PostgreSQL: a schema first on the search_path)."""
    if make_url(database_url).get_backend_name() != "postgresql":
        yield f"sqlite:///{(tmp_path / 'fresh.db').as_posix()}"
        return
    schema = f"schema_check_{uuid.uuid4().hex[:12]}"
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(database_url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


def test_autogenerate_finds_nothing_to_change_after_upgrade_to_head(fresh_url: str) -> None:
    upgrade(fresh_url)
    engine = make_engine(fresh_url)
    try:
        with engine.connect() as conn:
            tables = set(conn.dialect.get_table_names(conn))
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "compare_server_default": True}
            )
            diff = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    assert set(metadata.tables) <= tables  # really migrated here, not compared with an empty schema
    assert diff == []
