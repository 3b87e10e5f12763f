"""The strategy and its delivery: priorities, actions, reporting cycles and updates.

An update is one per action per cycle, shared by the action's lead agencies (the paper has one
row per action). Every save writes an ``UpdateVersion`` with who, when and what changed; the
``version`` number is the optimistic lock (see ``updates.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from ..partnerships.models import Agency


RAG_MEANINGS = {  # the defaults a partnership may reword (Strategy.rag_*)
    "red": "Off track: the action will miss its target without help from the partnership.",
    "amber": "At risk: there is slippage or a problem, and the lead agency is managing it.",
    "green": "On track to meet its target.",
    "complete": "Delivered: nothing more is needed.",
}


class Strategy(models.Model):
    title = models.CharField(max_length=200)
    partnership = models.CharField(
        "Partnership name", max_length=200, blank=True,
        help_text="Who the papers are from, for example Riverton Safer City Partnership.")
    start = models.DateField()
    end = models.DateField()
    partners = models.ManyToManyField(Agency, related_name="strategies",
                                      help_text="Agencies whose people can see this strategy.")
    area_code = models.CharField(max_length=12, blank=True, help_text="ONS code of the area its "
                                 "indicators measure; blank means the partnership's own CSP.")
    rag_red = models.CharField("Red means", max_length=300, default=RAG_MEANINGS["red"])
    rag_amber = models.CharField("Amber means", max_length=300, default=RAG_MEANINGS["amber"])
    rag_green = models.CharField("Green means", max_length=300, default=RAG_MEANINGS["green"])
    rag_complete = models.CharField("Complete means", max_length=300,
                                    default=RAG_MEANINGS["complete"])
    # The meeting schedule (schedule.py): cycles come from it.
    meetings_per_year = models.PositiveSmallIntegerField(null=True, blank=True)
    first_meeting = models.DateField(null=True, blank=True)
    deadline_days = models.PositiveSmallIntegerField(default=10, help_text="Days before each "
                                                     "meeting that updates are due.")
    concurrent_cycles = models.BooleanField(default=False, help_text="Allow more than one "
                                            "reporting cycle open at a time.")

    class Meta:
        ordering = ["-start"]
        verbose_name_plural = "strategies"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("strategy:strategy", args=[self.pk])

    @property
    def partnership_name(self) -> str:
        """The author of the strategy's papers: its partnership, or the strategy itself."""
        return self.partnership or self.title

    def rag_meaning(self, rag: str) -> str:
        """What the partnership says ``rag`` ("red", "amber", ...) means."""
        return getattr(self, f"rag_{rag}", "")


class Priority(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["strategy", "number"]
        verbose_name_plural = "priorities"
        constraints = [models.UniqueConstraint(fields=["strategy", "number"],
                                               name="priority_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Action(models.Model):
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    all_agencies_lead = models.BooleanField(
        default=False, help_text='Every partner agency leads ("All" in the action plan).')
    lead_agencies = models.ManyToManyField(Agency, related_name="led_actions", blank=True)
    supporting_agencies = models.ManyToManyField(Agency, related_name="supported_actions",
                                                 blank=True)
    target_date = models.DateField(null=True, blank=True)
    indicators = models.ManyToManyField("dashboards.Indicator", related_name="actions",
                                        blank=True)

    class Meta:
        ordering = ["priority__number", "number"]
        constraints = [models.UniqueConstraint(fields=["priority", "number"],
                                               name="action_number_unique")]

    def __str__(self) -> str:
        return f"{self.priority.number}.{self.number} {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("strategy:action", args=[self.pk])

    @property
    def strategy(self) -> Strategy:
        return self.priority.strategy

    def leading_agencies(self):
        """The agencies that lead this action: every partner of the strategy when "All" lead,
        else the named lead agencies. The one "led by" rule: access checks, chasing and the demo
        all ask it (``is_led_by``, or this QuerySet) rather than restating it."""
        if self.all_agencies_lead:
            return self.strategy.partners.all()
        return self.lead_agencies.all()

    def is_led_by(self, agency: Agency | None) -> bool:
        if agency is None:
            return False
        return self.leading_agencies().filter(pk=agency.pk).exists()

    @staticmethod
    def led_by_q(agency) -> models.Q:
        """The same rule as ``is_led_by`` as a filter: actions ``agency`` leads, by name or as a
        partner of the strategy of an action "All" agencies lead. Use with ``.distinct()``."""
        return (models.Q(all_agencies_lead=True, priority__strategy__partners=agency)
                | models.Q(all_agencies_lead=False, lead_agencies=agency))

    @property
    def lead_label(self) -> str:
        """The Lead Agency cell of the paper: "All" or the agencies joined by "/"."""
        return lead_label(self.all_agencies_lead, (a.name for a in self.lead_agencies.all()))

    @staticmethod
    def lead_labels(actions) -> dict[int, str]:
        """``lead_label`` of many actions in one query (by action id)."""
        actions = list(actions)
        names: dict[int, list[str]] = {a.pk: [] for a in actions}
        for action_id, name in (Action.lead_agencies.through.objects
                                .filter(action__in=[a.pk for a in actions])
                                .order_by(*(f"agency__{f}" for f in Agency._meta.ordering))
                                .values_list("action_id", "agency__name")):
            names[action_id].append(name)
        return {a.pk: lead_label(a.all_agencies_lead, names[a.pk]) for a in actions}


def lead_label(all_agencies_lead: bool, names) -> str:
    return "All" if all_agencies_lead else " / ".join(names)


class ReportingCycle(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="cycles")
    name = models.CharField(max_length=120)
    meeting_date = models.DateField()
    deadline = models.DateField(help_text="Date by which lead agencies submit their updates.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-meeting_date"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("strategy:cycle", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    COMPLETE = "complete", "Complete"


class Update(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned"
        APPROVED = "approved", "Approved"

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="updates")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    rag = models.CharField("RAG status", max_length=10, choices=Rag.choices, blank=True)
    text = models.TextField(blank=True)
    review_comment = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True, help_text="When the lead shared "
                                     "the draft with the coordinator for an early read.")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["action__priority__number", "action__number"]
        constraints = [models.UniqueConstraint(fields=["cycle", "action"],
                                               name="one_update_per_action_per_cycle")]

    def __str__(self) -> str:
        return f"{self.cycle}: {self.action}"

    def get_absolute_url(self) -> str:
        return reverse("strategy:update", args=[self.cycle_id, self.action_id])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.APPROVED


class UpdateVersion(models.Model):
    """A snapshot written on every save of an update: who, when, and what changed."""

    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    event = models.CharField(max_length=20)  # saved, submitted, returned, approved
    status = models.CharField(max_length=10, choices=Update.Status.choices)
    rag = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    text = models.TextField(blank=True)
    review_comment = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    changes = models.JSONField(default=dict)  # field -> [old, new]

    class Meta:
        ordering = ["update", "-number"]
        constraints = [models.UniqueConstraint(fields=["update", "number"],
                                               name="update_version_unique")]

    def __str__(self) -> str:
        return f"{self.update} v{self.number}"
