from django import forms

from ...engine.indicators import METRICS
from .models import Indicator


class IndicatorForm(forms.ModelForm):
    metric = forms.ChoiceField(label="Which figure measures it?",
                               choices=[(k, m.name) for k, m in METRICS.items()],
                               help_text="Computed by the engine from the warehouse; values are "
                               "never typed in.")

    class Meta:
        model = Indicator
        fields = ["priority", "name", "metric", "baseline", "baseline_label", "target",
                  "direction"]
        labels = {"name": "Indicator name", "baseline_label": "Baseline period"}
        widgets = {"direction": forms.RadioSelect}
        error_messages = {"name": {"required": "Enter a name for the indicator"}}

    def __init__(self, *args, strategy=None, **kwargs):
        super().__init__(*args, **kwargs)
        if strategy is not None:
            self.fields["priority"].queryset = strategy.priorities.all()
