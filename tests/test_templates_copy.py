"""`kezdocs templates copy NAME`: a default template put into the root's шаблоны/ to be edited, never over one."""
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from kezdocs.cli import main
from kezdocs.core.errors import KezdocsError
from kezdocs.folders.casefolder import open_root
from kezdocs.paperwork import template_sources


@pytest.fixture()
def root(tmp_path) -> Path:
    path = tmp_path / "дела"
    path.mkdir()
    return path


def _run(*args: str):
    return CliRunner().invoke(main, ["templates", *args])


def _flat(text: str) -> str:
    """The output without the line breaks rich puts into long messages."""
    return " ".join(text.split())


def test_copy_puts_the_default_template_into_the_roots_folder_and_list_shows_it_as_the_roots(root):
    result = _run("copy", "требование", "--root", str(root))
    assert result.exit_code == 0, result.output
    copied = root / "шаблоны" / "требование.docx"
    assert copied.read_bytes() == (template_sources.default_templates_dir() / "требование.docx").read_bytes()
    text = "\n".join(p.text for p in Document(str(copied)).paragraphs)
    assert "ТРЕБОВАНИЕ (ПРЕТЕНЗИЯ)" in text and "{{ org.name }}" in text
    assert [p.name for p in (root / "шаблоны").iterdir()] == ["требование.docx"]  # no temporary file left

    sources = {s.name: s for s in template_sources.list_templates(open_root(root))}
    assert sources["требование.docx"].origin == "шаблоны/"
    assert sources["требование.docx"].path == copied
    assert sources["расчет.docx"].origin == template_sources.DEFAULT_ORIGIN
    listed = _run("list", "--root", str(root))
    assert listed.exit_code == 0, listed.output
    claim_row = next(line for line in listed.output.splitlines() if "требование.docx" in line)
    assert "шаблоны/" in claim_row


def test_the_name_may_carry_the_suffix_in_any_case(root):
    result = _run("copy", "Иск_ГПК.DOCX", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert (root / "шаблоны" / "иск_гпк.docx").read_bytes() == (template_sources.default_templates_dir() / "иск_гпк.docx").read_bytes()


def test_an_existing_root_template_is_never_overwritten(root):
    own = root / "шаблоны" / "расчет.docx"
    own.parent.mkdir()
    own.write_bytes(b"the clerk's own calculation")
    result = _run("copy", "расчет.docx", "--root", str(root))
    assert result.exit_code == 2
    message = _flat(result.output)
    assert "свой шаблон шаблоны/расчет.docx уже есть, он не перезаписывается" in message
    assert "Traceback" not in result.output
    assert own.read_bytes() == b"the clerk's own calculation"
    assert [p.name for p in own.parent.iterdir()] == ["расчет.docx"]


def test_an_unknown_name_is_refused_listing_the_names_with_a_suggestion(root):
    result = _run("copy", "требовние", "--root", str(root))
    assert result.exit_code == 2
    message = _flat(result.output)
    assert "шаблона «требовние» нет среди шаблонов по умолчанию" in message
    assert "может быть, «требование.docx»?" in message
    for name in ("служебная_записка.docx", "опись_вложения.docx", "решение_о_безнадежности.docx"):
        assert name in message
    assert not (root / "шаблоны").exists()


def test_a_name_like_nothing_gets_the_list_without_a_guess(root):
    with pytest.raises(KezdocsError) as refused:
        template_sources.copy_template(open_root(root), "xyz")
    assert "может быть" not in str(refused.value)
    assert "иск_апк.docx" in str(refused.value)


def test_a_missing_root_is_refused_and_not_created(tmp_path):
    missing = tmp_path / "нет-такой"
    result = _run("copy", "требование", "--root", str(missing))
    assert result.exit_code == 2
    assert "папка с делами не найдена" in _flat(result.output)
    assert not missing.exists()
