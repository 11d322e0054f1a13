"""The chapter rules of CONTRIBUTING.md that can be counted.

- A code cell a student reads has at most 25 lines, and in the chapters
  rewritten to teach first (1–4, and the numerics appendix) the median is 12
  or fewer. The install cell, and cells whose source the book hides, are not
  read as part of the text.
- Chapters 1–4 together hold at most 11,000 words of prose: every word of
  their markdown cells, exercise solutions included.
- No sentence refers to the outline or the README: the reader never saw them.
"""

import json
import re
import statistics
from pathlib import Path

import pytest

CHAPTERS = Path(__file__).resolve().parent.parent / "chapters"
ALL = sorted(CHAPTERS.glob("*.ipynb"))
TEACH_FIRST = [
    "01_what_is_relu",
    "02_what_is_leaky_relu",
    "03_mathematical_definitions",
    "04_advantages_of_relu",
    "13_numerics",
]
NOT_READ = {"install-actlib", "remove-cell", "remove-input", "hide-input"}
MAX_LINES, MEDIAN_LINES, MAX_WORDS = 25, 12, 11_000


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


def test_chapters_1_to_4_hold_at_most_11000_words():
    words = {name: prose_words(CHAPTERS / f"{name}.ipynb") for name in TEACH_FIRST[:4]}
    assert sum(words.values()) <= MAX_WORDS, words


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
