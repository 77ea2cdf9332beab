"""The service as production builds it, for tests: settings and clock passed in."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Flask

from cds_service.app import create_app
from cds_service.settings import Settings
from cds_service.store import store_of

__all__ = ["AppMaker"]


@dataclasses.dataclass
class AppMaker:
    """Builds apps (again, as a restart would) from base settings; closes their stores."""

    settings: Settings
    clock: Callable[[], datetime]
    built: list[Flask] = dataclasses.field(default_factory=list)

    def __call__(self, **overrides: Any) -> Flask:
        """An app with the base settings, ``overrides`` replacing some of them."""
        settings = dataclasses.replace(self.settings, **overrides)
        self.built.append(create_app(settings, clock=self.clock))
        return self.built[-1]

    def close(self) -> None:
        """Close the store of every app built."""
        for app in self.built:
            store_of(app).close()
