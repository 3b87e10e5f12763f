"""``make bench``: run every benchmark module and record the results in docs/benchmarks.md.

A benchmark is a module ``bench/<name>.py`` exposing ``main() -> list[dict]``; each dict has
``name, value, unit, baseline, target, notes``. Each module owns the section of
docs/benchmarks.md between ``<!-- bench:<name> -->`` and ``<!-- /bench:<name> -->``; this runner
rewrites only the sections of the modules it ran (and the machine section), leaving the rest.

    python bench/run.py            # every benchmark
    python bench/run.py ingest     # one
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import platform
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOC = HERE.parent / "docs" / "benchmarks.md"
COLUMNS = ("name", "value", "unit", "baseline", "target", "notes")
INTRO = """# Benchmarks

Benchmarks are code: `make bench` (or `python bench/run.py [name]`) runs every `bench/*.py`
module and rewrites its section below. Timings are measured, never asserted in tests.
"""


def discover(names: list[str] | None = None) -> dict[str, object]:
    modules = {}
    for path in sorted(HERE.glob("*.py")):
        if path.stem in {"run", "__init__"} or (names and path.stem not in names):
            continue
        spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if callable(getattr(module, "main", None)):
            modules[path.stem] = module
    missing = set(names or ()) - set(modules)
    if missing:
        sys.exit(f"No benchmark called {', '.join(sorted(missing))} in {HERE}.")
    return modules


def machine() -> list[str]:
    import duckdb
    import pyarrow

    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f"{kib / 2**20:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return [
        f"- Date: {dt.date.today().isoformat()}",
        f"- CPU: {cpu}; {os.cpu_count()} logical cores (nproc)",
        f"- RAM: {ram}",
        f"- OS: {platform.platform()}",
        f"- Python {platform.python_version()}, DuckDB {duckdb.__version__}, "
        f"pyarrow {pyarrow.__version__}",
    ]


def table(rows: list[dict]) -> list[str]:
    def cell(value) -> str:
        if isinstance(value, float):
            value = f"{value:,.2f}"
        elif isinstance(value, int):
            value = f"{value:,}"
        return str(value if value is not None else "").replace("|", "\\|")

    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(cell(r.get(c)) for c in COLUMNS) + " |" for r in rows]
    return lines


def replace_section(text: str, name: str, body: list[str], title: str) -> str:
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = "\n".join([start, *body, end])
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        return pattern.sub(lambda _: block, text)
    return text.rstrip("\n") + f"\n\n## {title}\n\n{block}\n"


def main(argv: list[str]) -> int:
    modules = discover(argv or None)
    sections = [("machine", machine(), "Machine")]
    for name, module in modules.items():
        print(f"running bench/{name}.py …", flush=True)
        rows = module.main()
        for line in table(rows):
            print(line)
        sections.append((name, table(rows), getattr(module, "TITLE",
                                                    name.replace("_", " ").capitalize())))
    # Read the page only now: a benchmark takes minutes, and prose edited meanwhile (or another
    # run's sections) must not be overwritten with the copy read when this run started.
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else INTRO
    for name, body, title in sections:
        text = replace_section(text, name, body, title)
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
    print(f"results written to {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
