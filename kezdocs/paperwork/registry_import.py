"""Importing a registry: plan every row (`registry_plan`), then write case by case.

The import writes through the one card writer (`cardfile`): an existing card
is edited under its lock and re-read right before it is replaced, so a payment
a clerk recorded meanwhile is kept. A journal (`import_journal`) makes a
killed import known («не завершён: N из M») until a re-run, which skips what
went in, completes it. One case that cannot be written does not stop the
others.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kezdocs.core import card as card_mod
from kezdocs.core.errors import KezdocsError
from kezdocs.core.model import Problem
from kezdocs.folders import cardedit, cardfile
from kezdocs.folders.casefolder import Root, read_text
from kezdocs.folders.files import os_error_reason, sha256
from kezdocs.folders.import_journal import Journal
from kezdocs.folders.import_journal import finish as finish_journal
from kezdocs.folders.import_journal import unfinished as unfinished_imports
from kezdocs.paperwork.registry_plan import Entries, Existing, Plan, entries_of, plan
from kezdocs.paperwork.registry_read import Row, parse_rows, read_table


@dataclass
class ImportResult:
    rows: int  # data rows read
    imported: int  # rows whose charges or payments went in (or would, on a dry run)
    created: list[str]  # folder names of new cases
    updated: list[str]  # folder names of cases that got entries
    duplicates: list[Problem]
    problems: list[Problem]  # rows not imported
    notices: list[Problem]  # about the file's columns
    dry_run: bool
    resumed: bool = False  # this run completed an interrupted import of the same file
    unfinished: list[str] = field(default_factory=list)  # interrupted imports still to re-run, after this one

    def as_json(self) -> dict:
        """The import's outcome for --json: counts, folders, and every row reported with its column."""
        def rows(problems: list[Problem]) -> list[dict]:
            return [{"line": p.line, "column": p.field, "message": p.message} for p in problems]

        return {"rows": self.rows, "imported": self.imported, "dry_run": self.dry_run,
                "created": self.created, "updated": self.updated, "duplicates": rows(self.duplicates),
                "problems": rows(self.problems), "notices": rows(self.notices), "resumed": self.resumed,
                "unfinished": self.unfinished}


def import_registry(root: Root, path: Path, dry_run: bool = False) -> ImportResult:
    """Create and update case folders from a registry file: plan every row, then write case by case."""
    table = read_table(path)
    rows, problems = parse_rows(table.records, path.name, root.settings.chief_code)
    existing = existing_cases(root, {row.number for row in rows})
    result = plan(rows, existing, root.path, path.name, root.settings.administrators)
    created, updated = [f.name for f in result.new], [p.parent.name for p in result.updates]
    failed: list[Problem] = []
    resumed = False
    if not dry_run:
        created, updated, failed, resumed = _write(root, path, result)
    lost = {p.line for p in failed}
    return ImportResult(
        rows=len(table.records) + len({p.line for p in table.problems}),
        imported=len(set(result.imported) - lost), created=created, updated=updated,
        duplicates=result.duplicates,
        problems=sorted(table.problems + problems + result.problems + failed, key=lambda p: p.line or 0),
        notices=table.notices, dry_run=dry_run, resumed=resumed,
        unfinished=[state.message() for state in unfinished_imports(root.path)],
    )


def _write(root: Root, source: Path, result: Plan) -> tuple[list[str], list[str], list[Problem], bool]:
    """Write the plan, journalled: (folders created, folders updated, rows of cases not written, resumed).

    A case that cannot be written (its lock held too long, a full disk, an
    editor that made its card invalid meanwhile) is reported on its rows; the
    other cases are written, and the journal stays to say the import is not
    complete.
    """
    digest = sha256(source)
    interrupted = any(state.sha256 == digest for state in unfinished_imports(root.path))
    planned = [folder.name for folder in result.new] + [card.parent.name for card in result.edits]
    journal = Journal.start(root.path, source, digest, planned) if planned else None
    administrators = root.settings.administrators
    created: list[str] = []
    updated: list[str] = []
    failed: list[Problem] = []  # rows not written: their case failed, or they clash with the card as written
    complete = True
    steps = [(folder, lambda folder=folder, text=text: _create_card(folder, text, administrators))
             for folder, text in result.new.items()]
    steps += [(card.parent, lambda card=card, rows=rows: _update_card(card, rows, source.name, administrators))
              for card, rows in result.edits.items()]
    for folder, step in steps:
        try:
            failed += step()
        except (KezdocsError, OSError) as exc:
            reason = os_error_reason(exc) if isinstance(exc, OSError) else str(exc)
            failed += [Problem(source.name, line, f"дело «{folder.name}» не записано: {reason}")
                       for line in result.lines.get(folder, [])]
            complete = False
            continue
        journal.done(folder.name)
        (created if folder in result.new else updated).append(folder.name)
    if complete:
        finish_journal(root.path, source, digest)
    return created, updated, failed, interrupted


def _check(shown: str, administrators: tuple[str, ...]):
    """What the card writer asks of the text it is about to write: a card `parse_card` accepts."""
    return lambda text: card_mod.parse_card(text, shown, administrators)[1]


def _create_card(folder: Path, text: str, administrators: tuple[str, ...]) -> list[Problem]:
    """A new case's card, through the one card writer (it refuses to replace a card that is there)."""
    card_path = folder / card_mod.CARD_NAME
    cardfile.create_card(card_path, text, _check(f"{folder.name}/{card_mod.CARD_NAME}", administrators))
    return []


def _update_card(card_path: Path, rows: list[Row], source: str, administrators: tuple[str, ...]) -> list[Problem]:
    """Add the rows' charges and payments to the card as it is when written (under its lock); returns the
    rows that clash with what the card says by then.

    The entries are worked out again from the text the writer has just read: a
    payment a clerk recorded since the plan is kept, and a row that became a
    duplicate meanwhile is not added twice.
    """
    shown = f"{card_path.parent.name}/{card_mod.CARD_NAME}"
    late: list[Problem] = []

    def edit(text: str) -> str:
        case, _ = card_mod.parse_card(text, shown, administrators)
        scratch = Plan()
        for _, entries in entries_of(rows, Entries(case), source, scratch):
            for section, entry in entries:
                text = cardedit.append_entry(text, section, entry)
        late[:] = scratch.problems
        return text

    cardfile.update_card(card_path, edit, _check(shown, administrators), what="загрузка реестра")
    return late


def existing_cases(root: Root, numbers: set[str]) -> dict[str, list[Existing]]:
    """The cases with these numbers; a broken card is known by its folder name's first word (as import names
    folders). Only their cards' texts are read again, for the edits."""
    found: dict[str, list[Existing]] = {}
    for folder in root.case_folders():
        loaded = root.load(folder)
        number = loaded.case.number if loaded.case else loaded.name.split(" ", 1)[0]
        if number in numbers:
            text, _ = read_text(folder / card_mod.CARD_NAME, loaded.name)
            found.setdefault(number, []).append(Existing(folder, text, loaded.case))
    return found
