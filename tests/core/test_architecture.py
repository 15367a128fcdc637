"""The domain core stays plain Python: no web framework, no ORM (design card)."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "trainer" / "core"
FORBIDDEN = ("flask", "flask_sqlalchemy", "flask_login", "flask_wtf", "sqlalchemy", "wtforms")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_imports_no_framework():
    offenders = {
        str(path.relative_to(CORE)): sorted(imported_modules(path) & set(FORBIDDEN))
        for path in CORE.rglob("*.py")
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert offenders == {}


def test_the_check_sees_an_import_when_there_is_one(tmp_path):
    sample = tmp_path / "bad.py"
    sample.write_text("import flask\nfrom sqlalchemy.orm import Session\n")
    assert imported_modules(sample) >= {"flask", "sqlalchemy"}
