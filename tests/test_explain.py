"""``gluteal-cds explain``: the differential as tables, and with ``--note FILE`` a note's
findings read, shown and counted (issue 25)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cds_service.cli import main


def test_explain_reads_a_note_and_marks_its_context(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    note = tmp_path / "note.txt"
    note.write_text("R buttock pain past the knee. Denies saddle numbness. FHx: mum breast ca.")

    status = main(["explain", "--note", str(note)])

    out = capsys.readouterr().out
    assert status == 0
    assert "R [[buttock pain]] [[past the knee]]. Denies [[saddle numbness]]." in out
    assert "“saddle numbness” -> saddle-numbness: absent (negated)" in out
    assert "“breast ca” -> cancer-history: not a finding (family)" in out
    assert "lumbar-disc-sciatica" in out.split("knowledge base")[1]


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-8-sig"])
def test_a_note_saved_in_a_windows_encoding_is_read_as_the_hook_reads_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    # Review 10: a Word smart quote (cp1252 0x92) crashed explain with UnicodeDecodeError.
    text = "L buttock pain, pt\u2019s hop test painful." if encoding != "latin-1" else "Pt's"
    note = tmp_path / "note.txt"
    note.write_bytes((text + " Sits-bone pain, caf\u00e9.").encode(encoding))

    status = main(["explain", "--note", str(note)])

    captured = capsys.readouterr()
    assert status == 0
    assert "Traceback" not in captured.err
    assert ("pt\u2019s" if encoding != "latin-1" else "Pt's") in captured.out  # as written
    assert "caf\u00e9." in captured.out
    assert "-> sits-bone-pain: present" in captured.out


def test_a_code_given_on_the_command_line_wins_over_the_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Buttock pain. New saddle numbness.")

    main(["explain", "--note", str(note), "--absent", "saddle-numbness"])

    assert "red flags:" not in capsys.readouterr().out


def test_a_note_longer_than_the_service_reads_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Buttock pain. " * 20_000)  # 280 000 characters

    assert main(["explain", "--note", str(note)]) == 2
    captured = capsys.readouterr()
    assert "longer than the service reads (200 kB)" in captured.err
    assert "knowledge base" not in captured.out


def test_explain_prints_a_ranked_table(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["explain", "--present", "buttock-pain,pain-radiates-below-knee"])

    out = capsys.readouterr().out
    assert status == 0
    assert "knowledge base" in out
    assert "condition" in out
    assert "likely" in out


def test_explain_tells_an_absent_finding_from_a_present_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["explain", "--present", "buttock-pain", "--absent", "pain-radiates-below-knee"])

    rows = {
        line.split()[1]: line for line in capsys.readouterr().out.splitlines() if line[:1].isdigit()
    }
    assert "no pain-radiates-below-knee" in rows["lumbar-disc-sciatica"]
    # The absent hallmark of sciatica is no reason for gluteus medius syndrome (issue 13).
    assert "no pain-radiates-below-knee" not in rows["gluteus-medius-syndrome"]


def test_explain_without_complaint_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "--absent", "buttock-pain"]) == 0
    assert "no presenting complaint" in capsys.readouterr().out
