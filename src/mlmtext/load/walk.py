"""Expand the user's files and folders into a stable, sorted stream of regular files to read.

Symbolic links are followed only when they stay inside the folder given by the user; loops, links to a
folder already read, devices and fifos are reported, never opened (opening a fifo would block).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from mlmtext.errors import InputError
from mlmtext.types import Skipped

# Repository metadata is not content; one entry per such folder keeps the accounting honest and short.
_VCS_DIRS = frozenset({".git", ".hg", ".svn"})


@dataclass(frozen=True, slots=True)
class FileEntry:
    """A regular file found under a root: ``rel`` is its JSON-safe POSIX path relative to that root."""

    path: str  # the real file-system path to open (may hold surrogate escapes)
    rel: str
    size: int
    ext: str  # lowercased extension with the dot, "" when none


def display_path(rel: str) -> str:
    """A file name as valid UTF-8 text: bytes that are not UTF-8 become backslash escapes ("\\xff").

    Escapes keep the original bytes recoverable and distinct names distinct, where U+FFFD would merge
    them. Newlines and spaces in names are kept as they are (JSON escapes them).
    """
    try:
        raw = os.fsencode(rel)
    except UnicodeEncodeError:  # a str path holding lone surrogates that are not file-system escapes
        return rel.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a fifo"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


class _Names:
    """Keeps ids unique in a run when two roots hold the same relative path."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def claim(self, rel: str, root_label: str) -> str:
        name = rel
        if name in self._seen and root_label:
            name = f"{root_label}/{rel}"
        k = 2
        while name in self._seen:
            name = f"{rel}~{k}"
            k += 1
        self._seen.add(name)
        return name


def check_paths(paths: Sequence[str | os.PathLike[str]]) -> list[str]:
    """The user's paths as strings; InputError for the first one that does not exist."""
    out = []
    for p in paths:
        s = os.fsdecode(p)
        if not os.path.lexists(s):
            raise InputError(f"input path does not exist: {display_path(s)!r} (check the spelling)")
        out.append(s)
    return out


def walk(
    paths: Sequence[str], exclude: Sequence[str] = (), private: Sequence[str] = ()
) -> Iterator[FileEntry | Skipped]:
    """Every file under ``paths`` (already checked to exist), in the given order; inside a folder its
    files by byte order of name, then its subfolders the same way. Folders and files in ``exclude`` (the
    run's own output folder and report, when they sit inside an input folder) are reported as skipped,
    never read. Folders in ``private`` (the run's work folder, made after the run started) are passed
    over without a word: they were never input."""
    names = _Names()
    seen_files: dict[tuple[int, int], str] = {}
    excluded = frozenset(os.path.realpath(d) for d in exclude)
    hidden = frozenset(os.path.realpath(d) for d in private)
    for given in paths:
        if os.path.isdir(given):
            yield from _walk_dir(given, names, seen_files, excluded, hidden)
        else:
            yield from _one_file(given, names, seen_files)


def _one_file(given: str, names: _Names, seen: dict[tuple[int, int], str]) -> Iterator[FileEntry | Skipped]:
    base = os.path.basename(given.rstrip(os.sep)) or given
    parent = os.path.basename(os.path.dirname(os.path.abspath(given)))
    rel = names.claim(display_path(base), display_path(parent))
    try:
        st = os.stat(given)
    except OSError as exc:
        yield _link_problem(rel, exc)
        return
    yield from _file(given, rel, st, seen)


def _link_problem(rel: str, exc: OSError) -> Skipped:
    if exc.errno == errno.ELOOP:
        return Skipped(rel, "symbolic link loop: the link points back to itself", "link-loop")
    if exc.errno == errno.ENOENT:
        return Skipped(rel, "broken symbolic link: its target does not exist", "unreadable")
    return Skipped(rel, f"cannot read file information: {exc.strerror or exc}", "unreadable")


def _file(
    path: str, rel: str, st: os.stat_result, seen: dict[tuple[int, int], str]
) -> Iterator[FileEntry | Skipped]:
    if not stat.S_ISREG(st.st_mode):
        yield Skipped(rel, f"{_kind(st.st_mode)}, not a file: not read", "unsupported")
        return
    key = (st.st_dev, st.st_ino)
    if key in seen:
        yield Skipped(rel, f"the same file was already read as {seen[key]!r}", "duplicate-input")
        return
    seen[key] = rel
    ext = os.path.splitext(path)[1].lower()
    yield FileEntry(path=path, rel=rel, size=st.st_size, ext=ext)


def _walk_dir(
    given: str,
    names: _Names,
    seen_files: dict[tuple[int, int], str],
    excluded: frozenset[str] = frozenset(),
    hidden: frozenset[str] = frozenset(),
) -> Iterator[FileEntry | Skipped]:
    root_real = os.path.realpath(given)
    root_label = display_path(os.path.basename(root_real))
    root_st = os.stat(given)
    visited: dict[tuple[int, int], str] = {(root_st.st_dev, root_st.st_ino): "."}
    # Depth-first with an explicit stack (deep trees must not hit the recursion limit); each frame
    # carries the folder identities on its path so a link back to a parent is recognised as a loop.
    stack: list[tuple[str, str, frozenset[tuple[int, int]]]] = [
        (given, "", frozenset({(root_st.st_dev, root_st.st_ino)}))
    ]
    while stack:
        folder, prefix, ancestors = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: os.fsencode(e.name))
        except OSError as exc:
            yield Skipped(
                display_path(prefix.rstrip("/")) or ".",
                f"folder cannot be listed: {exc.strerror or exc}",
                "unreadable",
            )
            continue
        subdirs: list[tuple[str, str, frozenset[tuple[int, int]]]] = []
        for entry in entries:
            rel_raw = prefix + entry.name
            rel = display_path(rel_raw)
            try:
                is_link = entry.is_symlink()
                st = os.stat(entry.path) if is_link else entry.stat(follow_symlinks=False)
            except OSError as exc:
                yield _link_problem(rel, exc)
                continue
            if is_link and not _within(os.path.realpath(entry.path), root_real):
                yield Skipped(
                    rel, "symbolic link to a place outside the input folder: not followed", "link-outside"
                )
                continue
            if stat.S_ISDIR(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if hidden and os.path.realpath(entry.path) in hidden:
                    continue
                if entry.name in _VCS_DIRS:
                    yield Skipped(rel, "version-control folder: not read", "unsupported")
                elif excluded and os.path.realpath(entry.path) in excluded:
                    yield Skipped(rel, "the output folder of this run: not read", "output-folder")
                elif key in ancestors:
                    yield Skipped(
                        rel, "symbolic link loop: the link points to a folder that contains it", "link-loop"
                    )
                elif key in visited:
                    yield Skipped(
                        rel, f"folder already read as {visited[key]!r} (through a link)", "duplicate-input"
                    )
                else:
                    visited[key] = rel
                    subdirs.append((entry.path, rel_raw + "/", ancestors | {key}))
                continue
            if excluded and os.path.realpath(entry.path) in excluded:
                yield Skipped(rel, "an output file of this run: not read", "output-folder")
                continue
            # A folder's own files come first (name order), then its subfolders (name order).
            yield from _file(entry.path, names.claim(rel, root_label), st, seen_files)
        stack.extend(reversed(subdirs))
