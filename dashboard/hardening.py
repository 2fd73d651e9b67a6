"""What the app tells about the server it runs on: as little as the browser needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dash


def hide_python_version(app: dash.Dash) -> None:
    """Leave the Python version out of the ``_dash-config`` every page carries (the renderer never reads it).

    A version number helps only someone looking for a known hole in that release.
    """
    original: Callable[[], dict[str, Any]] = app._config  # type: ignore[attr-defined]

    def _config() -> dict[str, Any]:
        config = original()
        config.pop("python_version", None)
        return config

    app._config = _config  # type: ignore[method-assign]
