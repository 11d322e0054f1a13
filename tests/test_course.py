"""Checks that the instructors' page, course.md, matches the book as it is.

The page lists the chapters with their minutes and homework exercises, and a
schedule of sessions. These tests read course.md, _toc.yml and the chapter
notebooks, and fail when the page links a chapter that does not exist, calls
a chapter unfinished, uses an exercise label that no chapter defines, quotes
a section title that its chapter does not have, leaves out a chapter of the
table of contents or the exercises of a chapter, or gives a session more
minutes than its slot.
"""

import re
from pathlib import Path

import nbformat
import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
COURSE = REPO / "course.md"
# The references page is a list of works, not a chapter to teach.
NOT_TAUGHT = {"chapters/10_references"}
UNFINISHED = (
    "being written",
    "still being",
    "to be revised",
    "not yet written",
    "draft",
    "outline",
)

CHAPTER_LINK = re.compile(r"\]\((chapters/[^)#\s]+)")
DOC_ROLE = re.compile(r"\{doc\}`(?:[^`<]*<)?([^`>]+)>?`")
REF_ROLE = re.compile(r"\{ref\}`(?:[^`<]*<)?([^`>]+)>?`")
LABEL = re.compile(r"^:label:\s*(\S+)", re.MULTILINE)
TARGET = re.compile(r"^\(([^)\s]+)\)=\s*$", re.MULTILINE)
# "Ch. 4 (25 of its 60 min)", "Cheat sheet (5 of its 5 min)"
IN_CLASS = re.compile(
    r"(Ch\. (\d+)|Cheat sheet|Explorer|Numerics appendix) \((\d+) of its (\d+) min\)"
)
NAMED_PARTS = {"Cheat sheet": 11, "Explorer": 12, "Numerics appendix": 13}
# '"Variants" and "Leaky ReLU keeps no exact zeros" (chapter 2)': quoted section
# titles, then the chapter they are in.
QUOTED_SECTIONS = re.compile(r'((?:"[^"|]+"(?: and |, )?)+) \(chapter (\d+)\)')
HEADING = re.compile(r"^#+\s+(.+?)\s*$", re.MULTILINE)


def course_text(path=COURSE):
    return path.read_text(encoding="utf-8")


def toc_files(toc=REPO / "_toc.yml"):
    data = yaml.safe_load(toc.read_text(encoding="utf-8"))
    files = [data["root"]]
    for part in data.get("parts", []):
        files += [entry["file"] for entry in part.get("chapters", [])]
    return files


def chapter_exercises(notebook):
    # The exercise labels and MyST targets a chapter defines.
    nb = nbformat.read(notebook, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return set(LABEL.findall(text)), set(TARGET.findall(text))


def defined_labels(root=REPO):
    labels = set()
    for notebook in sorted((root / "chapters").glob("*.ipynb")):
        exercises, targets = chapter_exercises(notebook)
        labels |= exercises | targets
    for page in sorted(root.glob("*.md")):
        labels |= set(TARGET.findall(page.read_text(encoding="utf-8")))
    return labels


def table_rows(text, first_header):
    # The rows of the Markdown table whose header starts with first_header.
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(f"| {first_header} |"):
            header = [cell.strip() for cell in line.strip("|").split("|")]
            rows = []
            for row in lines[i + 2 :]:
                if not row.startswith("|"):
                    break
                cells = [cell.strip() for cell in row.strip("|").split("|")]
                rows.append(dict(zip(header, cells, strict=True)))
            return rows
    raise AssertionError(f"no table with the header {first_header!r}")


def chapter_number(cell):
    match = re.search(r"chapters/(\d+)_", cell)
    return int(match.group(1)) if match else None


def broken_chapter_links(text, root=REPO):
    targets = CHAPTER_LINK.findall(text)
    broken = [t for t in targets if not (root / t).is_file()]
    for doc in DOC_ROLE.findall(text):
        if not any((root / f"{doc}{ext}").is_file() for ext in (".md", ".ipynb")):
            broken.append(doc)
    return broken


def unfinished_phrases(text):
    lowered = text.lower()
    return [phrase for phrase in UNFINISHED if phrase in lowered]


def undefined_refs(text, labels):
    return sorted(set(REF_ROLE.findall(text)) - labels)


def missing_chapters(text, files):
    linked = {t.removesuffix(".ipynb") for t in CHAPTER_LINK.findall(text)}
    linked |= set(DOC_ROLE.findall(text))
    wanted = [f for f in files if f.startswith("chapters/") and f not in NOT_TAUGHT]
    return [f for f in wanted if f not in linked]


def chapters_without_homework(text, root=REPO):
    used = set(REF_ROLE.findall(text))
    missing = []
    for notebook in sorted((root / "chapters").glob("*.ipynb")):
        exercises, _ = chapter_exercises(notebook)
        if exercises and not exercises & used:
            missing.append(notebook.name)
    return missing


def missing_sections(text, root=REPO):
    """Quoted section titles that the chapter named after them does not have."""
    missing = []
    for titles, number in QUOTED_SECTIONS.findall(text):
        notebook = next((root / "chapters").glob(f"{int(number):02d}_*.ipynb"), None)
        if notebook is None:
            missing.append(f"chapter {number}")
            continue
        nb = nbformat.read(notebook, as_version=4)
        markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        headings = set(HEADING.findall(markdown))
        for title in re.findall(r'"([^"]+)"', titles):
            if title not in headings:
                missing.append(f"{title!r} (chapter {number})")
    return missing


def chapter_lecture_minutes(text):
    minutes = {}
    for row in table_rows(text, "Chapter"):
        number = chapter_number(row["Chapter"])
        if number is not None and row["Lecture (min)"].isdigit():
            minutes[number] = int(row["Lecture (min)"])
    return minutes


def schedule_problems(text):
    problems = []
    chapter_minutes = chapter_lecture_minutes(text)
    rows = table_rows(text, "Session")
    if not rows:
        problems.append("the schedule has no sessions")
    columns = ("Slot (min)", "Lecture (min)", "Lab (min)", "Break (min)", "In class")
    for row in rows:
        name = row["Session"]
        if not all(column in row for column in columns):
            problems.append(f"session {name}: the schedule needs the columns {columns}")
            continue
        slot, lecture, lab, pause = (
            int(row[column])
            for column in ("Slot (min)", "Lecture (min)", "Lab (min)", "Break (min)")
        )
        if lecture + lab + pause != slot:
            problems.append(f"session {name}: {lecture} + {lab} + {pause} != {slot}")
        parts = IN_CLASS.findall(row["In class"])
        if sum(int(given) for *_, given, _ in parts) != lecture:
            problems.append(f"session {name}: its chapters' minutes are not {lecture}")
        for part, number, given, whole in parts:
            chapter = int(number) if number else NAMED_PARTS[part]
            if chapter_minutes.get(chapter) != int(whole):
                problems.append(
                    f"session {name}: {part} has {chapter_minutes.get(chapter)} "
                    f"lecture minutes in the chapter table, not {whole}"
                )
            if int(given) > int(whole):
                problems.append(f"session {name}: {part} gets {given} of {whole}")
    return problems


def test_chapter_links_exist():
    assert broken_chapter_links(course_text()) == []


def test_no_chapter_is_called_unfinished():
    assert unfinished_phrases(course_text()) == []


def test_every_ref_is_defined_in_a_chapter():
    assert undefined_refs(course_text(), defined_labels()) == []


def test_every_quoted_section_is_in_its_chapter():
    text = course_text()
    assert QUOTED_SECTIONS.search(text), "the page quotes no section any more"
    assert missing_sections(text) == []


def test_every_chapter_of_the_toc_is_on_the_page():
    assert missing_chapters(course_text(), toc_files()) == []


def test_every_chapter_with_exercises_has_homework():
    assert chapters_without_homework(course_text()) == []


def test_sessions_add_up_to_their_slots():
    assert schedule_problems(course_text()) == []


@pytest.mark.parametrize(
    ("old", "new", "check"),
    [
        ("chapters/05_advantages", "chapters/55_advantages", "links"),
        ("{doc}`glossary`", "{doc}`glossaries`", "links"),
        ("## Chapter by chapter", "## Chapter by chapter (5 is being written)", "wip"),
        ("<relu-ex-tent>", "<relu-ex-tents>", "refs"),
        ("(chapters/13_numerics.ipynb)", "(13_numerics.md)", "toc"),
        ("<num-ex-", "<num-exercise-", "homework"),
        ('"Still unbounded" (chapter 7)', '"Still bounded" (chapter 7)', "sections"),
        (
            '"Unbounded output" (chapter 6)',
            '"Unbounded output" (chapter 5)',
            "sections",
        ),
        ("| 1 (week 1) | 120 | 55 |", "| 1 (week 1) | 120 | 65 |", "schedule"),
        ("Ch. 2 (25 of its 40 min)", "Ch. 2 (25 of its 45 min)", "schedule"),
        ("Ch. 2 (25 of its 40 min)", "Ch. 2 (15 of its 40 min)", "schedule"),
    ],
)
def test_the_checks_catch_a_broken_page(old, new, check):
    text = course_text()
    assert old in text, f"the page no longer contains {old!r}"
    broken = text.replace(old, new)
    found = {
        "links": broken_chapter_links,
        "wip": unfinished_phrases,
        "refs": lambda t: undefined_refs(t, defined_labels()),
        "toc": lambda t: missing_chapters(t, toc_files()),
        "homework": chapters_without_homework,
        "sections": missing_sections,
        "schedule": schedule_problems,
    }[check](broken)
    assert found, f"replacing {old!r} by {new!r} went unnoticed"
