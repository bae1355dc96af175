"""The house rule of docs/architecture.md: a business uses another only through its public face.

A face is the business package itself (``yakuba.juki``) or its ``public`` module (``yakuba.juki.public``),
and only names without a leading underscore. Anything else imported across business folders couples
one business to another's internals: a change inside 住民記録 would silently break three other folders
(issue 23). The composition root (app, bootstrap, models, migrations) wires routers, handlers and tables
and is exempt.

Every business now has its face (``public.py``), so there is no list of tolerated exceptions: any
cross-business import of an internal fails the build.

The forms toolkit ``yakuba.forms`` (docs/forms-toolkit.md) is a shared layer, not a business, with a
stricter rule: outside ``src/yakuba/forms/`` only the package itself is imported (no
``yakuba.forms.<module>``, no ``_private`` name), and the toolkit imports no business at all.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "yakuba"
BUSINESSES = frozenset({"juki", "inkan", "fuhyo", "senkyo", "shomei", "zeimu"})
# Businesses that are a family of businesses: each tax under ``zeimu/`` has its own face
# (``yakuba.zeimu.kojin.public``) beside the tax kernel's (``yakuba.zeimu.public``); a tax may use the
# family's kernel directly, but a sibling tax (or the kernel) only through that tax's face.
FAMILIES = frozenset({"zeimu"})
COMPOSITION_ROOT = frozenset({"app", "bootstrap", "models", "migrations"})


def _owner(path: Path) -> str:
    """The business a file belongs to: ``juki``, or ``zeimu.kojin`` for a tax of the 税務 family."""
    parts = path.relative_to(SRC).parts
    if len(parts) > 2 and parts[0] in FAMILIES and (SRC / parts[0] / parts[1] / "public.py").exists():
        return f"{parts[0]}.{parts[1]}"
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def _target(parts: list[str]) -> str:
    """The business an imported module belongs to (a family member when it is one)."""
    if len(parts) > 2 and parts[1] in FAMILIES and (SRC / parts[1] / parts[2] / "public.py").exists():
        return f"{parts[1]}.{parts[2]}"
    return parts[1]


def _is_face(module: str) -> bool:
    parts = module.split(".")
    if len(parts) == 2 or (len(parts) == 3 and parts[2] == "public"):
        return True
    return parts[1] in FAMILIES and len(parts) == 4 and parts[3] == "public"


def _imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) of every absolute import in the file, at any depth (``*`` for ``import a.b``)."""
    imported: list[tuple[str, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imported.extend((node.module, alias.name) for alias in node.names)
        elif isinstance(node, ast.Import):
            imported.extend((alias.name, "*") for alias in node.names)
    return imported


def violations() -> set[str]:
    """``owner | module | name`` for every cross-business import that is not a public face's name."""
    found: set[str] = set()
    for path in sorted(SRC.rglob("*.py")):
        owner = _owner(path)
        if owner in COMPOSITION_ROOT:
            continue
        for module, name in _imports(path):
            parts = module.split(".")
            if parts[0] != "yakuba" or len(parts) < 2 or parts[1] not in BUSINESSES:
                continue
            target = _target(parts)
            if target == owner or (owner.startswith(f"{target}.") and target in FAMILIES):
                continue  # its own business, or a tax using the family's shared kernel
            if len(parts) == 2 and (SRC / parts[1] / f"{name}.py").exists():
                module = f"{module}.{name}"  # ``from yakuba.juki import base`` reaches the module base
            if _is_face(module) and not name.startswith("_"):
                continue
            found.add(f"{owner} | {module} | {name}")
    return found


def test_no_import_of_another_business_internals() -> None:
    found = sorted(violations())
    assert not found, (
        "他の業務の内部への import です（公開面 yakuba.<業務>.public を使ってください）:\n" + "\n".join(found)
    )


def forms_violations(src: Path = SRC) -> set[str]:
    """``file | module | name`` for every import that breaks the rule of the forms toolkit.

    Outside ``src/yakuba/forms/`` (composition root included): ``yakuba.forms`` itself and a public name
    of it, never one of its modules (``yakuba.forms.fonts`` or ``from yakuba.forms import fonts``).
    Inside it: nothing of juki, inkan, fuhyo, senkyo or shomei — a form's business logic stays with it.
    """
    found: set[str] = set()
    forms = src / "forms"
    for path in sorted(src.rglob("*.py")):
        inside = path.is_relative_to(forms)
        where = path.relative_to(src).as_posix()
        for module, name in _imports(path):
            parts = module.split(".")
            if parts[0] != "yakuba":
                continue
            if inside:
                reached = parts[1] if len(parts) > 1 else name
                if reached in BUSINESSES:
                    found.add(f"{where} | {module} | {name}")
                continue
            if module == "yakuba" and name == "forms":
                continue  # ``from yakuba import forms``: the face
            if parts[1:2] != ["forms"]:
                continue
            if len(parts) > 2 or name.startswith("_") or (forms / f"{name}.py").exists():
                found.add(f"{where} | {module} | {name}")
    return found


def test_forms_are_used_through_their_face_and_import_no_business() -> None:
    found = sorted(forms_violations())
    assert not found, (
        "帳票ツールキットの規則違反です（外からは yakuba.forms のみ、ツールキットは業務を import しない）:\n"
        + "\n".join(found)
    )


def test_the_forms_rule_catches_each_kind_of_breach(tmp_path: Path) -> None:
    files = {
        "forms/__init__.py": "from yakuba.forms.page import render\n",
        "forms/page.py": "def render() -> None:\n    from yakuba.juki import base\n",
        "forms/other.py": "from yakuba import shomei\nfrom yakuba.kernel import clock\n",
        "fuhyo/good.py": "from yakuba.forms import Pen, render\nfrom yakuba import forms\n",
        "senkyo/good.py": "import yakuba.forms\n",
        "fuhyo/deep.py": "from yakuba.forms.page import render\n",
        "inkan/module.py": "from yakuba.forms import page\n",
        "senkyo/private.py": "from yakuba.forms import _secret\n",
        "models.py": "import yakuba.forms.page\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert forms_violations(tmp_path) == {
        "forms/page.py | yakuba.juki | base",
        "forms/other.py | yakuba | shomei",
        "fuhyo/deep.py | yakuba.forms.page | render",
        "inkan/module.py | yakuba.forms | page",
        "senkyo/private.py | yakuba.forms | _secret",
        "models.py | yakuba.forms.page | *",
    }


def test_the_forms_face_lists_public_names_that_exist() -> None:
    import yakuba.forms as face

    for name in face.__all__:
        assert not name.startswith("_"), name
        assert hasattr(face, name), name


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


def test_a_tax_is_reached_through_its_own_face() -> None:
    """Each tax of the 税務 family has its face; its internals are as private as any business's."""
    assert _is_face("yakuba.zeimu.kojin.public")
    assert _is_face("yakuba.zeimu.public")
    assert not _is_face("yakuba.zeimu.kojin.engine")
    assert not _is_face("yakuba.juki.commands.public")
    # a tax folder (it has a face) is a business of its own; the kernel's rooms are the family's
    assert _target(["yakuba", "zeimu", "kojin", "engine"]) == "zeimu.kojin"
    assert _target(["yakuba", "zeimu", "commands", "kazei"]) == "zeimu"
    assert _owner(SRC / "zeimu" / "kojin" / "api.py") == "zeimu.kojin"
    assert _owner(SRC / "zeimu" / "money.py") == "zeimu"
