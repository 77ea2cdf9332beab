"""Just enough HTML reading for the page tests (the standard library's parser)."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass
class Control:
    """A form control: its tag, attributes and whether a <label> wraps it."""

    tag: str
    attrs: dict[str, str]
    wrapped: bool


class Page(HTMLParser):
    """Form controls, labels, fieldsets and legends of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[Control] = []
        self.label_for: set[str] = set()
        self.fieldsets = 0
        self.legends = 0
        self._open_labels = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "label":
            self._open_labels += 1
            if "for" in values:
                self.label_for.add(values["for"])
        elif tag in {"input", "select", "textarea"} and values.get("type") != "hidden":
            self.controls.append(Control(tag, values, self._open_labels > 0))
        self.fieldsets += tag == "fieldset"
        self.legends += tag == "legend"

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._open_labels -= 1

    def checked(self, name: str) -> str | None:
        """The value of the checked radio of group ``name``."""
        for control in self.controls:
            if control.attrs.get("name") == name and "checked" in control.attrs:
                return control.attrs["value"]
        return None


def read_page(text: str) -> Page:
    """The controls of the HTML ``text``."""
    page = Page()
    page.feed(text)
    return page


def section(page: str, start: str, end: str) -> str:
    """The text of ``page`` from ``start`` to the next ``end`` after it."""
    return page[page.index(start) : page.index(end, page.index(start))]
