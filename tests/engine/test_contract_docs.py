"""docs/data-contract.md is generated from the contract and must not fall behind it."""

from __future__ import annotations

from safecity.engine import contract, contract_docs


def test_data_contract_doc_is_up_to_date():
    assert contract_docs.DOC_PATH.exists(), "run: python -m safecity.engine.contract_docs --write"
    committed = contract_docs.DOC_PATH.read_text(encoding="utf-8")
    assert committed == contract_docs.render(), (
        "docs/data-contract.md is stale: run python -m safecity.engine.contract_docs --write")


def test_doc_names_every_table_and_column():
    text = contract_docs.render()
    for table in contract.TABLES.values():
        assert f"### {table.name}" in text
        for col in table.columns:
            assert f"| `{col.name}` |" in text


def test_doc_shows_the_mapping_format_and_every_default_layout():
    text = contract_docs.render()
    assert "kind: police-extract" in text and "## Mapping files" in text
    for kind in contract.SOURCES:
        assert f"### `{kind}`" in text
