"""The generated parts of docs/classification.md: every code, and every shipped basket.

    python -m safecity.engine.classification.docs --write

rewrites the text between the ``<!-- generated:start -->`` and ``<!-- generated:end -->`` markers;
a test fails when the committed document differs.
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import DEFAULT_EDITION, GROUPS, _load

DOC_PATH = Path(__file__).resolve().parents[4] / "docs" / "classification.md"
START, END = "<!-- generated:start -->", "<!-- generated:end -->"


def render_generated() -> str:
    cls = _load(None, None)  # the shipped data, whatever the settings say
    lines = [START, "", "### Every code", "",
             f"Weights: {DEFAULT_EDITION}. A blank weight means the edition has none.", ""]
    for group in GROUPS:
        lines += [f"#### {group}", "", "| code | label | subgroup | police.uk category | weight |",
                  "|---|---|---|---|---:|"]
        for o in sorted((o for o in cls.offences() if o.group == group),
                        key=lambda o: (GROUPS[group].index(o.subgroup), _key(o.code))):
            weight = f"{o.weight:,.2f}" if o.weight is not None else ""
            lines.append(f"| `{o.code}` | {o.label} | {o.subgroup} | "
                         f"{o.police_uk_category or '(not published)'} | {weight} |")
        lines.append("")
    lines += ["### Shipped baskets", ""]
    for name in cls.baskets():
        b = cls.basket_definition(name)
        codes = ", ".join(f"`{c}`" for c in sorted(b.codes, key=_key))
        flag = f" **or** crimes flagged `{b.flag}`" if b.flag else ""
        lines += [f"- **`{name}`** ({b.label}): {codes}{flag}. {b.description}"]
    lines += ["", END]
    return "\n".join(lines)


def _key(code: str) -> tuple:
    head = "".join(ch for ch in code.split(".")[0] if ch.isdigit())
    return (int(head or 0), code)


def updated(text: str) -> str:
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    return before + render_generated() + after


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    text = updated(DOC_PATH.read_text(encoding="utf-8"))
    if "--write" in argv:
        DOC_PATH.write_text(text, encoding="utf-8")
        print(f"wrote {DOC_PATH}")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
