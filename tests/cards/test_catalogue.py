"""The test catalogue: every test of the code tables, named as a card says it mid-sentence."""

from __future__ import annotations

from cards.catalogue import TESTS, catalogue_entry
from terminology import code_tables


def test_every_test_of_the_code_tables_is_in_the_catalogue() -> None:
    assert list(TESTS) == [test.code for test in code_tables().tests]


def test_a_study_keeps_its_name_and_an_exam_reads_in_lower_case() -> None:
    displays = {test.code: test.display for test in code_tables().tests}
    mri, hop = TESTS["mri-hip-pelvis"], TESTS["exam-single-leg-hop"]

    assert mri.name == displays["mri-hip-pelvis"]
    assert hop.name == displays["exam-single-leg-hop"].lower()
    assert TESTS["labs-infection"].name == "blood count, CRP and ESR"  # shorter than the display


def test_imaging_with_codes_is_orderable_with_the_first_code_of_a_cpt_range() -> None:
    xray = TESTS["xray-hip-pelvis"]
    [tables_xray] = (t for t in code_tables().tests if t.code == "xray-hip-pelvis")

    assert xray.orderable
    assert (xray.loinc, xray.cpt) == (tables_xray.loinc[0], tables_xray.cpt[0])
    assert not TESTS["exam-piriformis"].orderable  # an exam is done, not ordered
    assert not TESTS["ct-lumbar-spine"].orderable  # no LOINC: no draft order


def test_a_test_that_will_not_help_says_why_and_an_unknown_code_is_none() -> None:
    assert TESTS["xray-hip-pelvis"].why_not
    assert TESTS["mri-hip-pelvis"].why_not is None
    assert catalogue_entry("mri-whole-body") is None
