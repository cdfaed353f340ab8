"""OCR behind the watch service and `kezdocs ocr`: a scan dropped into a case is listed as waiting at once, then read
by the service's OCR worker, and the case updates itself; without Tesseract kezdocs says so once per case and works on.

Real observers on real folders, as in test_watcher.py: short delays, every wait a polling loop with a generous timeout.
"""
import os
import shutil
import subprocess
import sys
from datetime import date

import pytest
import scans

from kezdocs.core.card import STATUS_FILE
from kezdocs.core.errors import KezdocsError
from kezdocs.folders import ocr
from kezdocs.folders.casefolder import open_root
from kezdocs.folders.index import Index
from kezdocs.service.ocr_worker import recognise_now
from kezdocs.service.sync import sync
from kezdocs.service.watcher import Watcher

from conftest import log, wait_for

TODAY = date(2026, 11, 24)
DELAY = 0.3
PETROV = "2026-002 ИП Петров"
SHPI = scans.shpi("4275505556667")
OCR_WAIT = 60.0  # seconds: OCR of a page takes about one on this machine
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None,
                                     reason="не установлен Tesseract (tesseract-ocr, tesseract-ocr-rus)")



def status(root) -> str:
    path = root / PETROV / STATUS_FILE
    return path.read_text(encoding="utf-8-sig") if path.exists() else ""



def receipt():
    return scans.page(scans.receipt_lines(SHPI, "г. Кез, ул. Садовая, д. 3"))


def kezdocs(*args, env=None):
    return subprocess.run([sys.executable, "-m", "kezdocs", *map(str, args)], capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})})


@needs_tesseract
def test_a_dropped_scan_waits_then_its_case_updates_by_itself(demo_copy):
    root = demo_copy
    with Watcher(root, lambda: TODAY, delay=DELAY, console=False):
        scans.image_pdf(root / PETROV / "скан 001.pdf", [receipt()])
        wait_for(lambda: "Распознаётся: 1 файл (OCR)" in status(root), timeout=OCR_WAIT,
                 what="«распознаётся» in СТАТУС.txt")
        assert "  • скан 001.pdf" in status(root)
        wait_for(lambda: "скан 001.pdf — почтовая квитанция" in status(root), timeout=OCR_WAIT,
                 what="the receipt read by OCR")
        assert "Распознаётся" not in status(root)
    assert Index(root).records()[PETROV].pending_ocr == ()
    assert any(f"скан «{PETROV}/скан 001.pdf» распознан за" in line for line in log(root))
    assert SHPI in ocr.cached_text(root, root / PETROV / "скан 001.pdf").replace(" ", "")


@needs_tesseract
def test_cli_ocr_reads_what_waits_and_then_has_nothing_to_do(demo_copy):
    scans.jpeg(demo_copy / PETROV / "IMG_20261120_101532.jpg", receipt())
    first = kezdocs("ocr", "--root", demo_copy, "--today", TODAY, "2026-002")
    assert first.returncode == 0, first.stderr
    assert f"[1/1] скан «{PETROV}/IMG_20261120_101532.jpg» распознан за" in first.stdout
    assert "IMG_20261120_101532.jpg — почтовая квитанция" in status(demo_copy)
    again = kezdocs("ocr", "--root", demo_copy, "--today", TODAY)
    assert (again.returncode, again.stdout.strip()) == (0, "сканов, ждущих распознавания, нет")


def test_without_tesseract_the_status_says_so_once_and_nothing_breaks(demo_copy, tmp_path, monkeypatch):
    root = demo_copy
    scans.image_pdf(root / PETROV / "скан 001.pdf", [receipt()])
    scans.jpeg(root / PETROV / "IMG_20261120_101532.jpg", receipt())
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert ocr.available() == ocr.UNAVAILABLE
    runs = ocr.performed()

    record = {r.folder: r for r in sync(open_root(root), TODAY).records}[PETROV]
    said = f"{ocr.UNAVAILABLE} — сканы и фото без текста (2) разобраны только по именам файлов"
    assert [p.message for p in record.problems if "распознавание" in p.message] == [said]
    assert record.pending_ocr == ()
    assert {d.path: d.kind for d in record.documents}["скан 001.pdf"] is None
    assert status(root).count("распознавание недоступно") == 1 and "Распознаётся" not in status(root)

    with pytest.raises(KezdocsError, match="распознавание недоступно: не установлен Tesseract"):
        recognise_now(open_root(root), TODAY)
    with Watcher(root, lambda: TODAY, delay=DELAY, console=False):
        wait_for(lambda: any("начальная проверка:" in line for line in log(root)), timeout=OCR_WAIT,
                 what="the start-up scan")
    assert not [line for line in log(root) if "ошибка" in line]
    assert ocr.performed() == runs

    refused = kezdocs("ocr", "--root", root, "--today", TODAY, env={"PATH": str(tmp_path / "bin")})
    assert refused.returncode == 2
    assert "распознавание недоступно: не установлен Tesseract (tesseract-ocr, tesseract-ocr-rus)" in refused.stderr
