"""The chapter rules of CONTRIBUTING.md that can be counted.

- A code cell a student reads has at most 25 lines, and in the chapters
  that teach (1–9, and the numerics appendix) the median is 12 or fewer. The
  install cell, and cells whose source the book hides, are not read as part
  of the text.
- Chapters 1–4 together hold at most 11,000 words of prose, chapters 5–9 at
  most 14,000: every word of their markdown cells, exercise solutions
  included.
- No sentence refers to the outline or the README: the reader never saw them.
"""

import json
import re
import statistics
from pathlib import Path

import pytest

CHAPTERS = Path(__file__).resolve().parent.parent / "chapters"
ALL = sorted(CHAPTERS.glob("*.ipynb"))
THE_FUNCTIONS = [
    "01_what_is_relu",
    "02_what_is_leaky_relu",
    "03_mathematical_definitions",
    "04_advantages_of_relu",
]
IN_PRACTICE = [
    "05_advantages_of_leaky_relu",
    "06_disadvantages_of_relu",
    "07_disadvantages_of_leaky_relu",
    "08_code_example",
    "09_alternatives",
]
TEACH_FIRST = THE_FUNCTIONS + IN_PRACTICE + ["13_numerics"]
NOT_READ = {"install-actlib", "remove-cell", "remove-input", "hide-input"}
MAX_LINES, MEDIAN_LINES = 25, 12
WORD_LIMITS = [(THE_FUNCTIONS, 11_000), (IN_PRACTICE, 14_000)]


def cells(path, kind):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return [cell for cell in notebook["cells"] if cell["cell_type"] == kind]


def read_code_lengths(path):
    """Lines of each code cell the reader reads as part of the text."""
    return [
        len("".join(cell["source"]).splitlines())
        for cell in cells(path, "code")
        if not NOT_READ & set(cell["metadata"].get("tags", []))
    ]


def prose_words(path):
    return sum(len("".join(cell["source"]).split()) for cell in cells(path, "markdown"))


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_no_code_cell_is_over_25_lines(path):
    too_long = [n for n in read_code_lengths(path) if n > MAX_LINES]
    assert too_long == [], f"{path.name}: cells of {too_long} lines"


@pytest.mark.parametrize("name", TEACH_FIRST)
def test_most_cells_are_12_lines_or_fewer(name):
    lengths = read_code_lengths(CHAPTERS / f"{name}.ipynb")
    assert statistics.median(lengths) <= MEDIAN_LINES, sorted(lengths)


@pytest.mark.parametrize(
    "names, limit", WORD_LIMITS, ids=["chapters 1-4", "chapters 5-9"]
)
def test_each_part_holds_at_most_its_words(names, limit):
    words = {name: prose_words(CHAPTERS / f"{name}.ipynb") for name in names}
    assert sum(words.values()) <= limit, words


def test_the_counts_count_what_they_should(tmp_path):
    notebook = {
        "cells": [
            {
                "cell_type": "markdown",
                "metadata": {},
                "source": ["Two words\n", "and more."],
            },
            {"cell_type": "code", "metadata": {}, "source": ["a = 1\n", "b = 2"]},
            {
                "cell_type": "code",
                "metadata": {"tags": ["hide-input"]},
                "source": ["c"],
            },
        ]
    }
    path = tmp_path / "chapter.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    assert prose_words(path) == 4
    assert read_code_lengths(path) == [2]


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_no_sentence_refers_to_the_outline_or_the_readme(path):
    for cell in cells(path, "markdown"):
        text = "".join(cell["source"])
        assert not re.search(r"\bthe outline\b|\bREADME\b", text, re.IGNORECASE), text
