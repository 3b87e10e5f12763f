"""docs/assessment-schema.md describes every field the JSON can hold."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from safecity.engine.assessment import model, output

DOC = Path(__file__).resolve().parents[3] / "docs" / "assessment-schema.md"


def test_every_field_of_the_result_dataclasses_is_documented():
    text = DOC.read_text(encoding="utf-8")
    classes = (model.StrategicAssessment, model.Section, model.TableResult, model.TableColumn,
               model.ChartSpec, model.Series, model.Figure, model.Period,
               model.MetricDefinition)
    missing = [f"{cls.__name__}.{f.name}" for cls in classes for f in dataclasses.fields(cls)
               if f"`{f.name}`" not in text]
    assert not missing, f"document these in docs/assessment-schema.md: {missing}"
    assert f'`"{output.SCHEMA}"`' in text
