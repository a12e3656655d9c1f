"""Habits the code keeps, checked by reading the source (docs/architecture.md).

These tests parse apps/ with `ast`; nothing is imported, so they run without a database.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ROOT / "apps"


def _migrations() -> list[Path]:
    return sorted(APPS.glob("*/migrations/0*.py"))


def _imported_modules(tree: ast.AST) -> list[str]:
    """Every module an import statement names, at any depth (functions included)."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_no_migration_imports_live_project_code():
    """A migration runs on databases for years; if it imported a live module, a change to
    that module would change what the old migration does (or break it). It freezes what it
    needs instead."""
    offenders = {
        path.relative_to(ROOT).as_posix(): module
        for path in _migrations()
        for module in _imported_modules(ast.parse(path.read_text(encoding="utf-8")))
        if module == "apps" or module.startswith("apps.")
    }
    assert offenders == {}
