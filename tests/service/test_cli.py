"""The ``gluteal-cds`` command line."""

from __future__ import annotations

import pytest

from cds_service.cli import build_parser, main


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


def test_explain_refuses_unknown_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "--present", "buttock-pian"]) == 2
    assert "buttock-pian" in capsys.readouterr().err


def test_serve_takes_host_port_and_workers() -> None:
    args = build_parser().parse_args(["serve", "--host", "::1", "--port", "9000", "--workers", "3"])

    assert (args.host, args.port, args.workers) == ("::1", 9000, 3)


def test_bad_configuration_is_reported_not_raised(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GLUTEAL_CDS_FHIR_MAX_PAGES", "many")

    assert main(["serve"]) == 2
    assert "GLUTEAL_CDS_FHIR_MAX_PAGES" in capsys.readouterr().err
