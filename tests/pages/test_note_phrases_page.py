"""/knowledge shows the words read in clinical notes, each with its finding code (issue 25)."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_the_knowledge_page_lists_note_phrases_with_their_finding_codes(
    client: FlaskClient,
) -> None:
    page = client.get("/knowledge").get_data(as_text=True)

    section = page[page.index('id="note-phrases"') :]
    assert 'data-finding="straight-leg-raise-positive"' in section
    assert "SLR" in section
    assert "FADIR" in section
    assert "prior-stress-fracture" in section


def test_the_knowledge_page_shows_the_words_that_say_a_finding_is_absent(
    client: FlaskClient,
) -> None:
    # Knowledge base 1.11.0: a reviewer sees that "afebrile" is read as fever absent.
    page = client.get("/knowledge").get_data(as_text=True)

    section = page[page.index('id="note-phrases"') :]
    fever = section[section.index('data-finding="fever"') :]
    row = fever[: fever.index("</tr>")]
    assert 'data-label="Words that say it is absent">afebrile; apyrexial' in row
