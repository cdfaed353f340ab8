"""The command line speaks Russian: click's own messages, the usage line, choices in any case, a clerk's dates."""
import ast
import re
import string
from datetime import date
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kezdocs import clickru
from kezdocs.cli import main
from kezdocs.core.dates import parse_date

CLICK_DIR = Path(click.__file__).parent


def click_messages() -> tuple[set[str], set[tuple[str, str]]]:
    """Every literal message click passes through `_` and `ngettext`, read from click's own source."""
    single, plural = set(), set()
    for module in clickru.CLICK_MODULES:
        for node in ast.walk(ast.parse((CLICK_DIR / f"{module}.py").read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.id == "_" and texts:
                single.add(texts[0])
            elif node.func.id == "ngettext" and len(texts) == 2:
                plural.add((texts[0], texts[1]))
    return single, plural


MESSAGES, PLURAL_MESSAGES = click_messages()
# The English words a user could meet: those of click's messages, and of the placeholders click writes itself.
ENGLISH = {word.lower() for text in [*MESSAGES, *(m for pair in PLURAL_MESSAGES for m in pair)]
           for word in re.findall(r"[A-Za-z]{3,}", re.sub(r"\{[^}]*\}|%\([a-z]+\)s", "", text))}
ENGLISH |= {"options", "command", "args", "text", "integer", "float", "range", "path", "boolean"}


def english_in(output: str) -> set[str]:
    """The English words of click's catalogue left in `output` (option names and the program's name aside)."""
    plain = re.sub(r"--?[A-Za-z][\w-]*|kezdocs|%\(\w+\)s", " ", output)
    return {word for word in re.findall(r"[A-Za-z]{3,}", plain) if word.lower() in ENGLISH}


def run(*args: str, **kwargs):
    return CliRunner().invoke(main, list(args), prog_name="kezdocs", **kwargs)


def test_the_catalogue_translates_every_message_of_this_click():
    assert len(MESSAGES) > 50 and len(PLURAL_MESSAGES) >= 7  # the reader found click's messages
    assert sorted(MESSAGES - set(clickru.CATALOGUE)) == []
    assert sorted(PLURAL_MESSAGES - set(clickru.PLURALS)) == []


@pytest.mark.parametrize("msgid", sorted(clickru.CATALOGUE))
def test_a_translation_uses_only_the_placeholders_click_fills(msgid):
    def names(text):
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}

    assert names(clickru.CATALOGUE[msgid]) <= names(msgid)
    assert re.findall(r"%\(\w+\)s", clickru.CATALOGUE[msgid]) == re.findall(r"%\(\w+\)s", msgid)
    assert not english_in(re.sub(r"\{[^}]*\}", "", clickru.CATALOGUE[msgid]))


USAGE_ERRORS = [
    (["init"], "Ошибка: Не указан аргумент 'ПАПКА'."),
    (["init", "а", "б"], "Ошибка: Лишний аргумент (б)"),
    (["status", "--rot", "x"], "Ошибка: Нет параметра «--rot». Может быть, '--root'?"),
    (["statu"], "Ошибка: Нет команды «statu». Может быть, 'status'?"),
    (["report", "overdue", "--date", "2026-12-25", "--format", "pdf"],
     "Ошибка: Недопустимое значение '--format': «pdf» — нет среди допустимых: 'xlsx', 'docx'."),
    (["agenda", "--days", "много"], "Ошибка: Недопустимое значение '--days': «много» — не число."),
    (["agenda", "--days", "-1"], "Ошибка: Недопустимое значение '--days': -1 — вне допустимых пределов (x>=0)."),
    (["report", "overdue"], "Ошибка: Не указан параметр '--date'."),
    (["status", "--root"], "Ошибка: После параметра «--root» нужно значение."),
    (["status", "--json=да"], "Ошибка: Параметр «--json» пишется без значения."),
    (["calendar", "workdays", "2024-05-27", "десять"], "Ошибка: Недопустимое значение 'N': «десять» — не число."),
]


@pytest.mark.parametrize("args,message", USAGE_ERRORS, ids=[" ".join(a) for a, _ in USAGE_ERRORS])
def test_every_kind_of_usage_error_is_said_in_russian(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output
    if not args[-1].startswith("--"):  # click's parser names no command when an option itself is wrong
        assert "Использование: kezdocs" in result.output and "Справка: kezdocs" in result.output
    assert english_in(result.output) == set(), result.output


def commands(group: click.Group, path=()):
    for name, command in group.commands.items():
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))


ALL_COMMANDS = [(), *(path for path, _ in commands(main))]


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=[" ".join(p) or "kezdocs" for p in ALL_COMMANDS])
def test_the_help_of_every_command_is_russian(path):
    result = run(*path, "--help")
    assert result.exit_code == 0
    assert result.output.startswith(f"Использование: {' '.join(('kezdocs', *path))} [ПАРАМЕТРЫ]")
    assert "Параметры:\n" in result.output and "Показать эту справку и выйти." in result.output
    assert english_in(result.output) == set(), result.output


def test_the_top_help_lists_commands_and_the_version_is_russian():
    helped = run("-h")
    assert "КОМАНДА [АРГУМЕНТЫ]..." in helped.output and "Команды:\n" in helped.output
    assert "Показать версию и выйти." in helped.output
    version = run("--version")
    assert version.exit_code == 0 and version.output.startswith("kezdocs, версия ")


def test_a_group_without_its_command_shows_its_russian_help():
    result = run("report")
    assert "Использование: kezdocs report [ПАРАМЕТРЫ] КОМАНДА [АРГУМЕНТЫ]..." in result.output
    assert english_in(result.output) == set()


def test_an_interrupted_question_is_said_in_russian():
    @click.command(cls=clickru.RussianCommand)
    def ask():
        click.prompt("Номер дела")

    result = CliRunner().invoke(ask, input="")
    assert result.exit_code == 1 and "Прервано." in result.output and "Aborted" not in result.output


# --- choices in any letter case -----------------------------------------------------------------------

def choice_options():
    for path, command in [((), main), *commands(main)]:
        for param in command.params:
            if isinstance(param.type, click.Choice):
                yield " ".join(path), param


CHOICES = list(choice_options())


def test_every_choice_of_the_cli_ignores_letter_case():
    assert len(CHOICES) >= 7  # --type, --method, --rate-mode, --moratorium, --step, --format ×3
    assert [(path, p.name) for path, p in CHOICES if p.type.case_sensitive] == []


@pytest.mark.parametrize("typed,canonical", [("ИП", "ип"), ("Юрлицо", "юрлицо"), ("ФИЗЛИЦО", "физлицо")])
def test_the_debtor_type_is_taken_in_any_case_and_passed_on_in_lower_case(typed, canonical):
    option = next(p for p in main.commands["new"].params if p.name == "debtor_type")
    with click.Context(main.commands["new"]) as ctx:
        assert option.type_cast_value(ctx, typed) == canonical


def test_a_choice_in_capitals_reaches_the_command_as_its_canonical_value():
    result = run("penalty", "--amount", "1000", "--due", "10.01.2024", "--to", "20.01.2024", "--method", "PERCENT",
                 "--percent", "0.1", "--json")
    assert result.exit_code == 0, result.output
    assert '"total": "10.00"' in result.stdout  # 10 days × 0.1 % of 1 000: the method was understood


# --- dates as a clerk writes them (core/dates.py) --------------------------------------------------------

@pytest.mark.parametrize("text,day", [
    ("21.07.26", date(2026, 7, 21)),
    ("21.07.2026", date(2026, 7, 21)),
    ("2026-07-21", date(2026, 7, 21)),
    ("1.2.26", date(2026, 2, 1)),
    ("21.07.2026 г.", date(2026, 7, 21)),
    ("21.07.26г", date(2026, 7, 21)),
    (" 29.02.24 ", date(2024, 2, 29)),
    ("31.02.26", None),
    ("29.02.25", None),
    ("21/07/2026", None),
    ("21.07.026", None),
    ("21.07", None),
    ("2026.07.21", None),
    ("", None),
])
def test_parse_date(text, day):
    assert parse_date(text) == day


def test_a_two_digit_year_works_on_the_command_line():
    result = run("calendar", "workdays", "21.07.26", "1", "--json")
    assert result.exit_code == 0, result.output
    assert '"2026-07-22"' in result.stdout


def test_a_day_that_does_not_exist_is_refused_in_russian():
    result = run("calendar", "is-working", "31.02.26")
    assert result.exit_code == 2 and "«31.02.26» — не дата" in result.output
