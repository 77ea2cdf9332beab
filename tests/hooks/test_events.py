"""Hook listeners: a failing one does not fail the call (what they hear: tests/api/test_hooks)."""

from __future__ import annotations

from flask import Flask

from cds_service.hooks.events import HookCallEvent
from cds_service.runtime import runtime
from tests.support.hook_requests import hook_request

URL = "/cds-services/gluteal-pain-differential"


def test_failing_listener_does_not_fail_the_call(app: Flask) -> None:
    def broken(_: HookCallEvent) -> None:
        raise RuntimeError("store down")

    runtime(app).hook_listeners.append(broken)

    assert app.test_client().post(URL, json=hook_request()).status_code == 200
