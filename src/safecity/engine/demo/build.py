"""Write the demo files and load them through the ordinary ingest dispatcher."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import settings
from ..errors import ConfigError
from ..progress import NULL, Progress
from .generate import DEFAULT_SEED, generate
from .register import register_demo_sources
from .writer import DemoFiles


@dataclass(frozen=True)
class DemoBuild:
    files: DemoFiles
    reports: tuple  # (source kind, IngestReport) in load order


def default_folder() -> Path:
    return settings.home() / "demo"


def build(out: Path | None = None, seed: int = DEFAULT_SEED, warehouse: Path | None = None,
          progress: Progress = NULL) -> DemoBuild:
    """Generate the demo into ``out`` (default ``$SAFECITY_HOME/demo``) and ingest every file.

    Ingest is the real path (``safecity.engine.ingest.run.ingest_paths``): pseudonymised keys,
    rejects, manifest. Running it again with the same seed changes nothing (same file hashes).
    """
    from ..ingest.run import ingest_paths

    folder = Path(out) if out else default_folder()
    try:
        files = generate(folder, seed=seed, progress=progress)
    except OSError as exc:  # a read-only or full disk, a file where the folder should be
        raise ConfigError(f"The demo files cannot be written to {folder}: "
                          f"{exc.strerror or exc}.",
                          fix="Choose a writable folder with --out (or set SAFECITY_HOME).") from None
    target = settings.warehouse_dir(warehouse)
    register_demo_sources(target)  # the demo loads under its own (made-up) agreements
    reports = []
    for source, paths, mapping in files.plan():
        report = ingest_paths(paths, source=source, warehouse=target, mapping=mapping,
                              progress=progress)
        reports.append((source, report))
    return DemoBuild(files, tuple(reports))
