"""The police.uk package's modules use each other only through public names."""

from __future__ import annotations

import ast
from pathlib import Path

import safecity.engine.ingest.police_uk as package

PACKAGE = Path(package.__file__).parent


def test_no_private_name_crosses_a_module_line():
    crossings = []
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level > 0:
                crossings += [f"{path.name}: {node.module}.{a.name}" for a in node.names
                              if a.name.startswith("_")]
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and \
                    not node.attr.startswith("__") and isinstance(node.value, ast.Name) and \
                    node.value.id in {"files", "stage", "write", "load"}:
                crossings.append(f"{path.name}: {node.value.id}.{node.attr}")
    assert crossings == []


def test_the_public_face_exports_what_it_lists():
    for name in package.__all__:
        assert hasattr(package, name), name
    assert package.ADAPTER.kind == "police-uk"


def test_no_module_outside_the_sql_helper_quotes_sql_by_hand():
    """Literals and identifiers are quoted by ``safecity.engine.sql`` (or passed as parameters)."""
    root = PACKAGE.parents[1]
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if p.name != "sql.py" and ('replace("\'", "\'\'")' in p.read_text(encoding="utf-8")
                                            or "replace('\"', '\"\"')" in p.read_text(encoding="utf-8"))]
    assert offenders == []
