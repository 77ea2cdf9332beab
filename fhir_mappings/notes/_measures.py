"""A measure's phrase read by the value stated after it: a bladder scan's volume, a
temperature, a body mass index ("bladder scan 900 ml", "T 38.6", "BMI 17.2").

A number says more than a word, and is easier to misread: a threshold ("T > 38"), another
unit ("T 38 mm" of a film) or an impossible value says nothing.
"""

from __future__ import annotations

import re
from dataclasses import replace

from fhir_mappings.notes._nlp import Mention

__all__ = ["body_mass_index", "bone_density", "measured", "temperature"]

# "bladder scan 900 ml", "PVR: 450mL", "residual of 600 ml"
_VOLUME = re.compile(r"[\s:=(]*(?:(?:of|showed|shows|was)\s+)?(\d{2,4})\s*ml\b", re.IGNORECASE)
# "T 38.6", "Temp: 38.1C", "temp 101.3 F", "temperature of 37.2 °C": the reading right after
# the measure's name. A threshold ("T > 38", "temp over 38") is no reading: nothing between.
# Nor is a number with another unit ("T 38 mm" of a film, "T2 38 ms" of a sequence).
_TEMPERATURE = re.compile(
    r"[\s:=]*(?:(?:of|was|is|now)\s+)?(\d{2,3}(?:\.\d{1,2})?)(?![\d]|[/.]\d)"
    r"(?!\s*(?:mm|cm|ms|km|kg|mg|m|s|%)(?![a-z]))"  # a length, a time or a mass: no temperature
    r"\s*(?:°|deg\b|degrees\b)?\s*([cf])?(?![a-z])",
    re.IGNORECASE,
)
# "BMI 17.2", "BMI: 16", "BMI of 17.9 kg/m2": the value right after the name.
_BMI = re.compile(r"[\s:=]*(?:(?:of|was|is|now)\s+)?(\d{2}(?:\.\d{1,2})?)(?![\d.]\d)")
_BMI_RANGE = (10.0, 60.0)  # values outside are no adult's body mass index (a typo, a count)
# "DXA (2024): lumbar spine Z-score -0.4, hip Z-score -0.2", "DXA: T-score -2.7 L femoral
# neck": each score stated after the scan's name, in its sentence (notes-recall).
_BONE_SCORE = re.compile(
    r"\b[tz][- ]?scores?\s*(?:of|was|is|:|=)?\s*"
    r"([-+\u2212\u2013]?)\s?(\d(?:\.\d{1,2})?)(?!\d|\.\d)",
    re.IGNORECASE,
)
_SCORE_RANGE = 6.0  # a score further from 0 is no standard deviation score (a typo)
_FAHRENHEIT_FROM = 50.0  # a bare reading of 50 or more is in °F (body temperatures only)
_BODY_CELSIUS = (34.0, 43.0)  # readings outside are no body temperature (a typo, a count)


def temperature(text: str, mention: Mention, fever_from: float) -> Mention | None:
    """A temperature's name followed by its reading: fever at or above ``fever_from`` °C
    (a finding stated), a lower body temperature a measured absence (words stating it
    absent, which the finding's masks can hide: "on paracetamol", "yesterday"). A word
    before the name ("no rigors, T 38.5") negates the rigors, not the reading."""
    if not mention.exam:
        return mention
    reading = _TEMPERATURE.match(text, mention.end, mention.sentence[1])
    if reading is None:
        return None
    celsius = _celsius(float(reading.group(1)), (reading.group(2) or "").lower())
    if celsius is None:
        return None
    if celsius >= fever_from:
        return replace(mention, kind="finding", negated=False, positive=False)
    return replace(mention, kind="absent", negated=False, positive=False)


def body_mass_index(text: str, mention: Mention, below: float) -> Mention | None:
    """ "BMI 17.2": a body mass index under ``below`` is the finding stated; a higher one, a
    threshold ("BMI < 17.5") or the name alone says nothing (a normal BMI does not exclude low
    energy availability)."""
    if not mention.exam:
        return mention
    reading = _BMI.match(text, mention.end, mention.sentence[1])
    if reading is None or not _BMI_RANGE[0] <= float(reading.group(1)) < below:
        return None
    # A query beside it keeps its doubt ("Low energy availability suspected? BMI 17"): a
    # clinician unsure of the finding, whatever the number.
    return replace(mention, kind="finding", negated=False, positive=False)


def bone_density(text: str, mention: Mention, below: float) -> Mention:
    """A bone density scan's name followed by its T- or Z-scores: any score below ``below``
    is the finding stated, every score at or above it a measured absence; the name with no
    score keeps its own result, if any ("DXA +", "DXA requested")."""
    if not mention.exam:
        return mention
    scores = [
        (-1.0 if sign and sign != "+" else 1.0) * float(value)
        for sign, value in _BONE_SCORE.findall(text, mention.end, mention.sentence[1])
    ]
    scores = [score for score in scores if abs(score) <= _SCORE_RANGE]
    if not scores:
        return mention
    if min(scores) < below:
        return replace(mention, kind="finding", negated=False, positive=False)
    return replace(mention, kind="absent", negated=False, positive=False)


def _celsius(value: float, unit: str) -> float | None:
    """A reading in °C ("f": °F; no unit: °F from 50 up); None: no body temperature."""
    if unit == "f" or (not unit and value >= _FAHRENHEIT_FROM):
        value = (value - 32) * 5 / 9
    low, high = _BODY_CELSIUS
    return value if low <= value <= high else None


def measured(text: str, mention: Mention, threshold: int) -> Mention:
    """A measure's phrase followed by a volume at or above ``threshold`` ml: a positive
    result, whatever negation an earlier phrase of the sentence carries."""
    if not mention.exam:
        return mention
    volume = _VOLUME.match(text, mention.end, mention.sentence[1])
    if volume is None or int(volume.group(1)) < threshold:
        return mention
    return replace(mention, positive=True, negated=False)
