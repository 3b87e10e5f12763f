"""docs/classification.md: its generated tables match the package data."""

from __future__ import annotations

from safecity.engine.classification import docs, load


def test_classification_doc_tables_are_up_to_date():
    text = docs.DOC_PATH.read_text(encoding="utf-8")
    assert docs.updated(text) == text, (
        "docs/classification.md is stale: run python -m safecity.engine.classification.docs --write")


def test_every_code_and_basket_appears_in_the_doc():
    text = docs.DOC_PATH.read_text(encoding="utf-8")
    c = load()
    for o in c.offences():
        assert f"| `{o.code}` |" in text
    for name in c.baskets():
        assert f"**`{name}`**" in text
