"""Publishing from the command line (``safecity web publish``): the same checks as the upload
form, for a run folder or a zip, by a named user who may publish for the partnership."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model

from ...engine.errors import SafecityError
from .. import access
from ..strategy.models import Strategy
from . import services
from .bundle import MAX_TOTAL_BYTES, read_directory, read_zip
from .models import Run


class PublishError(SafecityError):
    """The run, the user or the partnership is not one that can be published; says why."""


def publish_path(path: Path, *, username: str, strategy_id: int | None = None,
                 draft: bool = False, restricted: bool = False) -> Run:
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    member = access.membership(user)
    if member is None or not access.publishes_evidence(member):
        raise PublishError(f"{username!r} is not an active analyst, coordinator or "
                           "administrator.", fix="Give --user the user name of someone who "
                           "publishes for the partnership.")
    strategies = [s for s in access.visible_strategies(user)
                  if strategy_id is None or s.pk == strategy_id]
    if len(strategies) != 1:
        known = ", ".join(f"{s.pk} ({s.title})" for s in access.visible_strategies(user))
        raise PublishError(
            "No partnership with that id is one this user publishes for." if strategy_id
            else "This user publishes for several partnerships.",
            fix=f"Give --strategy one of: {known or 'none'}.")
    strategy: Strategy = strategies[0]
    if path.is_dir():
        bundle = read_directory(path)
    else:
        if path.stat().st_size > MAX_TOTAL_BYTES:
            raise PublishError(f"{path}: the file is larger than {MAX_TOTAL_BYTES // 2**20} MB, "
                               "far more than a run needs.", fix="Give the run's own folder.")
        bundle = read_zip(path.read_bytes(), str(path))
    return services.store(bundle, strategy, user, publish=not draft, restricted=restricted)


def publish_demo_runs(folder: Path, username: str = "analyst") -> list[str]:
    """Publish each run under ``folder`` (the demo's $SAFECITY_HOME/assessments) that is not
    in the app yet, as the demo analyst; one line said per run."""
    lines = []
    if not folder.is_dir():
        return lines
    for run_dir in sorted(p for p in folder.iterdir() if (p / "assessment.json").is_file()):
        bundle = read_directory(run_dir)
        if Run.objects.filter(generated_at=bundle.generated_at, area_code=bundle.area_code,
                              period_start=bundle.period_start,
                              period_end=bundle.period_end).exists():
            continue
        user = get_user_model().objects.filter(username=username).first()
        strategies = list(access.visible_strategies(user))
        if not strategies:
            break
        run = services.store(bundle, strategies[0], user, publish=True)
        lines.append(f"Published {run.title} to the app (from {run_dir}).")
    return lines
