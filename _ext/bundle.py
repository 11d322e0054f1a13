"""The download bundle: the chapters, and what they need to run, in one zip.

A reader who wants to run the chapters without a clone of the repository
downloads ``relu-book.zip`` from the root of the built book, unzips it, and
follows its README: make a virtual environment, install, ``jupyter lab``. The
zip holds one folder, ``relu-book/``::

    README.md                 the commands, for Linux, macOS and Windows
    requirements.txt          the pins the chapters need, from requirements.txt
    chapters/*.ipynb          every chapter, as stored (executed)
    chapters/actlib-*.whl     actlib, built from this checkout
    benchmarks/*.py           the accuracy harness the numerics appendix imports

The wheel lies beside the notebooks: a chapter's first cell installs actlib
from it when actlib is missing (tools/install_cell.py).

The zip is made when the HTML builder starts, before any page is written: a
failure (pip cannot build the wheel, a pin is missing) stops the build with a
message that says what went wrong, and every page can state the zip's size.
In the pages, the role ``{bundle}`link text``` links to the zip (the intro uses
it), and every chapter page gets a note under its title with the same link.
"""

import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from importlib import metadata
from itertools import product
from pathlib import Path
from string import Template

from docutils import nodes
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

logger = logging.getLogger(__name__)

#: The zip's name, at the root of the built book, and the folder inside it.
ZIP_NAME = "relu-book.zip"
FOLDER = "relu-book"
README_TEMPLATE = Path("tools", "bundle_readme.md")
#: What a reader needs besides actlib's own dependencies (read from
#: pyproject.toml): a kernel, the explorer's widgets, JupyterLab, and mpmath for
#: the accuracy harness (benchmarks/accuracy.py) that the numerics appendix runs.
READER_NEEDS = ("ipykernel", "ipywidgets", "jupyterlab", "mpmath")
#: The readers' systems and Pythons: a package is pinned with an environment
#: marker when only some of them need it (pexpect, say, is not for Windows).
PLATFORMS = {
    "linux": {"os_name": "posix", "platform_system": "Linux"},
    "darwin": {"os_name": "posix", "platform_system": "Darwin"},
    "win32": {"os_name": "nt", "platform_system": "Windows"},
}
PYTHONS = ("3.11", "3.12", "3.13", "3.14")


# --- The pinned requirements ---------------------------------------------------


def pins(requirements):
    """``{canonical name: "name==version"}`` for each pin of a requirements file."""
    found = {}
    for line in Path(requirements).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line and not line.startswith("-"):
            found[canonicalize_name(Requirement(line).name)] = line
    return found


def _environment(platform, python):
    return {
        "sys_platform": platform,
        **PLATFORMS[platform],
        "python_version": python,
        "python_full_version": f"{python}.0",
        "platform_machine": "x86_64",
        "platform_python_implementation": "CPython",
        "implementation_name": "cpython",
    }


def _needed(roots, environment):
    """Every distribution ``roots`` pull in on ``environment``, by canonical name.

    Read from the metadata of the installed distributions, so from the
    environment that requirements.txt made. A dependency that is not installed
    here (pywinpty, say, on Linux) is not followed further.
    """
    seen, todo = set(), [(root, frozenset()) for root in roots]
    while todo:
        name, extras = todo.pop()
        if (canonicalize_name(name), extras) in seen:
            continue
        seen.add((canonicalize_name(name), extras))
        try:
            requires = metadata.distribution(name).requires or []
        except metadata.PackageNotFoundError:
            continue
        for line in requires:
            requirement = Requirement(line)
            marker = requirement.marker
            if marker is None or any(
                marker.evaluate({**environment, "extra": extra})
                for extra in extras or {""}
            ):
                todo.append((requirement.name, frozenset(requirement.extras)))
    return {name for name, _ in seen}


def _marker(where):
    """An environment marker for a set of (platform, python) pairs, or ""."""
    platforms = sorted({platform for platform, _ in where})
    pythons = sorted({python for _, python in where})
    if set(product(platforms, pythons)) != where:
        return ""  # no simple marker says it: install it everywhere
    parts = []
    if len(platforms) == len(PLATFORMS) - 1:
        (other,) = set(PLATFORMS) - set(platforms)
        parts.append(f'sys_platform != "{other}"')
    elif len(platforms) == 1:
        parts.append(f'sys_platform == "{platforms[0]}"')
    if len(pythons) < len(PYTHONS):
        if pythons[0] == PYTHONS[0]:
            parts.append(f'python_version < "{PYTHONS[len(pythons)]}"')
        elif pythons[-1] == PYTHONS[-1]:
            parts.append(f'python_version >= "{pythons[0]}"')
    return " and ".join(parts)


def reader_requirements(repo):
    """The lines of the bundle's requirements.txt: a subset of requirements.txt.

    The pins of actlib's dependencies, of READER_NEEDS and of everything they
    pull in on Linux, macOS or Windows, in requirements.txt's order, each with
    an environment marker where only some systems need it. A dependency that
    requirements.txt does not pin (pywinpty, on Windows only) is left to pip.
    """
    repo = Path(repo)
    pinned = pins(repo / "requirements.txt")
    project = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))
    roots = [Requirement(d).name for d in project["project"]["dependencies"]]
    roots += READER_NEEDS
    unpinned = [root for root in roots if canonicalize_name(root) not in pinned]
    if unpinned:
        raise ExtensionError(
            f"bundle: requirements.txt pins no version of {', '.join(unpinned)}, "
            "which the chapters need; pin it there (name==version)"
        )
    where = {}
    for platform, python in product(PLATFORMS, PYTHONS):
        for name in _needed(roots, _environment(platform, python)):
            where.setdefault(name, set()).add((platform, python))
    lines = []
    for name, pin in pinned.items():
        if name in where:
            marker = _marker(where[name])
            lines.append(f"{pin}; {marker}" if marker else pin)
    return lines


# --- The wheel -----------------------------------------------------------------


def build_wheel(repo, dest):
    """Build actlib's wheel from ``repo`` into ``dest``, offline; its path.

    pip builds in the source tree (a build/ folder, an egg-info), so it builds
    from a copy of what the wheel is made of, and leaves the checkout alone.
    """
    repo, dest = Path(repo), Path(dest)
    with tempfile.TemporaryDirectory(prefix="actlib-wheel-") as tmp:
        source = Path(tmp, "actlib-source")
        source.mkdir()
        for name in ("pyproject.toml", "README.md"):
            shutil.copy2(repo / name, source / name)
        for licence in repo.glob("LICEN[CS]E*"):
            shutil.copy2(licence, source / licence.name)
        shutil.copytree(
            repo / "actlib",
            source / "actlib",
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )
        command = [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--wheel-dir",
            str(dest),
            str(source),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    wheels = sorted(dest.glob("actlib-*.whl"))
    if done.returncode != 0 or len(wheels) != 1:
        raise ExtensionError(
            "bundle: pip could not build actlib's wheel for the download bundle "
            f"(exit {done.returncode}, wheels made: {[w.name for w in wheels]}). "
            "It builds offline with this environment's setuptools: is .venv "
            "installed from requirements.txt?\n"
            f"$ {' '.join(command)}\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
        )
    return wheels[0]


# --- The zip -------------------------------------------------------------------


def _add(archive, name, data):
    info = zipfile.ZipInfo(f"{FOLDER}/{name}", date_time=(2026, 1, 1, 0, 0, 0))
    info.external_attr = 0o644 << 16  # rw-r--r-- when unzipped
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data, compresslevel=9)


def write_bundle(repo, path):
    """Write the download bundle of the book in ``repo`` to ``path``.

    Returns what it holds, for the build's log: the chapters, the wheel's name
    and the number of pinned requirements.
    """
    repo, path = Path(repo), Path(path)
    chapters = sorted((repo / "chapters").glob("*.ipynb"))
    if not chapters:
        raise ExtensionError(f"bundle: no chapters in {repo / 'chapters'}")
    requirements = reader_requirements(repo)
    partial = path.with_name(path.name + ".part")
    with tempfile.TemporaryDirectory(prefix="bundle-") as tmp:
        wheel = build_wheel(repo, tmp)
        template = Template((repo / README_TEMPLATE).read_text(encoding="utf-8"))
        readme = template.substitute(
            wheel=wheel.name,
            python=".".join(map(str, sys.version_info[:3])),
        )
        header = [
            "# What the chapters need, pinned to the versions the book is checked",
            "# with. Install it with actlib's wheel, as README.md says:",
            f"#   python -m pip install -r requirements.txt chapters/{wheel.name}",
        ]
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(partial, "w") as archive:
            _add(archive, "README.md", readme)
            _add(archive, "requirements.txt", "\n".join(header + requirements) + "\n")
            for chapter in chapters:
                _add(archive, f"chapters/{chapter.name}", chapter.read_bytes())
            _add(archive, f"chapters/{wheel.name}", wheel.read_bytes())
            for script in sorted((repo / "benchmarks").glob("*.py")):
                _add(archive, f"benchmarks/{script.name}", script.read_bytes())
    partial.replace(path)
    return {"chapters": len(chapters), "wheel": wheel.name, "pins": len(requirements)}


def megabytes(path):
    return f"{Path(path).stat().st_size / 1e6:.1f} MB"


# --- In the book ---------------------------------------------------------------


def make_bundle(app):
    if app.builder.format != "html":
        return
    path = Path(app.outdir) / ZIP_NAME
    held = write_bundle(app.srcdir, path)
    app.builder.bundle_size = megabytes(path)
    logger.info(
        f"bundle: {ZIP_NAME} ({app.builder.bundle_size}): {held['chapters']} "
        f"chapters, {held['wheel']}, {held['pins']} pinned requirements"
    )


def _links_here(env, docname):
    """Whether the page of ``docname`` links to the zip (a note, or the role)."""
    if docname.startswith("chapters/"):
        return True
    source = Path(env.doc2path(docname))
    return source.suffix == ".md" and "{bundle}`" in source.read_text("utf-8")


def pages_to_update(app, env, added, changed, removed):
    """The pages that state the zip's size, when it changed since the last build.

    Sphinx rewrites only the pages whose sources changed; the others would keep
    the old size.
    """
    size = getattr(app.builder, "bundle_size", None)
    if size is None or getattr(env, "bundle_size", None) == size:
        return []
    env.bundle_size = size
    return [doc for doc in env.found_docs - removed if _links_here(env, doc)]


def bundle_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{bundle}`download the chapters``` : a link to the zip, with its size."""
    return [_link(text)], []


def _link(text):
    return nodes.reference(
        "", text, refuri=ZIP_NAME, internal=True, classes=["bundle-link"]
    )


def _note():
    """The note under each chapter's title: a link to the zip."""
    paragraph = nodes.paragraph()
    paragraph += nodes.Text("To run this chapter and the others on your computer, ")
    paragraph += _link("download the chapters as notebooks, with actlib")
    paragraph += nodes.Text(
        ": unzip it and follow its README (a virtual environment, one pip "
        "install, then JupyterLab)."
    )
    note = nodes.admonition(classes=["tip", "bundle-note"])
    note += nodes.title(text="Run it yourself")
    note += paragraph
    return note


def add_links(app, doctree, docname):
    """Put the note on a chapter page; point each link at the zip, with its size."""
    if app.builder.format != "html":
        return
    if docname.startswith("chapters/"):
        for section in doctree.findall(nodes.section):
            titles = [i for i, n in enumerate(section) if isinstance(n, nodes.title)]
            section.insert(titles[0] + 1 if titles else 0, _note())
            break
    size = getattr(app.builder, "bundle_size", None)
    here = app.builder.get_target_uri(docname)
    for link in doctree.findall(nodes.reference):
        if "bundle-link" in link["classes"]:
            link["refuri"] = relative_uri(here, ZIP_NAME)
            if size and not link.get("bundle_sized"):
                link += nodes.Text(f" (zip, {size})")
                link["bundle_sized"] = True


def setup(app):
    app.add_role("bundle", bundle_role)
    app.connect("builder-inited", make_bundle)
    app.connect("env-get-outdated", pages_to_update)
    app.connect("doctree-resolved", add_links)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
