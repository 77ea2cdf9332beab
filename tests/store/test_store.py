"""The feedback store itself: schema, shown cards, readiness."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pytest
from pytest_postgresql.janitor import DatabaseJanitor
from sqlalchemy import create_engine, inspect, select, text

from cds_service.app import create_app
from cds_service.settings import Settings
from cds_service.store import Feedback, FeedbackStore, StoreError, store_of
from cds_service.store._engine import normalise_url
from cds_service.store.models import ShownCard
from tests.support.clock import FakeClock
from tests.support.shown import PATIENT, SALT, card, shown_event


def test_unreachable_database_is_not_ready(
    store: FeedbackStore, database_url: str, tmp_path: Path
) -> None:
    unreachable = (
        f"sqlite:///{tmp_path / 'no-such-dir' / 'x.sqlite3'}"
        if database_url.startswith("sqlite")
        else database_url.rsplit("/", 1)[0] + "/no_such_database"
    )
    broken = FeedbackStore(create_engine(normalise_url(unreachable)), patient_hash_salt=SALT)

    assert store.ping()
    assert not broken.ping()
    broken.close()


def test_patient_id_is_kept_only_as_a_salted_hash(store: FeedbackStore, database_url: str) -> None:
    store.queue_shown_cards(shown_event(card("c-1", "differential")))

    expected = hmac.new(SALT.encode(), PATIENT.encode(), hashlib.sha256).hexdigest()
    with store.session() as session:
        assert session.scalars(select(ShownCard.patient_hash)).all() == [expected]
    assert expected != hashlib.sha256(PATIENT.encode()).hexdigest()  # unsalted would be guessable
    assert PATIENT not in _everything_stored(store)
    if database_url.startswith("sqlite"):
        database = Path(database_url.removeprefix("sqlite:///"))
        for file in database.parent.iterdir():
            assert PATIENT.encode() not in file.read_bytes(), file.name


def _everything_stored(store: FeedbackStore) -> str:
    with store.engine.connect() as connection:
        tables = inspect(connection).get_table_names()
        rows = [connection.execute(text(f"SELECT * FROM {t}")).all() for t in tables]  # noqa: S608
    return repr(rows)


def test_feedback_batch_is_all_or_nothing(store: FeedbackStore, clock: FakeClock) -> None:
    good = Feedback(card_uuid="c-1", outcome="accepted", outcome_timestamp=clock())
    broken = Feedback(card_uuid="c-2", outcome="accepted", outcome_timestamp=None)  # type: ignore[arg-type]

    with pytest.raises(StoreError):
        store.save_feedback("svc", [good, broken])

    assert store.report().unmatched_feedback == 0


@pytest.mark.postgres
def test_database_down_at_start_up_is_migrated_once_it_answers(
    request: pytest.FixtureRequest,
) -> None:
    server = request.getfixturevalue("postgresql_proc")
    url = f"postgresql://{server.user}@{server.host}:{server.port}/created_late"
    app = create_app(Settings(database_url=url, patient_hash_salt=SALT))  # no exception
    store = store_of(app)
    client = app.test_client()

    assert client.get("/readyz").get_json()["failing"] == ["database"]

    assert not store.ping()
    with DatabaseJanitor(
        user=server.user, host=server.host, port=server.port, dbname="created_late"
    ):
        assert store.ping()
        assert "seen_tokens" in inspect(store.engine).get_table_names()
        store.close()
