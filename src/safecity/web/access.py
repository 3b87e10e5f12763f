"""Who may see and change what: the one access module of the web app, written on the ORM.

Every view that shows or changes a record of a strategy starts from one helper here; each returns
the object (loaded with ``select_related``, so the page asks no more for its parents) and whether
the reader may change it, and enforces the two rules of the permission matrix
(tests/web/test_permissions.py):

* An outsider (no membership, or an agency that is not a partner of the object's strategy) gets
  404, so the object's existence is not revealed. The partner check is one ``exists()``.
* A read-only user gets the object with ``can_write=False``; a view that writes calls
  :func:`require`, which answers 403.

A partnership is the set of agencies a strategy names as partners: a coordinator manages only
the strategies their own agency is a partner of (administrators manage the installation).
Whether an action is led by an agency is the model's rule (``Action.is_led_by``), not restated
here. The shape follows healthchecks' ``_get_check_for_user`` (hc/front/views.py): the object and
the reader's rights from one helper, 404 before anything is read from it.

    strategy, can_write = access.get_strategy(request, pk)
    access.require(can_write)  # 403 for read-only users
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .dashboards.models import Indicator
from .partnerships.models import Membership, Role
from .strategy.models import Action, ReportingCycle, Strategy, Update

NOT_FOUND = "No such page."


def membership(user) -> Membership | None:
    """The signed-in user's membership (agency and role), or None."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def _member(request) -> Membership:
    member = membership(getattr(request, "user", None))
    if member is None:
        raise Http404(NOT_FOUND)
    return member


def _partner_row(member: Membership, strategy_id):
    """The partner link between ``member``'s agency and a strategy: asked with ``exists()``,
    the one partnership rule. (A separate ``exists()`` costs Django less CPU than an ``Exists``
    annotation on the object's query: 0.23 ms against 0.5 ms, measured.)"""
    return Strategy.partners.through.objects.filter(strategy_id=strategy_id,
                                                    agency_id=member.agency_id)


def is_partner(member: Membership | None, strategy_id: int) -> bool:
    """Whether ``member`` may see strategy ``strategy_id``: an administrator, or a member of one
    of its partner agencies. The one partnership rule behind every helper below."""
    if member is None:
        return False
    return member.is_administrator or _partner_row(member, strategy_id).exists()


def _require_partner(member: Membership, strategy_id: int) -> None:
    if not is_partner(member, strategy_id):
        raise Http404(NOT_FOUND)


def _get(queryset: QuerySet, **lookup):
    """One row or 404 (also for a malformed id that reached here)."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(NOT_FOUND) from None


def _id(value) -> int:
    """A primary key from a URL or caller, or 404."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404(NOT_FOUND) from None
    if not 0 < number < 2**63:
        raise Http404(NOT_FOUND)
    return number


def visible_strategies(user) -> QuerySet[Strategy]:
    member = membership(user)
    if member is None:
        return Strategy.objects.none()
    if member.is_administrator:
        return Strategy.objects.all()
    return Strategy.objects.filter(partners=member.agency_id)


def get_strategy(request, pk: int) -> tuple[Strategy, bool]:
    """``can_write``: may manage the strategy (open and close cycles, change actions, review
    updates): its coordinator or an administrator."""
    member = _member(request)
    strategy = _get(Strategy.objects.all(), pk=pk)
    _require_partner(member, strategy.pk)
    return strategy, member.manages_strategy


def get_action(request, pk: int) -> tuple[Action, bool]:
    """``can_write``: may change the action itself (its leads, target, indicators)."""
    member = _member(request)
    action = _get(Action.objects.select_related("priority__strategy"), pk=pk)
    _require_partner(member, action.priority.strategy_id)
    return action, member.manages_strategy


def get_cycle(request, pk: int) -> tuple[ReportingCycle, bool]:
    """``can_write``: may open, chase and close the cycle."""
    member = _member(request)
    cycle = _get(ReportingCycle.objects.select_related("strategy"), pk=pk)
    _require_partner(member, cycle.strategy_id)
    return cycle, member.manages_strategy


def get_paper(request, pk: int) -> ReportingCycle:
    """The cycle whose progress-update paper is asked for. Papers hold only approved updates,
    which every partner may read, so reading the cycle is enough."""
    cycle, _ = get_cycle(request, pk)
    return cycle


def get_scorecard_export(request, pk: int) -> Strategy:
    """The strategy whose scorecard workbook is asked for (approved updates only, as papers)."""
    strategy, _ = get_strategy(request, pk)
    return strategy


def get_indicator(request, pk: int) -> tuple[Indicator, bool]:
    """``can_write``: analysts, coordinators and administrators manage indicator definitions."""
    member = _member(request)
    indicator = _get(Indicator.objects.select_related("priority__strategy"), pk=pk)
    _require_partner(member, indicator.priority.strategy_id)
    return indicator, member.manages_data


def can_manage_data(request) -> bool:
    """Whether the reader manages indicator definitions and values (after a partner check)."""
    member = membership(getattr(request, "user", None))
    return member is not None and member.manages_data


def get_update(request, cycle_pk: int, action_pk: int) -> tuple[Update, bool]:
    """The update for one action in one cycle (unsaved when none exists yet).

    ``can_write``: may edit its text and RAG status: a lead of one of the action's lead agencies,
    or the coordinator, while the cycle is open and the update is not yet approved. An
    unpublished update can be read only by those who can write it, the coordinator, analysts and
    administrators; others get 403 (:func:`can_read_update`).
    """
    member = _member(request)
    # The update with its cycle, strategy, action and priority in one statement; the action
    # must belong to the cycle's strategy, whoever asks.
    try:
        update = Update.objects.select_related("cycle__strategy", "action__priority").get(
            cycle_id=_id(cycle_pk), action_id=_id(action_pk))
    except Update.DoesNotExist:
        update = None
    if update is not None and update.action.priority.strategy_id == update.cycle.strategy_id:
        cycle, action = update.cycle, update.action
    else:  # none yet: the cycle, then the action in its strategy
        cycle = _get(ReportingCycle.objects.select_related("strategy"), pk=cycle_pk)
        action = _get(Action.objects.select_related("priority"), pk=action_pk,
                      priority__strategy_id=cycle.strategy_id)
        update = Update(cycle=cycle, action=action)
    _require_partner(member, cycle.strategy_id)
    action.priority.strategy = cycle.strategy  # the same row, already loaded
    leads = leads_action(member, action)
    editable = cycle.is_open and update.status != Update.Status.APPROVED
    can_write = editable and (leads or member.manages_strategy)
    if not can_read_update(member, action, update, leads=leads):
        raise PermissionDenied("This update has not been published yet.")
    return update, can_write


def leads_action(member: Membership | None, action: Action) -> bool:
    """Whether ``member`` is an agency lead of an agency leading ``action`` (``Action.is_led_by``
    holds the "led by" rule)."""
    return member is not None and member.role == Role.LEAD and action.is_led_by(member.agency)


def can_read_update(member: Membership | None, action: Action, update: Update | None, *,
                    leads: bool | None = None) -> bool:
    """Whether ``member`` may read the update's text and RAG status: published, or they lead
    the action, manage the strategy or are an analyst. The one rule behind the update page, the
    links to it, and the cycle and action pages' status columns (a read-only member never sees
    a draft's RAG or text). ``leads`` is looked up unless the caller already knows it."""
    if member is None:
        return False
    if update is not None and update.is_published:
        return True
    if member.manages_strategy or member.role == Role.ANALYST:
        return True
    return leads if leads is not None else leads_action(member, action)


def can_review(request, update: Update) -> bool:
    """Approve or return a submitted update: the strategy's coordinator (``update`` came from
    :func:`get_update`, so the partner check is done) while the cycle is open."""
    member = membership(getattr(request, "user", None))
    return (member is not None and member.manages_strategy and update.cycle.is_open
            and update.status == Update.Status.SUBMITTED)


def require(can_write: bool) -> None:
    """403 unless ``can_write``."""
    if not can_write:
        raise PermissionDenied("You can read this but not change it.")


# --- third-party hate reporting (web/hate_reports) ---------------------------------------------
# Report text is for the hate crime coordinator and administrators only; centres (names, areas,
# counts) are readable by every partner and managed by the hate crime coordinator and the
# partnership's coordinator. A record's partnership is its strategy (``is_partner``).

HATE_REPORT_ROLES = (Role.HATE_COORDINATOR, Role.ADMINISTRATOR)
HATE_CENTRE_ROLES = (Role.HATE_COORDINATOR, Role.COORDINATOR, Role.ADMINISTRATOR)


def reads_hate_reports(member: Membership | None) -> bool:
    return member is not None and member.role in HATE_REPORT_ROLES


def manages_hate_centres(member: Membership | None) -> bool:
    return member is not None and member.role in HATE_CENTRE_ROLES


def require_hate_report_role(request) -> Membership:
    """For pages naming no one report (the list, the export): 403 without the role."""
    member = _member(request)
    if not reads_hate_reports(member):
        raise PermissionDenied("Only the hate crime coordinator can read hate reports.")
    return member


def visible_hate_reports(user):
    from .hate_reports.models import Report

    return Report.objects.filter(partnership__in=visible_strategies(user))


def get_hate_report(request, pk: int):
    from .hate_reports.models import Report

    member = _member(request)
    report = _get(Report.objects.select_related("centre", "partnership"), pk=pk)
    _require_partner(member, report.partnership_id)
    if not reads_hate_reports(member):
        raise PermissionDenied("Only the hate crime coordinator can read hate reports.")
    return report


def get_hate_centre(request, pk: int):
    """The centre and whether the reader may change it."""
    from .hate_reports.models import Centre

    member = _member(request)
    centre = _get(Centre.objects.select_related("partnership"), pk=pk)
    _require_partner(member, centre.partnership_id)
    return centre, manages_hate_centres(member)


def get_hate_partnership(request, pk: int) -> tuple[Strategy, bool]:
    """The partnership a centre is added to, and whether the reader may add one."""
    member = _member(request)
    strategy = _get(Strategy.objects.all(), pk=pk)
    _require_partner(member, strategy.pk)
    return strategy, manages_hate_centres(member)


# --- ASB Case Review (web/casereviews) ---------------------------------------------------------
# Applications name people: only the partnership's coordinator and administrators read them. The
# yearly figures are counts for publication, readable by every partner.

CASE_REVIEW_ROLES = (Role.COORDINATOR, Role.ADMINISTRATOR)


def manages_case_reviews(member: Membership | None) -> bool:
    return member is not None and member.role in CASE_REVIEW_ROLES


def require_case_review_role(request) -> Membership:
    member = _member(request)
    if not manages_case_reviews(member):
        raise PermissionDenied("Only the partnership's coordinator can read case reviews.")
    return member


def visible_case_reviews(user):
    from .casereviews.models import Application

    return Application.objects.filter(partnership__in=visible_strategies(user))


def get_case_review(request, pk: int):
    from .casereviews.models import Application

    member = _member(request)
    application = _get(Application.objects.select_related("partnership"), pk=pk)
    _require_partner(member, application.partnership_id)
    if not manages_case_reviews(member):
        raise PermissionDenied("Only the partnership's coordinator can read case reviews.")
    return application


def get_case_review_partnership(request, pk: int) -> tuple[Strategy, bool]:
    """The partnership whose figures or procedure are asked for, and whether the reader
    manages its case reviews."""
    member = _member(request)
    strategy = _get(Strategy.objects.all(), pk=pk)
    _require_partner(member, strategy.pk)
    return strategy, manages_case_reviews(member)


# --- data governance (web/governance) ----------------------------------------------------------
# The register of sources and the quarterly returns are the installation's (its warehouse's):
# administrators read and change them, coordinators read them, other partners get 403, and a
# member of an agency that is a partner of no strategy here is an outsider (404). The audit
# export is for administrators only.

def _governance_member(request) -> Membership:
    member = _member(request)
    if not member.is_administrator and not Strategy.partners.through.objects.filter(
            agency_id=member.agency_id).exists():
        raise Http404(NOT_FOUND)
    return member


def governance_reader(request) -> tuple[Membership, bool]:
    """The reader of the register and the returns tracker, and whether they may change them
    (edit entries, send reminders): administrators only."""
    member = _governance_member(request)
    if not member.manages_strategy:
        raise PermissionDenied("Only coordinators and administrators can read the register.")
    return member, member.is_administrator


def require_governance_admin(request) -> Membership:
    """Edit the register, send reminders, export the audit log: administrators; 403 otherwise."""
    member = _governance_member(request)
    if not member.is_administrator:
        raise PermissionDenied("Only administrators can do this.")
    return member


# --- partner intelligence (web/intelligence) ---------------------------------------------------
# The text is for its submitter and the partnership's analysts (and administrators); anyone
# else, partner or not, gets 404, so no one learns another partner's intelligence exists.

INTELLIGENCE_ROLES = (Role.ANALYST, Role.ADMINISTRATOR)


def analyses_intelligence(member: Membership | None) -> bool:
    return member is not None and member.role in INTELLIGENCE_ROLES


def require_intelligence_analyst(request) -> Membership:
    member = _member(request)
    if not analyses_intelligence(member):
        raise PermissionDenied("Only the partnership's analysts read partner intelligence.")
    return member


def visible_intelligence(user):
    from .intelligence.models import Intelligence

    return Intelligence.objects.filter(partnership__in=visible_strategies(user))


def get_intelligence(request, pk: int):
    """The item and whether the reader may triage it (an analyst of its partnership)."""
    from .intelligence.models import Intelligence

    member = _member(request)
    item = _get(Intelligence.objects.select_related("agency", "partnership"), pk=pk)
    analyst = analyses_intelligence(member) and is_partner(member, item.partnership_id)
    if not (analyst or item.submitted_by_id == request.user.pk):
        raise Http404(NOT_FOUND)
    return item, analyst


# --- Partnership Action Groups (web/actiongroups) ----------------------------------------------
# Every partner of the partnership reads its groups and problems (audited, as the plans may
# mention people); a group's work (problems, actions, reviews, closing) is written by the
# partnership's coordinators and administrators and by analysts and agency leads of the group's
# member agencies; setting up a group is for coordinators and administrators.

PAG_WORKER_ROLES = (Role.ANALYST, Role.LEAD)


def works_on_group(member: Membership | None, group) -> bool:
    """Whether ``member`` may write a group's problems (after a partner check)."""
    if member is None:
        return False
    if member.manages_strategy:
        return True
    return (member.role in PAG_WORKER_ROLES
            and group.members.filter(pk=member.agency_id).exists())


def visible_action_groups(user):
    from .actiongroups.models import ActionGroup

    return ActionGroup.objects.filter(partnership__in=visible_strategies(user))


def get_action_group(request, pk: int):
    """The group and whether the reader may work on its problems."""
    from .actiongroups.models import ActionGroup

    member = _member(request)
    group = _get(ActionGroup.objects.select_related("partnership"), pk=pk)
    _require_partner(member, group.partnership_id)
    return group, works_on_group(member, group)


def get_action_group_partnership(request, pk: int) -> tuple[Strategy, bool]:
    """The partnership a group is set up in, and whether the reader may set one up."""
    member = _member(request)
    strategy = _get(Strategy.objects.all(), pk=pk)
    _require_partner(member, strategy.pk)
    return strategy, member.manages_strategy


def get_action_group_to_manage(request, pk: int):
    """The group and whether the reader may change its name, sector and members: the
    partnership's coordinators and administrators."""
    group, _ = get_action_group(request, pk)
    return group, _member(request).manages_strategy


def get_problem(request, pk: int):
    """The problem and whether the reader may work on it (its group's workers)."""
    from .actiongroups.models import Problem

    member = _member(request)
    problem = _get(Problem.objects.select_related("group__partnership", "owner"), pk=pk)
    _require_partner(member, problem.group.partnership_id)
    return problem, works_on_group(member, problem.group)


# --- published evidence (web/evidence) ---------------------------------------------------------
# An assessment run or monthly pack belongs to one partnership (strategy). Its analysts,
# coordinator and administrators publish (``manages_data``) and see runs not yet published;
# every other partner reads only published runs, and a read-only member not a restricted one.
# Outsiders get 404.

def publishes_evidence(member: Membership | None) -> bool:
    return member is not None and member.manages_data


def get_evidence_partnership(request, pk: int) -> tuple[Strategy, bool]:
    """The partnership whose runs are listed or added to, and whether the reader publishes."""
    member = _member(request)
    strategy = _get(Strategy.objects.all(), pk=pk)
    _require_partner(member, strategy.pk)
    return strategy, publishes_evidence(member)


def can_read_run(member: Membership | None, run) -> bool:
    """A partner (already checked) may read ``run``: publishers always; others once it is
    published, and a read-only member only when it is not restricted. The one rule behind
    the run's pages, the list and the links to it."""
    if publishes_evidence(member):
        return True
    if member is None or not run.is_published:
        return False
    return not (run.restricted and member.role == Role.MEMBER)


def visible_runs(request, strategy: Strategy):
    """The partnership's runs the reader may open, newest period first."""
    from .evidence.models import Run

    member = membership(getattr(request, "user", None))
    runs = Run.objects.filter(partnership=strategy).select_related("published_by",
                                                                    "uploaded_by")
    return [r for r in runs if can_read_run(member, r)]


def get_evidence_run(request, pk: int):
    """The run and whether the reader may publish it; 404 for outsiders, 403 for a partner
    who may not read it yet (not published, or restricted)."""
    from .evidence.models import Run

    member = _member(request)
    run = _get(Run.objects.select_related("partnership", "published_by", "uploaded_by"), pk=pk)
    _require_partner(member, run.partnership_id)
    if not can_read_run(member, run):
        raise PermissionDenied("This run has not been published to you.")
    return run, publishes_evidence(member)


# --- The youth re-offending tracker (web/dashboards/youth.py) ----------------------------------
# It lists children by pseudonymised key with their offences: only the youth justice role and
# administrators may know it exists. Everyone else gets 404, as an outsider would.

YOUTH_TRACKER_ROLES = (Role.YOUTH_JUSTICE, Role.ADMINISTRATOR)


def reads_youth_tracker(member: Membership | None) -> bool:
    return member is not None and member.role in YOUTH_TRACKER_ROLES


def require_youth_tracker(request) -> Membership:
    member = _member(request)
    if not reads_youth_tracker(member):
        raise Http404(NOT_FOUND)
    return member
