"""The one text reader: the encodings and line endings of files people write by hand.

Cards, settings, the calendar, key rates and registries are saved by Notepad,
Excel and editors on Russian desktops: UTF-8 with or without a BOM, or
Windows-1251; LF or CRLF. `decode` reads any of them into text with `\\n`
line endings and says how it was stored, so a writer can store it the same
way (`encode`). Pure: bytes in, text out.
"""
from __future__ import annotations

from dataclasses import dataclass

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Encoding:
    """How a text file is stored: the codec and the line ending."""

    codec: str = "utf-8"  # "utf-8", "utf-8-sig" (with BOM) or "cp1251"
    newline: str = "\n"

    @property
    def label(self) -> str:
        return {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 с BOM", "cp1251": "Windows-1251"}[self.codec]


def decode(data: bytes) -> tuple[str, Encoding]:
    """The text with `\\n` line endings, and how it was stored.

    UTF-8 first (with or without BOM); otherwise Windows-1251, what Russian
    Notepad and Excel wrote for years. A byte that is neither raises
    `UnicodeDecodeError`.
    """
    newline = "\r\n" if b"\r\n" in data else "\n"
    if data.startswith(BOM):
        codec, text = "utf-8-sig", data[len(BOM):].decode("utf-8")
    else:
        try:
            codec, text = "utf-8", data.decode("utf-8")
        except UnicodeDecodeError:
            codec, text = "cp1251", data.decode("cp1251")
    return text.replace("\r\n", "\n"), Encoding(codec, newline)


def encode(text: str, encoding: Encoding) -> bytes:
    """`text` stored as `encoding` says; a character Windows-1251 cannot hold raises `UnicodeEncodeError`."""
    text = text.replace("\r\n", "\n")
    if encoding.newline == "\r\n":
        text = text.replace("\n", "\r\n")
    if encoding.codec == "utf-8-sig":
        return BOM + text.encode("utf-8")
    return text.encode(encoding.codec)
