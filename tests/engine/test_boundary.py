"""The engine never imports Django, the web app or the CLI (ARCHITECTURE.md, STYLE.md habit 1)."""

import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "src" / "safecity" / "engine"
FORBIDDEN = ("django", "safecity.web", "safecity.cli")


def test_no_engine_module_imports_django_or_the_web_app():
    offenders = []
    for path in ENGINE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.ImportFrom) and node.level >= 2 and node.module:
                # ``from ..web import x`` inside safecity.engine reaches safecity.web
                depth = len(path.relative_to(ENGINE).parts)
                if node.level >= depth and node.module.split(".")[0] in {"web", "cli"}:
                    names = ["safecity." + node.module]
            offenders += [f"{path.relative_to(ENGINE)}: {n}" for n in names
                          if any(n == f or n.startswith(f + ".") for f in FORBIDDEN)]
    assert offenders == []


def test_importing_the_engine_does_not_load_django():
    code = ("import sys, importlib, pkgutil, safecity.engine as e\n"
            "for m in pkgutil.walk_packages(e.__path__, 'safecity.engine.'):\n"
            "    importlib.import_module(m.name)\n"
            "print('django' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
