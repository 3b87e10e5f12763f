"""The demo's register of sources for ``safecity web demo``.

``safecity demo`` registers its sources in the warehouse before it loads them. When the app's
demo is loaded on a fresh SAFECITY_HOME with no warehouse yet, the same entries are registered
here, so the register, the returns tracker and the privacy page are not empty. A warehouse that
holds data but no register is left alone: the register is the partnership's to write."""

from __future__ import annotations


def load() -> list[str]:
    from ...engine.demo.register import register_demo_sources
    from ...engine.errors import SafecityError
    from ...engine.governance.register import load_register
    from ...engine.warehouse import Warehouse
    from .services import warehouse_root

    root = warehouse_root()
    try:
        entries = load_register(root)
    except SafecityError as exc:
        return [f"The register of sources was not loaded: {exc.message}"]
    if not entries and not Warehouse(root).exists():
        register_demo_sources(root)
        entries = load_register(root)
        return [f"Registered the demo's {len(entries)} sources in the register of sources."]
    return [f"The register of sources has {len(entries)} entr"
            f"{'y' if len(entries) == 1 else 'ies'}."]
