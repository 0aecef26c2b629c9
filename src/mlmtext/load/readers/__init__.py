"""One reader per file format; ``FORMATS`` maps a lowercased extension to its format name."""

from __future__ import annotations

FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".csv": "csv",
    ".tsv": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
}
STREAMED = frozenset({"csv", "tsv", "jsonl"})
"""Formats read row by row: the size cap applies to each line, not to the whole file."""
