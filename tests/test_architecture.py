"""The layers of docs/architecture.md hold: the base layer imports no app, and geography,
people and tasks import only what lies below them."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# package -> what it may not import (anything above it). The top wiring (seva/*.py) may
# import everything and is not listed.
APPS = ["seva.geo", "seva.people", "tasks17", "helplines", "seva.monitoring", "seva.notify", "seva.reports"]
TOP = ["seva.settings", "seva.urls", "seva.api", "seva.views", "seva.celery", "seva.tasks"]
FORBIDDEN = {
    "seva.base": [*APPS, *TOP],
    # The audit trail's helpers and the access log: every app calls them, they call none.
    "seva.audit": [*APPS, *TOP, "seva.accounts"],
    "seva.geo": [*APPS[1:], *TOP],
    "seva.people": [*APPS[2:], *TOP],
    "tasks17": [*APPS[3:], *TOP],
    "helplines": [*APPS[4:], *TOP],
}


def _imports(path: Path) -> set[str]:
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    return _imports_of(path.read_text(encoding="utf-8"), module)


def _imports_of(source: str, module: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = module.split(".")[: -node.level]
                names.add(".".join([*base, node.module] if node.module else base))
            else:
                names.add(node.module or "")
    return names


def _modules(package: str):
    folder = ROOT.joinpath(*package.split("."))
    return sorted(p for p in folder.rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_above_it(package):
    wrong = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _modules(package)
        for name in _imports(path)
        for above in FORBIDDEN[package]
        if name == above or name.startswith(above + ".")
    ]
    assert not wrong, wrong


def test_the_walk_finds_a_forbidden_import():
    # The test above must be able to fail: absolute and relative imports of an app are seen.
    names = _imports_of("from tasks17.models import Task\nfrom ..geo import models\n", "seva.base.probe")
    assert {"tasks17.models", "seva.geo"} <= names
