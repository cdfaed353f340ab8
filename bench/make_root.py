"""Synthetic roots for the benchmarks: N realistic cases, 5–10 files each, PDFs included.

The cards are the demo's (every stage, every debtor type, 1 % broken cards),
renumbered and renamed per case; the documents are real PDFs with Cyrillic
text, made once and written again under each case's names, so making a
10 000-case root takes seconds, not hours. Plain writes (no fsync): the root
is scratch data under `bench/roots/` (gitignored).

    python bench/make_root.py 1000            # -> bench/roots/1000
    python bench/make_root.py 10000 --out /tmp/r --today 2026-11-24
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kezdocs import demo  # noqa: E402
from kezdocs.core.card import CARD_NAME  # noqa: E402
from kezdocs.folders.casefolder import settings_template  # noqa: E402
from kezdocs.paperwork.pdftext import text_pdf  # noqa: E402
from kezdocs.core.settings import SETTINGS_NAME  # noqa: E402

ROOTS = Path(__file__).resolve().parent / "roots"
OVERDUE_TEMPLATES = ("2026-001", "2026-002", "2026-003", "2026-004")  # past-due charges: without events, a claim is due
BROKEN = "2026-009 Ошибка в карточке"

# Documents a clerk adds beyond the demo's: (name pattern, pages). Names classify them; the text agrees.
EXTRA_DOCUMENTS = (
    ("акт сверки {n}.pdf", [["Акт сверки взаимных расчётов", "по договору аренды", "Сальдо в пользу арендодателя"]]),
    ("счёт на оплату {n}.pdf", [["Счёт на оплату № {n}", "Арендная плата за квартал"]]),
    ("платёжное поручение {n}.pdf", [["Платёжное поручение № {n}", "Назначение платежа: арендная плата"]]),
    ("расчёт задолженности.pdf", [["Расчёт задолженности и пени", "Период, дней, сумма, ставка, пеня"]]),
    ("дополнительное соглашение 1.pdf", [["Дополнительное соглашение № 1", "к договору аренды"]]),
    ("Переписка/письмо должника {n}.pdf", [["Письмо", "Просим предоставить отсрочку платежа"],
                                             ["Приложение", "Гарантийное письмо"]]),
    ("скан {n}.jpg", None),  # an image: its name says nothing, it has no text
    ("Переписка/ответ на письмо {n}.pdf", [["Ответ на обращение", "Отсрочка не предоставляется"]]),
    ("фото участка {n}.jpg", None),
)


def pdf_pool() -> dict[str, bytes]:
    """Every distinct PDF the root uses, made once (the demo's documents and the extras)."""
    pool: dict[str, bytes] = {}
    for _name, (_card, files) in demo._cases(date(2026, 1, 1)).items():
        for relpath, pages in files.items():
            pool.setdefault(_pool_key(relpath), text_pdf(pages))
    for pattern, pages in EXTRA_DOCUMENTS:
        pool[pattern] = text_pdf([[line.replace("{n}", "17") for line in page] for page in pages]) if pages else \
            b"\xff\xd8\xff\xe0" + bytes(4096)
    return pool


def _pool_key(relpath: str) -> str:
    """Demo documents differ only by dates and tracking numbers in their names: one PDF per shape."""
    return re.sub(r"\d", "0", relpath)


def case_card(template: str, number: str, i: int) -> str:
    """A demo card renumbered for case `i`, its debtor renamed so debtors differ."""
    text = re.sub(r"^номер: .*$", f"номер: {number}", template, count=1, flags=re.M)
    text = re.sub(r"«([^»]+)»", lambda m: f"«{m.group(1)} {i}»", text, count=1)
    return re.sub(r"^(  фамилия: )(.*)$", lambda m: f"{m.group(1)}{m.group(2)}-{i}", text, count=1, flags=re.M)


def without_events(card: str) -> str:
    """A card with its «события» dropped: every charge past due becomes a debt awaiting its claim."""
    return re.sub(r"^события:\n(?:  - .*\n)*", "", card, flags=re.M)


def make_root(target: Path, size: int, today: date, overdue: bool = False) -> Path:
    """Write a root of `size` cases into `target` (replacing it); `overdue`: every case needs a claim now."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    (target / SETTINGS_NAME).write_text(settings_template(), encoding="utf-8")
    templates = demo._cases(today)
    good = [name for name in templates if name != BROKEN]
    if overdue:
        good = [name for name in good if name.split(" ", 1)[0] in OVERDUE_TEMPLATES]
        templates = {name: (without_events(card), files) for name, (card, files) in templates.items()}
    pool = pdf_pool()
    for i in range(size):
        source = BROKEN if i % 100 == 99 and not overdue else good[i % len(good)]
        card, files = templates[source]
        number = f"Б-{i:05d}"
        folder = target / f"{number} {source.split(' ', 1)[1]} {i}"
        folder.mkdir()
        (folder / CARD_NAME).write_text(case_card(card, number, i), encoding="utf-8")
        written = 1
        for relpath in files:
            _write(folder / relpath, own(pool[_pool_key(relpath)], i, relpath))
            written += 1
        extras = 5 + i % 6 - written  # 5..10 files per case in all
        for pattern, _pages in EXTRA_DOCUMENTS[:max(extras, 0)]:
            _write(folder / pattern.replace("{n}", str(i)), own(pool[pattern], i, pattern))
    return target


def own(data: bytes, i: int, relpath: str = "") -> bytes:
    """The pool's file made this case's own: a line after a PDF's «%%EOF» (readers ignore it; so do the scan's
    byte checks) gives each case its own content, as in a real root — identical files in every case would all be
    reported as duplicates."""
    return data + f"\n% case {i} {relpath}\n".encode()


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)


def count_files(root: Path) -> tuple[int, int]:
    """(files, bytes) under a root."""
    files = total = 0
    for folder, _dirs, names in os.walk(root):
        for name in names:
            files += 1
            total += os.stat(os.path.join(folder, name)).st_size
    return files, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int)
    parser.add_argument("--out", type=Path, default=None, help="root folder (default bench/roots/SIZE)")
    parser.add_argument("--today", default=None, help="YYYY-MM-DD the stages are written for")
    parser.add_argument("--overdue", action="store_true", help="every case overdue, awaiting its claim")
    args = parser.parse_args()
    today = date.fromisoformat(args.today) if args.today else date.today()
    started = time.perf_counter()
    root = make_root(args.out or ROOTS / str(args.size), args.size, today, args.overdue)
    files, total = count_files(root)
    print(f"{root}: {args.size} дел, {files} файлов, {total / 1e6:.0f} МБ за {time.perf_counter() - started:.1f} с")


if __name__ == "__main__":
    main()
