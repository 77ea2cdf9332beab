"""A database failure told by the driver's reason, never the password, SQL or values."""

from __future__ import annotations

import pytest

from cds_service.store import FeedbackStore, StoreError
from tests.support.shown import SALT


def test_an_unreachable_postgresql_is_named_with_the_reason_not_the_password() -> None:
    # Port 1 on loopback: nothing listens, the connection is refused at once.
    with pytest.raises(StoreError) as raised:
        FeedbackStore.open("postgresql://cds:hunter2@127.0.0.1:1/cds", patient_hash_salt=SALT)

    message = str(raised.value)
    assert "postgresql+psycopg://cds:***@127.0.0.1:1/cds" in message
    assert "Connection refused" in message
    assert "hunter2" not in message
