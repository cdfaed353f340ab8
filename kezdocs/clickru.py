"""click in Russian: its own messages, the usage line's placeholders, and choices in any letter case.

click 8 passes every message it prints through `gettext` («Usage:», «Error: …»,
«Missing argument», «No such option», «Did you mean …») — each of its modules
binds `_` and `ngettext` at import. `install()` sets those two names, in each
module, to lookups in the Russian catalogue below, so a clerk never reads
English. A message click adds in a later version and this catalogue lacks stays
English: tests/test_cli_russian.py reads click's source and fails on it.

What gettext does not reach is the command classes' business: `RussianGroup`
and `RussianCommand` write the usage line's placeholders in Russian
(«[ПАРАМЕТРЫ]», «ДЕЛО», «ДАТА») and make every `click.Choice` ignore letter
case («ИП», «Юрлицо» and «ФИЗЛИЦО» are accepted; the command gets the
canonical lower-case value).
"""
from __future__ import annotations

import click

# click's msgid -> Russian. Placeholders are click's own: `{value!r}` may become «{value}» (same keyword).
CATALOGUE: dict[str, str] = {
    "Usage:": "Использование:",
    "Options": "Параметры",
    "Commands": "Команды",
    "Positional arguments": "Аргументы",
    "Error: {message}": "Ошибка: {message}",
    "Try '{command} {option}' for help.": "Справка: {command} {option}",
    "Show this message and exit.": "Показать эту справку и выйти.",
    "Show the version and exit.": "Показать версию и выйти.",
    "%(prog)s, version %(version)s": "%(prog)s, версия %(version)s",
    "Aborted!": "Прервано.",
    "deprecated": "устарело",
    "Missing command.": "Не указана команда.",
    "Missing argument": "Не указан аргумент",
    "Missing option": "Не указан параметр",
    "Missing parameter": "Не указан параметр",
    "Missing {param_type}": "Не указано: {param_type}",
    "Missing parameter: {param_name}": "Не указан параметр: {param_name}",
    "Invalid value: {message}": "Недопустимое значение: {message}",
    "Invalid value for {param_hint}: {message}": "Недопустимое значение {param_hint}: {message}",
    "No such option {name!r}.": "Нет параметра «{name}».",
    "No such command {name!r}.": "Нет команды «{name}».",
    "unknown error": "неизвестная ошибка",
    "Could not open file {filename!r}: {message}": "Не удаётся открыть файл «{filename}»: {message}",
    "Choose from:\n\t{choices}": "Выберите одно из:\n\t{choices}",
    "Choice({choices})": "Выбор({choices})",
    "{value!r} is not a valid {number_type}.": "«{value}» — не число.",
    "{value} is not in the range {range}.": "{value} — вне допустимых пределов ({range}).",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "«{value}» — не «да» и не «нет». Допустимые значения: {states}",
    "{value!r} is not a valid UUID.": "«{value}» — не уникальный идентификатор.",
    "file": "файл",
    "directory": "папка",
    "path": "путь",
    "{name} {filename!r} does not exist.": "{name} «{filename}» не существует.",
    "{name} {filename!r} is a file.": "{name} «{filename}» — файл, а нужна папка.",
    "{name} {filename!r} is a directory.": "{name} «{filename}» — папка, а нужен файл.",
    "{name} {filename!r} is not readable.": "{name} «{filename}» не читается (нет прав).",
    "{name} {filename!r} is not writable.": "{name} «{filename}» недоступен для записи (нет прав).",
    "{name} {filename!r} is not executable.": "{name} «{filename}» нельзя запустить.",
    "Value must be an iterable.": "Значение должно быть списком.",
    "Invalid start character for option ({option})": "Параметр должен начинаться с «-» или «--» ({option})",
    "Option {name!r} does not take a value.": "Параметр «{name}» пишется без значения.",
    "Argument {name!r} takes {nargs} values.": "Аргументу «{name}» нужно значений: {nargs}.",
    "env var: {var}": "переменная окружения: {var}",
    "default: {default}": "по умолчанию: {default}",
    "required": "обязательно",
    "(dynamic)": "(вычисляется)",
    "Do you want to continue?": "Продолжить?",
    "Confirm the action without prompting.": "Подтвердить, не спрашивая.",
    "Repeat for confirmation": "Повторите для подтверждения",
    "Error: The two entered values do not match.": "Ошибка: введённые значения не совпадают.",
    "Error: invalid input": "Ошибка: недопустимый ввод",
    "Press any key to continue...": "Нажмите любую клавишу…",
    "Unknown color {colour!r}": "Неизвестный цвет «{colour}»",
    "Unknown standard stream '{name}'": "Неизвестный стандартный поток «{name}»",
    "{editor}: Editing failed": "{editor}: правка не удалась",
    "{editor}: Editing failed: {e}": "{editor}: правка не удалась: {e}",
    "d": "д",
    # Raised only by a mistake in kezdocs' own command table, never by what a user types.
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}":
        "Предупреждение: команда «{name}» устарела.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}":
        "Предупреждение: {param_type} «{name}» устарел.{extra_message}",
    "Could not determine name for option with declarations {decls!r}":
        "Не удаётся определить имя параметра из объявления {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? "
    "Did you mean to pass '--{name}'?": "Параметр без имени с ключом ({name}): объявите аргумент или «--{name}».",
    "Name '{name}' defined twice": "Имя «{name}» объявлено дважды",
    "Boolean option {decl!r} cannot use the same flag for true/false.":
        "Флаг {decl!r} не может означать и «да», и «нет».",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.":
        "У аргумента одно объявление, а указано {length}: {decls}.",
}

# (singular, plural) msgid -> (Russian for one, Russian for any other number, phrased not to need a plural form).
PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        ("Лишний аргумент ({args})", "Лишние аргументы ({args})"),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        ("Может быть, {possibility}?", "(Может быть, одно из: {possibilities}?)"),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        ("После параметра «{name}» нужно значение.", "После параметра «{name}» нужно значений: {nargs}."),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        ("«{value}» — допустимо только {choice}.", "«{value}» — нет среди допустимых: {choices}."),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        ("Нужно значений: {nargs}, а дано одно.", "Нужно значений: {nargs}, а дано: {len}."),
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."):
        ("«{value}» не в формате {format}.", "«{value}» не в одном из форматов {formats}."),
    ("{len_type} values are required, but {len_value} was given.",
     "{len_type} values are required, but {len_value} were given."):
        ("Нужно значений: {len_type}, а дано: {len_value}.", "Нужно значений: {len_type}, а дано: {len_value}."),
}

CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils",
                 "_termui_impl")


def gettext(message: str) -> str:
    """click's message in Russian; a message the catalogue lacks is left as it is."""
    return CATALOGUE.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """click's counted message in Russian (the Russian text reads right for any number)."""
    one, other = PLURALS.get((singular, plural), (singular, plural))
    return one if n == 1 else other


def install() -> None:
    """Make every click module print Russian: its `_` and `ngettext` become the catalogue's lookups."""
    import importlib

    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext


# --- the usage line and the choices ------------------------------------------------------------------

# A parameter's placeholder by its name in the command table; otherwise by its type (`_by_type`).
METAVARS = {"root": "ПАПКА", "directory": "ПАПКА", "today": "ДАТА", "when": "ДАТА", "due": "ДАТА", "end": "ДАТА",
            "basis_date": "ДАТА", "case": "ДЕЛО", "event": "СОБЫТИЕ", "kind": "ВИД", "file": "ФАЙЛ",
            "template": "ФАЙЛ", "out": "ПУТЬ", "name": "ИМЯ", "quarter": "КВАРТАЛ", "amount": "СУММА"}


def _by_type(kind: click.ParamType) -> str:
    if isinstance(kind, (click.types.IntParamType, click.types.FloatParamType)):
        return "ЧИСЛО"
    if isinstance(kind, click.Path):
        return "ПУТЬ"
    if isinstance(kind, click.types.BoolParamType):
        return "ДА|НЕТ"
    return "ТЕКСТ"


def russify(param: click.Parameter) -> None:
    """A parameter's placeholder in Russian (unless the table gave one); its choices in any letter case."""
    if isinstance(param.type, click.Choice):
        param.type.case_sensitive = False
    if param.metavar is not None or (isinstance(param, click.Option) and param.is_flag):
        return
    if isinstance(param, click.Argument):
        name = METAVARS.get(param.name, param.name.upper())
        name = name if param.required else f"[{name}]"
        param.metavar = name + ("..." if param.nargs != 1 else "")
    elif not isinstance(param.type, click.Choice):  # a choice lists its values: «[xlsx|docx]»
        param.metavar = METAVARS.get(param.name, _by_type(param.type)) + ("..." if param.nargs != 1 else "")


class RussianCommand(click.Command):
    """A command whose usage line and placeholders are Russian and whose choices ignore letter case."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[ПАРАМЕТРЫ]")
        super().__init__(*args, **kwargs)
        for param in self.params:
            russify(param)


class RussianGroup(click.Group):
    """A group of `RussianCommand`s; its sub-groups are `RussianGroup`s too."""

    command_class = RussianCommand
    group_class = type  # a sub-group is of the same class as its parent

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[ПАРАМЕТРЫ]")
        kwargs.setdefault("subcommand_metavar", "КОМАНДА [АРГУМЕНТЫ]...")
        super().__init__(*args, **kwargs)
        for param in self.params:
            russify(param)
