"""Scans and photos: kezdocs's OCR beside bare Tesseract on the same pages, a re-scan that costs no OCR, the
searchable PDF a package asks for made once, `status` while scans wait.

    python bench/ocr.py                          # 12 pages, 20 scans dropped for `status` (~1–2 min)
    python bench/ocr.py --pages 4 --drop 6       # a smoke run;  --profile: profile OCR and `status` anyway

The pages are made by `tests/scans.py`: a contract page at 300 dpi and a postal receipt (its ШПИ also as a
barcode) at 200 dpi, alternately, slightly turned, each saved once as a JPEG; the image-only PDFs (the same
JPEGs) and multi-page TIFFs (the same pages, lossless) hold 3 pages a file. Every measurement runs in a fresh
process (`--probe`), one page after another; the floor is bare `tesseract PAGE.jpg - -l rus+eng` on each
file's pages in the same process, turn about with kezdocs file by file, so that both see the load of the
shared machine alike. The floor runs with OMP_THREAD_LIMIT=1 (one Tesseract thread, the fastest on a shared
machine); kezdocs sets it for every Tesseract it starts, and one row runs kezdocs in a process started without
it, as a service is. Prints a table and writes the «Распознавание сканов» section of `bench/results.md`
(replacing the previous one).
"""
from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))  # scans.py: the scans the tests make

import make_root  # noqa: E402
import run  # noqa: E402

from kezdocs.core.russian import plural  # noqa: E402

SECTION = "## Распознавание сканов"
RATIO = 0.9  # kezdocs's pages per second, at least this share of bare Tesseract's
STATUS_SECONDS = 1.0
PER_FILE = 3  # pages in one PDF or TIFF
SHIPPED_PAGES = 2  # pages run without OMP_THREAD_LIMIT (slow on a busy machine: kept few)
REPEATS = 5  # `status` runs before and after the drop
ONE_THREAD = {"OMP_THREAD_LIMIT": "1"}
CONTRACT = ["2. АРЕНДНАЯ ПЛАТА", "2.1. Размер арендной платы составляет 48 600,00 руб. в год.",
            "2.2. Арендная плата вносится ежеквартально не позднее 15 числа последнего месяца",
            "квартала на счёт Управления Федерального казначейства по Удмуртской Республике.",
            "3. ОТВЕТСТВЕННОСТЬ СТОРОН", "3.1. За нарушение срока внесения арендной платы Арендатор",
            "уплачивает пени в размере 0,1 % от невнесённой суммы за каждый день просрочки.",
            "3.2. Споры разрешаются в Арбитражном суде Удмуртской Республики."]


# --- the pages -----------------------------------------------------------------------------------------

def make_pages(folder: Path, count: int, drop: int) -> dict:
    """The pages as JPEGs, PDFs and TIFFs of `PER_FILE` pages — each file as [path, [its pages' JPEGs]] — and
    `drop` one-page scans named as a scanner and a phone name them (half PDF, half JPEG) for the `status` run."""
    import scans

    (folder / "drop").mkdir(parents=True, exist_ok=True)
    groups, made = {200: [], 300: []}, {"jpg": [], "pdf": [], "tif": [], "drop": []}
    for n in range(count):
        image, dpi = _page(scans, n)
        page = str(scans.jpeg(folder / f"стр {n + 1:02d}.jpg", image, dpi))
        made["jpg"].append([page, [page]])
        groups[dpi].append((image, page))
    for dpi, pages in groups.items():
        for start in range(0, len(pages), PER_FILE):
            images, jpgs = zip(*pages[start:start + PER_FILE])
            name = folder / f"скан {dpi}dpi-{start // PER_FILE + 1}"
            made["pdf"].append([str(scans.image_pdf(name.with_suffix(".pdf"), list(images), dpi)), list(jpgs)])
            made["tif"].append([str(scans.tiff(name.with_suffix(".tif"), list(images), dpi)), list(jpgs)])
    for n in range(drop):
        image, dpi = _page(scans, count + n)
        target = folder / "drop" / (f"Scan_20261124_{n + 1:04d}.pdf" if n % 2 else f"IMG_20261124_{n + 1:04d}.jpg")
        made["drop"].append(str(scans.image_pdf(target, [image], dpi) if n % 2 else scans.jpeg(target, image, dpi)))
    return made


def _page(scans, n: int):
    """Page `n`: a full contract page at 300 dpi (even n) or a receipt with its barcode at 200 dpi (odd n)."""
    if n % 2 == 0:
        title = [f"ДОГОВОР АРЕНДЫ ЗЕМЕЛЬНОГО УЧАСТКА № {12 + n}/2023", f"лист {n // 2 + 1}"]
        return scans.page([*title, *CONTRACT * 4], dpi=300, rotate=0.6), 300  # a full page: 34 lines
    number = scans.shpi(f"42755{n:08d}")
    return scans.page(scans.receipt_lines(number, f"427550, п. Кез, ул. Кирова, д. {n}"), barcode=number), 200


# --- probes: each runs in its own process and prints one JSON object -------------------------------------

def probe_paired(root: str, files: list, bare_env: dict) -> dict:
    """Each file through `ocr_file` (into a fresh cache under `root`, as the OCR worker reads its queue) and its
    pages through bare Tesseract (one process a page, the text to stdout, `bare_env` added to its environment),
    turn about — bare first on even files — so that both see the same load of a shared machine."""
    from kezdocs.folders import ocr

    def bare(pages: list[str]) -> ocr.OcrResult:
        return ocr.OcrResult("".join(subprocess.run(["tesseract", page, "-", "-l", ocr.LANGUAGES], text=True,
                                                    capture_output=True, check=True, env=os.environ | bare_env)
                                     .stdout.strip() for page in pages), None)

    times, chars, problems = {"bare": 0.0, "ours": 0.0}, {"bare": 0, "ours": 0}, []
    for n, (name, pages) in enumerate(files):
        sides = [("bare", lambda: bare(pages)), ("ours", lambda: ocr.ocr_file(Path(root), Path(name)))]
        for side, call in sides if n % 2 == 0 else sides[::-1]:
            started = time.perf_counter()
            result = call()
            times[side] += time.perf_counter() - started
            chars[side] += len(result.text or "")
            problems += [f"{Path(name).name}: {result.problem}"] if result.problem else []
    return {"times": times, "chars": chars, "problems": problems}


def probe_command(args: list[str]) -> dict:
    """A `kezdocs` command run in this process, with the names of the files Tesseract read in it."""
    from kezdocs import cli
    from kezdocs.folders import ocr

    read, real = [], ocr._recognise
    ocr._recognise = lambda path, cancel: read.append(Path(path).name) or real(path, cancel)
    out, code = io.StringIO(), 0
    with contextlib.redirect_stdout(out):
        try:
            cli.main(args, standalone_mode=False)
        except SystemExit as exc:
            code = exc.code or 0
    return {"read": read, "performed": ocr.performed(), "code": code, "output": out.getvalue()}


def probe_pdf(root: str, files: list[str]) -> dict:
    """`ocr.searchable_pdf` on each file twice, as two packages ask: seconds of each round, and the copies'
    mtimes after each (the second round must make none)."""
    from kezdocs.folders import ocr

    rounds = []
    for _ in range(2):
        started = time.perf_counter()
        made = [ocr.searchable_pdf(Path(name), Path(root)) for name in files]
        rounds.append({"seconds": time.perf_counter() - started,
                       "made": {p.name: p.stat().st_mtime_ns for p in made if p is not None}})
    return {"rounds": rounds}


PROBES = {"paired": probe_paired, "command": probe_command, "pdf": probe_pdf}


def run_probe(name: str, *args, env: dict | None = None) -> dict:
    """A probe in a fresh process; `env` replaces the environment's OMP_THREAD_LIMIT (None: drops it)."""
    environ = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"} | (env or {})
    out = subprocess.run([sys.executable, __file__, "--probe", name, json.dumps(args)], capture_output=True,
                         text=True, env=environ, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"probe {name} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- 1. pages per second -------------------------------------------------------------------------------

def bench_speed(made: dict, scratch: Path, rows: list, notes: list) -> None:
    """kezdocs on the PDFs, JPEGs and TIFFs, each file beside bare Tesseract on its pages; then the JPEG path as
    a service started without OMP_THREAD_LIMIT runs it."""
    pages = len(made["jpg"])
    forms = {"pdf": f"PDF без текста ({_files(len(made['pdf']))} по ≤ {PER_FILE} стр., JPEG страниц)",
             "jpg": f"JPEG ({_files(pages)} по 1 стр.)",
             "tif": f"TIFF многостраничный ({_files(len(made['tif']))} по ≤ {PER_FILE} стр.)"}
    for form, title in forms.items():
        result = run_probe("paired", str(scratch / f"cache-{form}"), made[form], {}, env=ONE_THREAD)
        rows.append(_speed_row(f"OCR: {title}, {pages} стр.", pages, result, "tesseract"))
        notes += [f"ошибка OCR: {p}" for p in result["problems"][:3]]
    files = made["jpg"][:SHIPPED_PAGES]
    shipped = run_probe("paired", str(scratch / "cache-shipped"), files, ONE_THREAD)
    alike = run_probe("paired", str(scratch / "cache-alike"), files, {})
    rows.append(_speed_row(f"OCR: JPEG, служба запущена без OMP_THREAD_LIMIT, {len(files)} стр.",
                           len(files), shipped, "tesseract, 1 поток"))
    notes.append(f"без OMP_THREAD_LIMIT Tesseract берёт потоков по числу ядер ({os.cpu_count()}): голый tesseract "
                 f"без него же — {len(files) / alike['times']['bare']:.2f} стр/с, kezdocs рядом с ним — "
                 f"{len(files) / alike['times']['ours']:.2f} стр/с")
    notes.append("OCR: по одной странице, последовательно; kezdocs и голый tesseract по очереди, файл за файлом, в "
                 "одном процессе-замере; OMP_THREAD_LIMIT=1 у обоих (kezdocs ставит его сам каждому tesseract; строка "
                 "«служба запущена без OMP_THREAD_LIMIT» — процесс kezdocs без него); текст PDF — из JPEG его "
                 "страниц тем же tesseract, штрихкоды читаются вместе с текстом; кэш распознавания пуст у каждого "
                 "замера")


def _speed_row(title: str, pages: int, result: dict, floor: str) -> tuple:
    ours, bare = (pages / result["times"][side] for side in ("ours", "bare"))
    problems = result["problems"]
    return (title, f"{ours:.2f} стр/с ({result['times']['ours']:.1f} с); символов {result['chars']['ours']}"
            + (f"; ошибок: {len(problems)}" if problems else ""),
            f"{floor}: {bare:.2f} стр/с ({result['times']['bare']:.1f} с); символов {result['chars']['bare']}",
            f"×{ours / bare:.2f}", f"≥ ×{RATIO}", ours / bare >= RATIO and not problems)


def _files(n: int) -> str:
    return f"{n} {plural(n, 'файл', 'файла', 'файлов')}"


# --- 2. a re-scan costs no OCR ------------------------------------------------------------------------

def bench_rescan(made: dict, root: Path, case: Path, rows: list, notes: list) -> None:
    """Scans dropped into a case; `kezdocs ocr`; then `reindex`, `status` and `ocr` again: no page read twice."""
    base = ["--root", str(root), "--today", run.TODAY]
    settled = run_probe("command", ["ocr", *base], env=ONE_THREAD)  # make_root's placeholder images, first
    dropped = [made["pdf"][0], made["tif"][-1], *made["jpg"][1:3]]
    for path, _pages in dropped:
        shutil.copy2(path, case / Path(path).name)
    cached_before = _cache_files(root)
    first = run_probe("command", ["ocr", *base], env=ONE_THREAD)
    cached = _cache_files(root)
    later = [run_probe("command", args, env=ONE_THREAD) for args in (["reindex", *base], ["status", "--json", *base],
                                                                     ["ocr", *base])]
    waiting = sum(len(record["pending_ocr"]) for record in json.loads(later[1]["output"]))
    pages = {Path(path).name: len(jpgs) for path, jpgs in dropped}
    read_pages = [sum(pages.get(name, 0) for name in step["read"]) for step in (first, *later)]
    again = sum(step["performed"] for step in later)
    untouched = _cache_files(root) == cached
    scans = plural(len(dropped), "новый скан", "новых скана", "новых сканов")
    rows.append((f"kezdocs ocr: {len(dropped)} {scans} ({sum(pages.values())} стр.) в одном деле",
                 f"распознано: {_files(first['performed'])}, страниц {read_pages[0]}; в кэше "
                 f"+{_files(len(cached) - len(cached_before))}", "—", "—", "все страницы",
                 sorted(first["read"]) == sorted(pages) and first["performed"] == len(pages) and not first["code"]))
    rows.append(("затем reindex, status и kezdocs ocr снова", f"распознано: {_files(again)}, страниц "
                 f"{sum(read_pages[1:])}", "—", "—", "0 страниц, кэш не изменился", not again and untouched
                 and not waiting))
    bench_searchable(root, case, [path for path, _pages in dropped], pages, cached, rows)
    notes.append(f"до того kezdocs ocr разобрал заглушки-«сканы» корня make_root (20 дел): "
                 f"{_files(settled['performed'])} (не изображения — в кэше как нераспознанные)")
    notes.append(f"после reindex status --json: ждут распознавания {waiting}; повторный kezdocs ocr сказал: "
                 f"«{later[2]['output'].strip().splitlines()[-1]}»; файлы кэша и их mtime "
                 f"{'не изменились' if untouched else 'ИЗМЕНИЛИСЬ'}; счёт — по запускам распознавания в процессе каждой "
                 "команды (ocr.performed, имена файлов)")


def bench_searchable(root: Path, case: Path, dropped: list[str], pages: dict, cached: dict, rows: list) -> None:
    """The searchable copies a package asks for (`ocr.searchable_pdf`): none made by OCR, each made at the first
    ask, none made again at the second."""
    names = [str(case / Path(path).name) for path in dropped]
    result = run_probe("pdf", str(root), names)
    first, second = result["rounds"]
    before = [name for name in cached if name.endswith(".pdf")]
    rows.append((f"PDF с текстом для пакета (ocr.searchable_pdf): {_files(len(names))} ({sum(pages.values())} стр.)",
                 f"распознавание не сделало ни одного; первый запрос — {_files(len(first['made']))} за "
                 f"{first['seconds']:.1f} с, второй — {second['seconds']:.2f} с, новых {_new(first, second)}", "—",
                 "—", "по запросу, один раз",
                 not before and len(first["made"]) == len(names) and first["made"] == second["made"]))


def _new(first: dict, second: dict) -> int:
    return sum(second["made"].get(name) != stamp for name, stamp in first["made"].items())


def _cache_files(root: Path) -> dict[str, int]:
    from kezdocs.folders.ocr import cache_dir

    folder = cache_dir(root)
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} if folder.is_dir() else {}


# --- 3. status while scans wait -----------------------------------------------------------------------

def bench_status(made: dict, root: Path, case: Path, scratch: Path, rows: list, notes: list,
                 profile: bool) -> str:
    """`kezdocs status CASE` (a fresh process, wall time) before and after `--drop` scans land in the case."""
    command = [sys.executable, "-m", "kezdocs", "status", case.name, "--root", str(root), "--today", run.TODAY]
    status(command)  # the index is current, as a working root's is
    floor = [status(command)[0] for _ in range(REPEATS)]
    cached = _cache_files(root)
    for path in made["drop"]:
        shutil.copy2(path, case / Path(path).name)
    copy = scratch / "status-copy"
    shutil.copytree(root, copy, symlinks=True)  # for the profile: the same root, the case not yet re-read
    after = [status(command) for _ in range(REPEATS)]
    times, startup = [seconds for seconds, _ in after], status([*command[:3], "--help"])[0]
    expected = f"распознаётся: {len(made['drop'])}"
    said, untouched = all(expected in out for _, out in after), _cache_files(root) == cached
    scans = plural(len(made["drop"]), "новый скан", "новых скана", "новых сканов")
    rows.append((f"kezdocs status ДЕЛО: {len(made['drop'])} {scans} (по 1 стр.), отдельный процесс",
                 f"первый (дело перечитывается) {times[0]:.2f} с, затем медиана {statistics.median(times[1:]):.2f} "
                 f"с, макс. {max(times):.2f} с; «{expected} …» {'есть' if said else 'НЕТ'}",
                 f"до добавления: медиана {statistics.median(floor):.2f} с", f"×{times[0] / statistics.median(floor):.1f}",
                 f"< {STATUS_SECONDS:g} с, «распознаётся»", max(times) < STATUS_SECONDS and said and untouched))
    notes.append(f"status: время от запуска до выхода `python -m kezdocs status`, {REPEATS} раз до и {REPEATS} раз "
                 "после; сканы названы как у сканера и телефона (Scan_…pdf, IMG_…jpg), половина — квитанции со "
                 f"штрихкодом; кэш распознавания за это время {'не изменился' if untouched else 'ИЗМЕНИЛСЯ'}; "
                 f"`python -m kezdocs --help` (запуск и импорт) — {startup:.2f} с")
    return profile_status(copy, case.name) if profile or max(times) >= STATUS_SECONDS else ""


def status(command: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"status failed:\n{done.stderr[-3000:]}")
    return time.perf_counter() - started, done.stdout


# --- profiles for the lead ----------------------------------------------------------------------------

def _profiled(call, title: str, top: int = 15) -> str:
    profile, out = cProfile.Profile(), io.StringIO()
    profile.runcall(call)
    out.write(f"\n===== {title}: по общему времени\n")
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def profile_status(root: Path, case: str) -> str:
    """`cases.status` of the case right after the drop, in this process (Python's start-up not included)."""
    from kezdocs import cases
    from kezdocs.folders.casefolder import open_root

    return _profiled(lambda: cases.status(open_root(root), date.fromisoformat(run.TODAY), case),
                     "status ДЕЛО после добавления сканов (в процессе)", 20)


def profile_ocr(made: dict, scratch: Path) -> str:
    """ocr_file on one JPEG (cProfile) and on one PDF, and where ocrmypdf's time goes on that PDF."""
    from unittest import mock

    from kezdocs.folders import ocr

    with mock.patch.dict(os.environ, ONE_THREAD):  # as in the table's rows
        jpg = _profiled(lambda: ocr.ocr_file(scratch / "profile-jpg", Path(made["jpg"][0][0])), "ocr_file, 1 JPEG", 8)
        pdf = made["pdf"][0][0]
        whole = _seconds(lambda: ocr.ocr_file(scratch / "profile-pdf", Path(pdf)))
        return f"{jpg}\n===== ocr_file, {Path(pdf).name}: {whole:.2f} с\n" + profile_pdf(pdf, scratch)


def profile_pdf(pdf: str, scratch: Path) -> str:
    """ocrmypdf in this process (threads, kezdocs's options) on one PDF: the programs it runs, timed by name and
    caller; the rest is Python. Beside it the start-up of `python -m ocrmypdf`, which kezdocs pays per file."""
    import ocrmypdf

    from kezdocs.folders import ocr

    spent: dict[str, list[float]] = {}
    originals = (ocrmypdf.subprocess.run, ocrmypdf.subprocess.run_polling_stderr)

    def timed(real):
        def call(args, *rest, **kwargs):
            label, started = f"{Path(str(args[0])).name} ({sys._getframe(1).f_code.co_name})", time.perf_counter()
            try:
                return real(args, *rest, **kwargs)
            finally:
                spent.setdefault(label, []).append(time.perf_counter() - started)
        return call

    for module in [m for name, m in sys.modules.items() if name.startswith("ocrmypdf")]:
        for attr in ("run", "run_polling_stderr"):
            if getattr(module, attr, None) in originals:
                setattr(module, attr, timed(getattr(module, attr)))
    total = _seconds(lambda: ocrmypdf.ocr(pdf, scratch / "profile.pdf", language=ocr.LANGUAGES.split("+"),
                                          skip_text=True, jobs=ocr.JOBS, sidecar=scratch / "profile.txt",
                                          progress_bar=False, use_threads=True))
    startup = _seconds(lambda: subprocess.run([sys.executable, "-m", "ocrmypdf", "--version"], capture_output=True))
    lines = "".join(f"{label}: {len(times)} раз, {sum(times):.2f} с\n" for label, times in sorted(spent.items()))
    return (f"\n===== ocrmypdf.ocr в процессе, {Path(pdf).name}: всего {total:.2f} с\n{lines}"
            f"Python (pikepdf, сборка PDF и текста) и ожидание: {total - sum(map(sum, spent.values())):.2f} с\n"
            f"запуск `python -m ocrmypdf --version` (kezdocs — за каждый PDF): {startup:.2f} с\n")


def _seconds(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


# --- the run -------------------------------------------------------------------------------------------

def bench_ocr(rows: list, notes: list, pages: int = 12, drop: int = 20, profile: bool = False) -> str:
    """All three measurements on pages made in a scratch folder; returns the profiles (when slow or asked)."""
    notes.append(f"load average (1 мин) в начале: {os.getloadavg()[0]:.1f} (машину делят другие процессы)")
    with tempfile.TemporaryDirectory(prefix="kezdocs-ocr-") as name:
        scratch = Path(name)
        made = make_pages(scratch / "pages", pages, drop)
        bench_speed(made, scratch, rows, notes)
        slow = any(row[-1] is False for row in rows)
        print(run.table(rows), flush=True)
        root = make_root.make_root(scratch / "root", 20, date.fromisoformat(run.TODAY))
        folders = sorted(p for p in root.iterdir() if (p / "дело.yaml").is_file())  # 20 cases: none broken
        bench_rescan(made, root, folders[0], rows, notes)
        print(run.table(rows), flush=True)
        profiles = bench_status(made, root, folders[1], scratch, rows, notes, profile)
        if profile or slow:
            profiles += profile_ocr(made, scratch)
    notes.append(f"load average в конце: {os.getloadavg()[0]:.1f}")
    return profiles


def write_section(rows: list, notes: list, took: float) -> str:
    """The «Распознавание сканов» section of bench/results.md, put in place of the previous one."""
    version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    return run.write_section(SECTION, took, rows, notes,
                             "`python bench/ocr.py`: страницы — как в `tests/scans.py`; нижняя граница — голый "
                             "`tesseract` на тех же страницах в том же прогоне; каждый замер — отдельный процесс.",
                             f"; {version}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=12, help="pages OCR'd by each side")
    parser.add_argument("--drop", type=int, default=20, help="one-page scans dropped into a case for `status`")
    parser.add_argument("--profile", action="store_true", help="profile OCR and status even when they meet targets")
    parser.add_argument("--probe", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        name, data = args.probe
        print(json.dumps(PROBES[name](*json.loads(data))))
        return
    started = time.perf_counter()
    rows, notes = [], []
    profiles = bench_ocr(rows, notes, args.pages, args.drop, args.profile)
    print(profiles)
    print(write_section(rows, notes, time.perf_counter() - started))
    print(f"записано: {run.RESULTS}")
    if any(row[-1] is False for row in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
