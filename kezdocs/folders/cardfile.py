"""The one card writer: every change to a `дело.yaml` goes through `update_card` or `create_card`.

A card is edited by people (in Notepad, Word's «save as text», VS Code) and by
kezdocs (`record`, `import`, `new`, the web workspace) — possibly at the same
moment, from several computers on one file share. The writer:

1. takes the case's lock (`ROOT/.kezdocs/locks/`), so two kezdocs writers
   take turns; a writer that waits too long is told who holds the lock;
2. reads the card once it has settled (a file an editor is still writing —
   in place, or in two chunks — changes its bytes or has a fresh mtime);
3. applies the edit to the text just read, and validates the result;
4. writes the new bytes to a temporary file beside the card and puts it in
   place only if the card still holds what was read (`files.write_bytes_atomic`
   with `expected`): if an editor saved meanwhile, the edit is applied again to
   the new text (nothing of either is lost).

On Linux the new card is swapped in with one atomic exchange and what it
displaced is compared afterwards — an editor's save that landed in between is
swapped back — so no window remains. Where the system cannot exchange two names
(Windows), the comparison is made right before the rename: an editor that
saves in those few microseconds (one read of a small file and one rename)
would see its save replaced by the card with our edit applied to the text
before it. No lock can close that, since editors take none.

A form (the web workspace) is built from one state of the card and carries
its version (`card_version`); a submit passes it as `expected_version`, and a
card that changed since is not written (`CardChanged`, with the card's new
state), since the form's values were chosen for a card that is gone.

The card keeps its encoding (UTF-8, UTF-8 with BOM, Windows-1251), its line
endings (LF or CRLF) and, through the edit functions of `card`, its comments.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
import unicodedata
from pathlib import Path
from typing import Callable

from kezdocs.core import encodings
from kezdocs.core.encodings import Encoding
from kezdocs.core.errors import KezdocsError
from kezdocs.core.model import Problem
from kezdocs.folders.files import write_bytes_atomic
from kezdocs.folders.locks import held, holder_note_path

LOCK_TIMEOUT = 30.0  # seconds a writer waits for another kezdocs writer of the same card
QUIET = 0.25  # seconds a card must stay unchanged to count as saved, unless kezdocs wrote it itself
SETTLE_MAX = 5.0  # seconds to wait for an editor to finish saving before working with what is there
LOCK_BUCKETS = 256
ATTEMPTS = 20  # edits re-applied because the card changed under us, before giving up
VERSION_CHARS = 16  # hex digits of sha256 a form carries as the card's version


def encode(text: str, encoding: Encoding, shown: str) -> bytes:
    """`text` stored as the card was; a character Windows-1251 cannot hold is a Russian error."""
    try:
        return encodings.encode(text, encoding)
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start]
        raise KezdocsError(f"{shown}: карточка в кодировке {encoding.label}, а символ «{bad}» "
                           f"(U+{ord(bad):04X}) в ней не записать; сохраните карточку в UTF-8 и повторите") from None


def lock_path(card_path: Path) -> Path:
    """The lock of a case: under the root's `.kezdocs/locks/`, chosen by the case folder's name.

    Cases share `LOCK_BUCKETS` locks, so a root of 10 000 cases keeps a few
    hundred small files there, not tens of thousands; two cases that share a
    lock only take turns.
    """
    folder = Path(card_path).parent
    name = unicodedata.normalize("NFC", os.fsdecode(folder.name))
    digest = hashlib.blake2b(name.encode("utf-8", "surrogateescape"), digest_size=8).digest()
    return folder.parent / ".kezdocs" / "locks" / f"card-{int.from_bytes(digest, 'big') % LOCK_BUCKETS:03d}.lock"


def _shown(card_path: Path) -> str:
    return f"{Path(card_path).parent.name}/{Path(card_path).name}"


def version_of(data: bytes) -> str:
    """The version of a card's bytes: what a form carries to tell, on submit, whether the card changed since."""
    return hashlib.sha256(data).hexdigest()[:VERSION_CHARS]


def card_version(card_path: Path) -> str:
    """The version of the card as it stands once nobody is saving it (a form is built from this state)."""
    card_path = Path(card_path)
    return version_of(_settled_read(card_path, lock_path(card_path), _shown(card_path)))


class CardChanged(KezdocsError):
    """The card is no longer the one a form was built from: nothing was written; `text` and `version` are its state."""

    def __init__(self, text: str, version: str):
        super().__init__("карточку дела изменили после того, как вы открыли форму; ничего не записано — "
                         "проверьте её новое состояние и повторите")
        self.text = text
        self.version = version


def update_card(card_path: Path, edit: Callable[[str], str], check: Callable[[str], list[Problem]],
                *, what: str = "запись", expected_version: str | None = None) -> str:
    """Apply `edit` to the card's text and write it back, losing neither our change nor anybody else's.

    `check(text)` returns the problems of a card text; the card is written only
    when the edited text has none. With `expected_version` (a form's), a card
    that changed since the form was built is left alone: `CardChanged`, since
    the form's values were chosen for a card that is no longer there.
    Returns the text written.
    """
    card_path = Path(card_path)
    shown = _shown(card_path)
    lock = lock_path(card_path)
    with held(lock, f"карточка дела «{shown}»", LOCK_TIMEOUT):
        for _ in range(ATTEMPTS):
            data = _settled_read(card_path, lock, shown)
            try:
                text, encoding = encodings.decode(data)
            except UnicodeDecodeError:
                raise KezdocsError(f"{shown}: карточка не в UTF-8 и не в Windows-1251 — "
                                   "сохраните её как текст UTF-8") from None
            if expected_version is not None and expected_version != version_of(data):
                raise CardChanged(text, version_of(data))
            try:
                new_text = edit(text)
            except ValueError:  # the text is no card at all (half saved, or broken): judged below
                new_text = None
            problems = check(new_text) if new_text is not None else None
            if problems is None or problems:
                if _changed(card_path, data):
                    continue  # an editor was saving: read it again
                before = check(text)
                if before:
                    raise KezdocsError(f"{what} не сделана — в карточке есть ошибки, исправьте их:\n"
                                       + "\n".join(f"  {p}" for p in before))
                raise KezdocsError(f"{what} не сделана — карточка стала бы ошибочной:\n"
                                   + "\n".join(f"  {p}" for p in problems or ()))
            new_data = encode(new_text, encoding, shown)
            if write_bytes_atomic(card_path, new_data, expected=data):
                _remember_own(lock, new_data)
                return new_text
        raise KezdocsError(f"{what} не сделана: карточку {shown} всё время меняют — закройте её в редакторе и повторите")


def create_card(card_path: Path, text: str, check: Callable[[str], list[Problem]]) -> None:
    """Write a new card (UTF-8, LF); an existing card is never replaced."""
    card_path = Path(card_path)
    shown = _shown(card_path)
    problems = check(text)
    if problems:
        raise KezdocsError("карточка не создана — в ней были бы ошибки:\n" + "\n".join(f"  {p}" for p in problems))
    lock = lock_path(card_path)
    with held(lock, f"карточка дела «{shown}»", LOCK_TIMEOUT):
        if card_path.exists():
            raise KezdocsError(f"дело уже есть: {card_path.parent}")
        data = text.encode("utf-8")
        if not write_bytes_atomic(card_path, data, expected=None):
            raise KezdocsError(f"дело уже есть: {card_path.parent}")
        _remember_own(lock, data)


def put_card(card_path: Path, text: str) -> None:
    """Set a card to `text` whatever it held, under the case's lock (the demo root resets its own cards)."""
    card_path = Path(card_path)
    lock = lock_path(card_path)
    with held(lock, f"карточка дела «{_shown(card_path)}»", LOCK_TIMEOUT):
        data = text.encode("utf-8")
        for _ in range(ATTEMPTS):
            if write_bytes_atomic(card_path, data, expected=card_path.read_bytes() if card_path.exists() else None):
                _remember_own(lock, data)
                return
        raise KezdocsError(f"карточку {_shown(card_path)} всё время меняют — закройте её в редакторе и повторите")


# --- reading a settled card, replacing it only when unchanged ---------------------------------

def _read(path: Path) -> tuple[bytes, int]:
    try:
        with open(path, "rb") as handle:
            return handle.read(), os.fstat(handle.fileno()).st_mtime_ns
    except FileNotFoundError:
        raise KezdocsError(f"карточка не найдена: {path}") from None


def _settled_read(path: Path, lock: Path, shown: str) -> bytes:
    """The card's bytes once nobody is writing them.

    kezdocs's own writes are whole (atomic replace), recognised by their hash.
    Anything else changed less than `QUIET` seconds ago may be an editor
    half-way through saving: read again after a pause until two reads agree.
    """
    deadline = time.monotonic() + SETTLE_MAX
    data, mtime = _read(path)
    while time.monotonic() < deadline:
        if _is_own(lock, data) or time.time() - mtime / 1e9 >= QUIET:
            return data
        time.sleep(QUIET)
        again, again_mtime = _read(path)
        if again == data and again_mtime == mtime:
            return data
        data, mtime = again, again_mtime
    return data


def _changed(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() != data
    except OSError:
        return True


def _remember_own(lock: Path, data: bytes) -> None:
    """Add the hash of what kezdocs wrote to the holder's note: the next writer need not wait for it to settle."""
    note = holder_note_path(lock)
    try:
        content = json.loads(note.read_text(encoding="utf-8"))
        content["written"] = hashlib.sha256(data).hexdigest()
        note.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    except (OSError, ValueError):
        pass


def _is_own(lock: Path, data: bytes) -> bool:
    try:
        written = json.loads(holder_note_path(lock).read_text(encoding="utf-8")).get("written")
    except (OSError, ValueError, AttributeError):
        return False
    return written == hashlib.sha256(data).hexdigest()
