"""The demo partnership: a synthetic, Southampton-sized CSP, loaded through the real readers.

``generate(out, seed)`` writes the extract files (``writer.DemoFiles``); ``build(...)`` writes them
and ingests them with the same dispatcher ``safecity ingest`` uses. Calibration targets and the
exact definition of every headline key live in ``calibration.py``.
"""

from __future__ import annotations

from .build import build
from .generate import DEFAULT_SEED, generate
from .writer import DemoFiles

__all__ = ["DEFAULT_SEED", "DemoFiles", "build", "generate"]
