"""The house rule of docs/architecture.md: a business uses another only through its public face.

A face is the business package itself (``yakuba.juki``) or its ``public`` module (``yakuba.juki.public``),
and only names without a leading underscore. Anything else imported across business folders couples
one business to another's internals: a change inside 住民記録 would silently break three other folders
(issue 23). The composition root (app, bootstrap, models, migrations) wires routers, handlers and tables
and is exempt.

The imports that break the rule today are listed in ``import_baseline.txt`` while the faces are being
built: a new one fails this test, and an entry that no longer occurs must be deleted, so the list only
shrinks.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "yakuba"
BASELINE = Path(__file__).with_name("import_baseline.txt")
BUSINESSES = frozenset({"juki", "inkan", "fuhyo", "senkyo", "shomei"})
COMPOSITION_ROOT = frozenset({"app", "bootstrap", "models", "migrations"})


def _owner(path: Path) -> str:
    parts = path.relative_to(SRC).parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def _is_face(module: str) -> bool:
    parts = module.split(".")
    return len(parts) == 2 or (len(parts) == 3 and parts[2] == "public")


def violations() -> set[str]:
    """``owner | module | name`` for every cross-business import that is not a public face's name."""
    found: set[str] = set()
    for path in sorted(SRC.rglob("*.py")):
        owner = _owner(path)
        if owner in COMPOSITION_ROOT:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported = [(node.module, alias.name) for alias in node.names]
            elif isinstance(node, ast.Import):
                imported = [(alias.name, "*") for alias in node.names]
            else:
                continue
            for module, name in imported:
                parts = module.split(".")
                if parts[0] != "yakuba" or len(parts) < 2 or parts[1] not in BUSINESSES:
                    continue
                if parts[1] == owner:
                    continue
                if len(parts) == 2 and (SRC / parts[1] / f"{name}.py").exists():
                    module = f"{module}.{name}"  # ``from yakuba.juki import base`` reaches the module base
                if _is_face(module) and not name.startswith("_"):
                    continue
                found.add(f"{owner} | {module} | {name}")
    return found


def _baseline() -> set[str]:
    lines = BASELINE.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def test_no_new_import_of_another_business_internals() -> None:
    new = sorted(violations() - _baseline())
    assert not new, (
        "他の業務の内部への import です（公開面 yakuba.<業務> / .public を使ってください）:\n"
        + "\n".join(new)
    )


def test_the_baseline_only_shrinks() -> None:
    gone = sorted(_baseline() - violations())
    assert not gone, "解消済みの行を import_baseline.txt から削除してください:\n" + "\n".join(gone)


def test_the_kernel_imports_no_business() -> None:
    """``kernel/`` is the layer every business shares (dates, codes, the append-only history): it may
    depend on no business at all, not even on a public face, or businesses would depend on each other
    through it."""
    found = []
    for path in sorted((SRC / "kernel").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # ``from yakuba import juki`` names the business in the imported name
                modules = [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                parts = module.split(".")
                if parts[0] == "yakuba" and len(parts) > 1 and parts[1] in BUSINESSES:
                    found.append(f"{path.relative_to(SRC)}: {module}")
    assert not found, "kernel が業務を import しています:\n" + "\n".join(found)
