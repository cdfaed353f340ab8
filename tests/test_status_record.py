"""The typed status record: its JSON round trip, the public JSON of `status --json`, old records in the index."""
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from kezdocs.cli import main
from kezdocs.core.status import PUBLIC_KEYS, CaseStatus, StatusDeadline, StatusDocument, StatusProblem
from kezdocs.folders.casefolder import open_root
from kezdocs.folders.index import Index, shard_of
from kezdocs.folders.scan import RECORD_VERSION, scan

TODAY = date(2026, 11, 24)
ROMASHKA = "2026-001 ООО Ромашка"
PETROV = "2026-002 ИП Петров"
BROKEN = "2026-009 Ошибка в карточке"


def shard_path(root: Path, folder: str) -> Path:
    return root / ".kezdocs" / "index" / f"{shard_of(folder)}.json"


def stored(root: Path, folder: str) -> dict:
    """A record as the index file holds it (plain JSON, no kezdocs code in between)."""
    return json.loads(shard_path(root, folder).read_text(encoding="utf-8"))[folder]


def test_every_demo_status_survives_its_json_round_trip(demo_copy):
    records = scan(open_root(demo_copy), TODAY).records
    assert len(records) == 11
    for record in records:
        data = json.loads(json.dumps(record.to_json(), ensure_ascii=False))
        assert CaseStatus.from_json(data) == record, record.folder
        assert data == stored(demo_copy, record.folder)  # the index stores exactly `to_json`
    assert Index(demo_copy).records() == {r.folder: r for r in records}


def test_the_status_is_typed(demo_copy):
    records = {r.folder: r for r in scan(open_root(demo_copy), TODAY).records}
    romashka = records[ROMASHKA]
    assert romashka.deadline == date(2026, 12, 4) and romashka.as_of == TODAY and romashka.version == RECORD_VERSION
    # 445.00: due Saturday 10.10.2026, payable 12.10, penalty from 13.10 (ГК РФ ст. 193; the old 475.00 — wrong)
    assert romashka.debt == Decimal("10000.00") and romashka.penalty == Decimal("445.00")
    assert romashka.deadlines[0] == StatusDeadline("claim", "направить требование (претензию)", "4.2",
                                                   date(2026, 11, 12), date(2026, 11, 4), "met")  # ГК РФ ст. 193: overdue from 13.10
    assert StatusDocument("Договор аренды 12-2023.pdf", "contract") in romashka.documents
    assert romashka.route_detail.proceeding == romashka.proceeding == "court-order"
    assert romashka.route_detail.price["total"] == Decimal("10445.00")
    broken = records[BROKEN]
    assert broken.card_error and broken.debt is None and broken.penalty_warnings is None
    assert broken.problems[0] == StatusProblem(f"{BROKEN}/дело.yaml", 17, broken.problems[0].message)


def test_status_json_is_the_public_part_of_the_stored_record(demo_copy):
    result = CliRunner().invoke(main, ["status", "--root", str(demo_copy), "--today", TODAY.isoformat(), "--json"])
    assert result.exit_code == 1  # the demo holds one broken card
    printed = json.loads(result.output)
    # what the command printed before the record was typed: the public keys, in order, of the stored dict
    assert printed == [{key: stored(demo_copy, r["folder"]).get(key) for key in PUBLIC_KEYS} for r in printed]
    assert result.output == json.dumps(printed, ensure_ascii=False, indent=2) + "\n"
    assert list(printed[0]) == ["case", "folder", "debtor", "debtor_type", "administrator", "officer", "kbk", "stage",
                                "stage_label", "next_action", "deadline", "deadline_missed", "clause", "route", "debt",
                                "penalty", "penalty_warnings", "deadlines", "documents", "missing", "problems",
                                "suggestions", "pending_ocr"]
    romashka = printed[0]
    assert romashka["deadline"] == "2026-12-04" and romashka["debt"] == "10000.00" and romashka["penalty"] == "445.00"  # ГК РФ ст. 193
    assert romashka["deadlines"][0] == {"clause": "4.2", "done_on": "2026-11-04", "due": "2026-11-12",
                                        "label": "направить требование (претензию)", "state": "met", "step": "claim"}
    assert list(romashka["documents"][0]) == ["digest", "kind", "path"]  # digest: the content, for duplicates (issue 16)
    broken = next(r for r in printed if r["folder"] == BROKEN)
    assert broken["penalty_warnings"] is None and broken["debt"] is None and broken["deadlines"] == []
    assert list(broken["problems"][0]) == ["file", "line", "message"]


def test_an_old_or_broken_record_in_the_index_is_built_again(demo_copy):
    scan(open_root(demo_copy), TODAY)
    old = {key: value for key, value in stored(demo_copy, ROMASHKA).items()
           if key not in ("route_detail", "accounts_known", "penalty_warnings")}
    old.update(version=RECORD_VERSION - 1, debt="1.00")
    assert CaseStatus.from_json(old).version == RECORD_VERSION - 1  # read, not a crash
    garbage = {**stored(demo_copy, PETROV), "deadline": "не дата", "debt": "много"}
    for folder, record in ((ROMASHKA, old), (PETROV, garbage)):
        path = shard_path(demo_copy, folder)
        shard = json.loads(path.read_text(encoding="utf-8"))
        shard[folder] = record
        replacement = path.with_suffix(".new")
        replacement.write_text(json.dumps(shard, ensure_ascii=False), encoding="utf-8")
        replacement.replace(path)
    assert PETROV not in Index(demo_copy).records()  # not a status: as if absent
    records = {r.folder: r for r in scan(open_root(demo_copy), TODAY).records}
    assert records[ROMASHKA].version == RECORD_VERSION and records[ROMASHKA].debt == Decimal("10000.00")
    assert records[PETROV].deadline == date(2026, 12, 10) and records[PETROV].debt == Decimal("8400.00")
    assert stored(demo_copy, ROMASHKA)["debt"] == "10000.00"
