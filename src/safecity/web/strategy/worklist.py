"""A lead's own work: the actions their agency leads in each open cycle, and each one's state.

Returned updates come first (they are waiting on the lead), then the ones not started, drafts,
submitted and approved; within a state, plan order.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Action, ReportingCycle, Update

STATES = {  # key -> (order, label, GOV.UK tag colour)
    "returned": (0, "Returned to you", "red"),
    "missing": (1, "Not started", "yellow"),
    "draft": (2, "Draft", "grey"),
    "submitted": (3, "Submitted", "blue"),
    "approved": (4, "Approved", "green"),
}


@dataclass(frozen=True)
class Item:
    action: Action
    update: Update | None
    state: str

    @property
    def label(self) -> str:
        return STATES[self.state][1]

    @property
    def colour(self) -> str:
        return STATES[self.state][2]


@dataclass(frozen=True)
class CycleWork:
    cycle: ReportingCycle
    items: list[Item]

    @property
    def waiting(self) -> int:
        """How many still need the lead: returned, not started or draft."""
        return sum(1 for i in self.items if STATES[i.state][0] <= STATES["draft"][0])


def your_actions(member, strategies) -> list[CycleWork]:
    """For each open cycle of ``strategies``, the actions ``member``'s agency leads."""
    out = []
    cycles = (ReportingCycle.objects.filter(strategy__in=strategies,
                                            status=ReportingCycle.Status.OPEN)
              .select_related("strategy").order_by("deadline", "pk"))
    for cycle in cycles:
        actions = list(Action.objects.filter(priority__strategy=cycle.strategy)
                       .filter(Action.led_by_q(member.agency)).distinct()
                       .select_related("priority"))
        updates = {u.action_id: u for u in cycle.updates.filter(action__in=actions)}
        items = [Item(a, updates.get(a.pk), updates[a.pk].status if a.pk in updates
                      else "missing") for a in actions]
        items.sort(key=lambda i: (STATES[i.state][0], i.action.priority.number, i.action.number))
        out.append(CycleWork(cycle, items))
    return out
