"""The root's own checks: a case folder given as --root, a folder that is no root, the sample settings of init."""
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from kezdocs.cli import main
from kezdocs.core.kinds import KINDS
from kezdocs.core.settings import INTERNAL_KINDS, SETTINGS_NAME, parse_settings, sample_refusal
from kezdocs.folders.casefolder import open_root, settings_template

TODAY = "21.07.26"
EXAMPLE = "Пример 2024-001 ООО Ромашка"  # the example case `init` writes


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture()
def fresh(tmp_path) -> Path:
    """A root as `kezdocs init` makes it: the sample settings and one example case."""
    root = tmp_path / "дела"
    assert run("init", root).exit_code == 0
    return root


def sample_line(root: Path) -> int:
    lines = (root / SETTINGS_NAME).read_text(encoding="utf-8").splitlines()
    return lines.index("образец: да") + 1


def replace_sample(root: Path) -> None:
    """What the clerk does: put in the real details and delete the marked lines."""
    settings = root / SETTINGS_NAME
    text = settings.read_text(encoding="utf-8")
    settings.write_text(re.sub(r"(?m)^(# ▼.*|образец: да)\n", "", text), encoding="utf-8")


# --- --root ----------------------------------------------------------------------------------------------

def test_a_case_folder_as_root_names_its_parent(fresh):
    result = run("status", "--root", fresh / EXAMPLE, "--today", TODAY)
    assert result.exit_code == 2
    assert flat(result.output) == flat(f"Ошибка: папка «{fresh / EXAMPLE}» — это папка дела, а не папка с делами; "
                                       f"укажите её родительскую папку: --root \"{fresh.resolve()}\"")


def test_a_folder_inside_a_case_names_the_root(fresh):
    inner = fresh / EXAMPLE / "Почта"
    inner.mkdir()
    result = run("dashboard", "--root", inner, "--today", TODAY)
    assert result.exit_code == 2
    assert f"это папка внутри дела «{EXAMPLE}», а не папка с делами" in flat(result.output)
    assert f"--root \"{fresh.resolve()}\"" in flat(result.output)


def test_a_folder_with_neither_settings_nor_cases_is_said_to_be_no_root(tmp_path):
    empty = tmp_path / "пустая"
    empty.mkdir()
    result = run("status", "--root", empty, "--today", TODAY)
    assert f"в папке «{empty}» нет ни настройки.yaml, ни папок дел (с файлом дело.yaml) — похоже, это не папка с " \
           f"делами; укажите папку с делами: --root \"…\", или создайте её: kezdocs init \"{empty}\"" \
           in flat(result.output)
    assert sorted(p.name for p in empty.iterdir()) == [".kezdocs", "Сводка.html"]  # nothing of a clerk's touched


def test_a_missing_root_says_how_to_make_one(tmp_path):
    result = run("agenda", "--root", tmp_path / "нет")
    assert result.exit_code == 2
    assert f"папка с делами не найдена: «{tmp_path / 'нет'}»; укажите её: --root \"…\", или создайте новую: " \
           f"kezdocs init \"{tmp_path / 'нет'}\"" in flat(result.output)


# --- the sample settings of init ----------------------------------------------------------------------------

def warning(root: Path) -> str:
    return (f"настройки — образец из kezdocs init: замените реквизиты в настройки.yaml своими и удалите строку "
            f"«образец: да» (строка {sample_line(root)})")


def test_init_says_the_settings_are_a_sample(tmp_path):
    result = run("init", tmp_path / "дела")
    assert result.exit_code == 0 and warning(tmp_path / "дела") in flat(result.output)


@pytest.mark.parametrize("command", [["status"], ["dashboard"], ["agenda"], ["report", "overdue", "--date", TODAY],
                                     ["export", "дела.xlsx"], ["check", "2024-001"]])
def test_every_command_reading_the_root_warns_until_the_sample_is_replaced(fresh, command, monkeypatch):
    monkeypatch.chdir(fresh.parent)
    args = [*command, "--root", fresh] + (["--today", TODAY] if command[0] not in ("report",) else [])
    assert warning(fresh) in flat(run(*args).output)
    text = warning(fresh)
    replace_sample(fresh)
    assert text not in flat(run(*args).output) and "образец" not in run(*args).output


def test_generate_refuses_a_document_for_the_debtor_and_writes_an_internal_one(fresh):
    generated = fresh / EXAMPLE / "Сформировано"
    refused = run("generate", "--root", fresh, "--today", TODAY, "2024-001", "претензия")
    assert refused.exit_code == 2
    assert (f"документ «Требование (претензия)» не сформирован: в нём были бы реквизиты образца из kezdocs init; "
            f"замените реквизиты в настройки.yaml своими и удалите строку «образец: да» (строка {sample_line(fresh)})"
            in flat(refused.output))
    assert not generated.exists()
    memo = run("generate", "--root", fresh, "--today", TODAY, "2024-001", "memo")
    assert memo.exit_code == 0
    assert [p.name for p in generated.glob("*.docx")] == ["2026-07-21 Служебная записка 2024-001.docx"]
    replace_sample(fresh)
    claim = run("generate", "--root", fresh, "--today", TODAY, "2024-001", "claim")
    assert claim.exit_code == 0, claim.output
    assert len(list(generated.glob("*Требование*.docx"))) == 2  # one per address


def test_generate_all_is_refused_too(fresh):
    result = run("generate", "--root", fresh, "--today", TODAY, "--all", "claim")
    assert result.exit_code == 2 and "не сформирован: в нём были бы реквизиты образца" in flat(result.output)


@pytest.mark.parametrize("code", sorted(KINDS))
def test_only_the_internal_documents_may_be_written_from_the_sample(code):
    sample, _ = parse_settings(settings_template(sample=True))
    own, _ = parse_settings(settings_template())
    refusal = sample_refusal(sample, KINDS[code])
    assert (refusal is None) == (code in INTERNAL_KINDS)
    assert sample_refusal(own, KINDS[code]) is None


def test_the_template_is_the_sample_only_as_init_writes_it():
    marked, plain = settings_template(sample=True), settings_template()
    settings, problems = parse_settings(marked)
    assert settings.sample_line == marked.splitlines().index("образец: да") + 1
    assert [p.field for p in problems] == ["образец"]
    assert "образец" not in plain and "▼" not in plain and "\n\n\n" not in plain
    assert parse_settings(plain) == (replace(settings, sample_line=None), [])  # the same settings, not flagged


@pytest.mark.parametrize("value,line,messages", [
    ("да", 2, ["настройки — образец из kezdocs init: замените реквизиты в настройки.yaml своими и удалите строку "
               "«образец: да» (строка 2)"]),
    ("нет", None, []),
    ("может", 2, ["настройки — образец из kezdocs init: замените реквизиты в настройки.yaml своими и удалите строку "
                  "«образец: да» (строка 2)",
                  "«образец: может» не понято: после замены реквизитов образца удалите эту строку"]),
])
def test_the_sample_flag_values(value, line, messages):
    settings, problems = parse_settings(f"краткое_наименование: Администрация\nобразец: {value}\n")
    assert settings.sample_line == line
    assert [p.message for p in problems] == messages


def test_the_root_tells_its_sample_problem(fresh):
    assert open_root(fresh).sample_problem.line == sample_line(fresh)
    replace_sample(fresh)
    assert open_root(fresh).sample_problem is None
