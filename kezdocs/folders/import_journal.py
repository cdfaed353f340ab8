"""The journal of a registry import in progress: a killed import is known, and completed by a re-run.

`import` plans every row first, then writes the cards one by one. Before the
first write it records the cases it is about to write in
`ROOT/.kezdocs/import-journal-<hash>.jsonl`, and after each card one line
saying it is done; when every card is written, the journal is removed. A
journal left behind means the import was interrupted (killed, power cut, a
card it could not write): `import` and `status` say so until the same file is
imported again. A re-run is safe — what went in is now a duplicate and is
skipped — and completes the journal.

The file is JSON lines: the first line names the source (name, path, SHA-256,
start), then `{"planned": folder}` and `{"done": folder}` lines. Lines are
appended (a kill loses at most the line being written, which only makes the
count lower); the first line is written atomically.

Small and without heavy imports: `status` reads it on every run.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kezdocs.folders.files import write_text_atomic

OWN_DIR = ".kezdocs"
PREFIX = "import-journal-"
SUFFIX = ".jsonl"


@dataclass(frozen=True)
class State:
    """What a journal says: the source file and the cases planned and written so far."""

    path: Path
    source: str
    source_path: str
    sha256: str
    planned: tuple[str, ...]
    done: frozenset[str]

    @property
    def written(self) -> int:
        return len(self.done.intersection(self.planned))

    def message(self) -> str:
        return (f"импорт из «{self.source}» не завершён: {self.written} из {len(self.planned)} дел записаны — "
                "запустите импорт ещё раз")


def journal_path(root: Path, sha256: str) -> Path:
    return Path(root) / OWN_DIR / f"{PREFIX}{sha256[:16]}{SUFFIX}"


def read(path: Path) -> State | None:
    """The journal's state; None when it is gone or its first line is unreadable (the rest is best effort)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        head = json.loads(lines[0])
        source, source_path, digest = str(head["source"]), str(head.get("path", "")), str(head["sha256"])
    except (OSError, IndexError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None
    planned: dict[str, None] = {}
    done: set[str] = set()
    for line in lines[1:]:
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # the line being written when the import was killed
        if isinstance(entry, dict) and isinstance(entry.get("planned"), str):
            planned[entry["planned"]] = None
        elif isinstance(entry, dict) and isinstance(entry.get("done"), str):
            done.add(entry["done"])
    return State(Path(path), source, source_path, digest, tuple(planned), frozenset(done))


def unfinished(root: Path) -> list[State]:
    """Every interrupted import of the root, oldest journal first."""
    folder = Path(root) / OWN_DIR
    try:
        names = sorted(e.name for e in os.scandir(folder) if e.name.startswith(PREFIX) and e.name.endswith(SUFFIX))
    except OSError:
        return []
    states = (read(folder / name) for name in names)
    return [s for s in states if s is not None]


def messages(root: Path) -> list[str]:
    """«импорт из … не завершён: N из M дел записаны — запустите импорт ещё раз», one per interrupted import."""
    return [state.message() for state in unfinished(root)]


def finish(root: Path, source: Path, sha256: str) -> None:
    """Every card of the import is written: remove its journal, and those of earlier versions of a file of the
    same name (a clerk who fixed the registry and imported it again has completed that import)."""
    own = journal_path(root, sha256)
    for state in unfinished(root):
        if state.path == own or state.source == source.name:
            try:
                state.path.unlink()
            except FileNotFoundError:
                pass


class Journal:
    """The journal of the import being written now."""

    def __init__(self, path: Path):
        self.path = path

    @classmethod
    def start(cls, root: Path, source: Path, sha256: str, planned: list[str]) -> "Journal":
        """Record the plan before the first card is written; a re-run of the same file adds to its journal."""
        path = journal_path(root, sha256)
        previous = read(path)
        if previous is None:
            head = {"source": source.name, "path": str(source), "sha256": sha256,
                    "started": datetime.now().isoformat(timespec="seconds")}
            write_text_atomic(path, "".join(json.dumps(e, ensure_ascii=False) + "\n"
                                            for e in [head, *({"planned": name} for name in planned)]))
        else:
            journal = cls(path)
            journal._append([{"planned": name} for name in planned if name not in previous.planned])
        return cls(path)

    def done(self, name: str) -> None:
        self._append([{"done": name}])

    def _append(self, entries: list[dict]) -> None:
        if not entries:
            return
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries))
