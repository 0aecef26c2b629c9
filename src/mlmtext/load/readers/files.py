"""Reading a whole file within the size cap, with OS errors turned into ``ReadProblem``."""

from __future__ import annotations

from mlmtext.load.problems import ReadProblem


def os_problem(exc: OSError) -> ReadProblem:
    if isinstance(exc, PermissionError):
        return ReadProblem("unreadable", "permission denied: the file cannot be read")
    return ReadProblem("unreadable", f"cannot read the file: {exc.strerror or exc}")


def too_large(size: int, cap: int, what: str = "file") -> ReadProblem:
    return ReadProblem(
        "too-large", f"{what} is {size:,} bytes, over the {cap:,}-byte cap (raise max_file_bytes to read it)"
    )


def read_bounded(path: str, cap: int) -> bytes:
    """The file's bytes; never more than ``cap`` + 1 are read even if the file grew after it was listed."""
    try:
        with open(path, "rb") as f:
            data = f.read(cap + 1)
    except OSError as exc:
        raise os_problem(exc) from None
    if len(data) > cap:
        raise too_large(len(data), cap)
    return data
