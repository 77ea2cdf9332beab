"""The feedback store itself: schema, shown cards, readiness."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from pytest_postgresql.janitor import DatabaseJanitor
from sqlalchemy import create_engine, inspect, select, text

from cds_service.app import create_app
from cds_service.settings import Settings
from cds_service.store import Feedback, FeedbackStore, StoreError, store_of
from cds_service.store._engine import normalise_url
from cds_service.store.models import Base, ShownCard
from tests.support.clock import FakeClock
from tests.support.shown import PATIENT, SALT, card, shown_event


def test_migrations_create_the_schema_on_an_empty_database(store: FeedbackStore) -> None:
    inspector = inspect(store.engine)

    tables = {"feedback_entries", "shown_cards", "seen_tokens", "smart_sessions"}
    assert tables <= set(inspector.get_table_names())
    with store.engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == "0004"


def test_migrations_match_the_models(store: FeedbackStore) -> None:
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)

    assert differences == []


def test_opening_twice_is_harmless(open_store: Callable[[], FeedbackStore]) -> None:
    open_store().save_feedback("s", [])

    assert open_store().ping()


def test_sqlite_file_and_its_directory_are_created_with_wal(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "feedback.sqlite3"

    store = FeedbackStore.open(f"sqlite:///{path}", patient_hash_salt=SALT)

    assert path.is_file()
    with store.engine.connect() as connection:
        assert connection.scalar(text("PRAGMA journal_mode")) == "wal"
        assert connection.scalar(text("PRAGMA synchronous")) == 1  # NORMAL: no fsync per commit
    store.close()


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


def test_an_unreachable_postgresql_is_named_with_the_reason_not_the_password() -> None:
    # Port 1 on loopback: nothing listens, the connection is refused at once.
    with pytest.raises(StoreError) as raised:
        FeedbackStore.open("postgresql://cds:hunter2@127.0.0.1:1/cds", patient_hash_salt=SALT)

    message = str(raised.value)
    assert "postgresql+psycopg://cds:***@127.0.0.1:1/cds" in message
    assert "Connection refused" in message
    assert "hunter2" not in message


def test_shown_cards_are_stored_with_what_they_were_about(
    store: FeedbackStore, clock: FakeClock
) -> None:
    clock.now = datetime(2026, 3, 1, 10, 30, 15, 250, tzinfo=timezone(timedelta(hours=-5)))
    store.queue_shown_cards(
        shown_event(
            card("c-1", "differential", conditions=("lumbar-disc-sciatica",)),
            card(
                "c-2",
                "next-test",
                conditions=("lumbar-disc-sciatica",),
                tests=("mri-lumbar-spine",),
            ),
            card("c-3", "avoid-test", tests=("xray-hip-pelvis",)),
            {"summary": "a card without uuid cannot receive feedback"},
        )
    )

    with store.session() as session:
        rows = {r.card_uuid: r for r in session.scalars(select(ShownCard))}
    assert set(rows) == {"c-1", "c-2", "c-3"}
    assert rows["c-1"].conditions == ["lumbar-disc-sciatica"]
    assert (rows["c-2"].topic, rows["c-2"].tests) == ("next-test", ["mri-lumbar-spine"])
    assert rows["c-2"].conditions == ["lumbar-disc-sciatica"]
    assert rows["c-3"].tests == ["xray-hip-pelvis"]
    assert {r.knowledge_version for r in rows.values()} == {"1.2.3"}
    assert {r.hook for r in rows.values()} == {"patient-view"}
    # Read back as the same instant, in UTC, to the microsecond, on either database.
    assert {r.shown_at for r in rows.values()} == {clock.now.astimezone(UTC)}


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
