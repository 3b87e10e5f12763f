"""Reading a YAML file a user gives (a mapping, a register entry, baskets, priorities input):
one sentence naming the file, and the line where the YAML breaks, instead of a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError


def read_yaml(path: str | Path, what: str, fix: str) -> Any:
    """The parsed content of ``path``; ConfigError "The {what} {path} …" when it cannot be
    read or is not valid YAML, with ``fix`` as the way on.

    >>> import tempfile, os
    >>> bad = os.path.join(tempfile.mkdtemp(), "m.yaml")
    >>> _ = open(bad, "w").write("kind: [unclosed")
    >>> try:
    ...     read_yaml(bad, "mapping file", "Check it.")
    ... except ConfigError as err:
    ...     print(str(err).replace(bad, "m.yaml"))
    The mapping file m.yaml, line 1, is not valid YAML. Check it.
    """
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"The {what} {path} cannot be read ({exc.strerror or exc}).",
                          fix="Check the path.") from None
    except UnicodeDecodeError:
        raise ConfigError(f"The {what} {path} cannot be read as UTF-8 text.",
                          fix="Save it as UTF-8.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}," if mark is not None else ""
        raise ConfigError(f"The {what} {path}{line} is not valid YAML.", fix=fix) from None
