"""The debtor registry: an Excel or CSV table a clerk fills in, imported into case folders; its columns and template.

One row per charge or payment (a row may also carry only the case's data).
Rows with the same «Номер дела» belong to one case; the case's columns may be
repeated or left empty on its later rows.

The registry in modules: its columns and the template (here);
`registry_csv` (CSV read strictly, line by line); `registry_read` (a file's
rows and their cells); `registry_plan` (what the rows do to the cases);
`registry_import` (the plan written, journalled); `registry_export` (every
case written back in the registry's layout).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

from kezdocs.core.model import DebtorType
from kezdocs.core.tables import Column, Report
from kezdocs.folders.files import write_bytes_atomic
from kezdocs.paperwork.xlsx import workbook_bytes

SHEET = "Реестр"
TEMPLATE_FILE = "реестр_шаблон.xlsx"


@dataclass(frozen=True)
class Field:
    """A column of the registry: its header, what it holds, which part of the case it fills."""

    header: str
    key: str
    kind: str  # text | id | date | money | choice
    level: str  # case | charge | payment
    example: str
    help: str
    aliases: tuple[str, ...] = ()


DEBTOR_TYPES = {"юрлицо": "юрлицо", "юр. лицо": "юрлицо", "юридическое лицо": "юрлицо", "организация": "юрлицо",
                "ип": "ип", "индивидуальный предприниматель": "ип", "физлицо": "физлицо", "физ. лицо": "физлицо",
                "физическое лицо": "физлицо", "гражданин": "физлицо"}
TYPE_CHOICES = ("юрлицо", "ИП", "физлицо")
# The kinds of the two address columns, by debtor type (п. 4.5: a claim goes to every address).
ADDRESS_KINDS = {"юрлицо": ("по ЕГРЮЛ", "по договору"), "ип": ("по ЕГРИП", "по договору"),
                 "физлицо": ("регистрации", "фактический")}
REGISTRY_TYPES = {DebtorType.LEGAL: "юрлицо", DebtorType.ENTREPRENEUR: "ИП", DebtorType.PERSON: "физлицо"}

FIELDS = (
    Field("Номер дела", "number", "text", "case", "2024-017",
          "Обязательно. Строки с одним номером относятся к одному делу."),
    Field("Администратор", "administrator", "text", "case", "Управление финансов",
          "Подразделение-исполнитель, как в настройках (достаточно начала названия). Пусто — первое из настроек."),
    Field("Тип должника", "type", "choice", "case", "юрлицо", "юрлицо, ИП или физлицо. Обязательно для нового дела."),
    Field("Наименование", "name", "text", "case", "ООО «Ромашка»",
          "Для юрлица — обязательно; для ИП можно не заполнять (будет «Индивидуальный предприниматель ФИО»)."),
    Field("Фамилия", "last_name", "text", "case", "Иванов", "Для физлица и ИП — обязательно."),
    Field("Имя", "first_name", "text", "case", "Иван", "Для физлица и ИП — обязательно."),
    Field("Отчество", "middle_name", "text", "case", "Иванович", "Для физлица и ИП, если есть."),
    Field("ИНН", "inn", "id", "case", "1831000019",
          "10 цифр у организации, 12 — у ИП и физлица; для юрлица и ИП обязателен. Столбец текстовый: "
          "так Excel не отбрасывает ведущие нули."),
    Field("ОГРН", "ogrn", "id", "case", "1021800000001", "ОГРН (13 цифр) или ОГРНИП (15 цифр), если известен."),
    Field("Адрес по ЕГРЮЛ / регистрации", "address_1", "text", "case", "427550, Удмуртская Республика, п. Кез, ул. Кирова, д. 1",
          "Юрлицо — адрес по ЕГРЮЛ, ИП — по ЕГРИП, физлицо — адрес регистрации (обязателен для нового дела).",
          ("Адрес 1", "Адрес регистрации", "Юридический адрес")),
    Field("Адрес по договору / фактический", "address_2", "text", "case", "п. Кез, ул. Ленина, д. 5",
          "Второй адрес, если отличается: по договору (юрлицо, ИП) или фактический (физлицо).",
          ("Адрес 2", "Фактический адрес", "Адрес по договору")),
    Field("Основание", "basis", "text", "case", "Договор аренды земельного участка",
          "Документ, из которого возник долг. Обязательно для нового дела."),
    Field("Номер договора", "basis_number", "text", "case", "12/2023", "Номер документа-основания."),
    Field("Дата договора", "basis_date", "date", "case", "10.01.2023", "Дата документа-основания."),
    Field("КБК", "kbk", "id", "case", "90111105035050000120",
          "20 цифр; можно 17 цифр кода дохода — тогда впереди ставится код главного администратора из настроек. "
          "Обязательно для нового дела."),
    Field("Период", "period", "text", "charge", "I квартал 2024",
          "Начисление: период (как он назван в договоре). Заполняется вместе с суммой и сроком уплаты."),
    Field("Сумма начисления", "charge_amount", "money", "charge", "15000,00", "Начисление: сумма, рублей."),
    Field("Срок уплаты", "due", "date", "charge", "10.03.2024", "Начисление: последний день срока уплаты."),
    Field("Дата платежа", "payment_date", "date", "payment", "02.04.2024",
          "Платёж: дата поступления. Заполняется вместе с суммой платежа."),
    Field("Сумма платежа", "payment_amount", "money", "payment", "5000,00", "Платёж: сумма, рублей."),
    Field("Документ платежа", "payment_document", "text", "payment", "п/п № 123",
          "Платёж: платёжный документ. Два одинаковых платежа в один день различаются только по нему."),
    Field("Ответственный", "officer", "text", "case", "Петрова Анна Сергеевна",
          "ФИО ответственного сотрудника. Обязательно для нового дела."),
    Field("Телефон", "phone", "text", "case", "8 (34158) 3-12-34", "Телефон ответственного."),
)
BY_KEY = {f.key: f for f in FIELDS}
CASE_KEYS = tuple(f.key for f in FIELDS if f.level == "case" and f.key != "number")
MONEY_OR_DATE = {"date": "date", "money": "money"}


def norm_header(header: str) -> str:
    """A header as it is matched: NFC, case and «ё» folded, spaces collapsed, «*» and «:» dropped."""
    text = unicodedata.normalize("NFC", str(header)).casefold().replace("ё", "е")
    return re.sub(r"\s+", " ", text).strip(" *:")


HEADERS = {norm_header(name): f for f in FIELDS for name in (f.header, *f.aliases)}


# --- the template --------------------------------------------------------------------------------

def template_bytes() -> bytes:
    """The registry template shipped with the package (`kezdocs import --template FILE` writes it)."""
    return resources.files("kezdocs.data").joinpath(TEMPLATE_FILE).read_bytes()


def build_template() -> bytes:
    """Make the template: the empty «Реестр» sheet, the columns explained, an example (see templates/build_reports.py)."""
    sheet = Report("registry", "", REGISTRY_COLUMNS, (), numbered=False, sheet=SHEET)
    help_sheet = Report("registry", "Как заполнять реестр должников", HELP_COLUMNS,
                        tuple((f.header, f.help, f.example) for f in FIELDS), numbered=False, sheet="Описание",
                        notes=REGISTRY_NOTES)
    return workbook_bytes([sheet, help_sheet, Report("registry", "", REGISTRY_COLUMNS, EXAMPLE_ROWS, numbered=False,
                                                     sheet="Пример")])


REGISTRY_COLUMNS = tuple(Column(f.header, MONEY_OR_DATE.get(f.kind, "text"), max(12, min(len(f.header) + 4, 30)),
                                choices=TYPE_CHOICES if f.kind == "choice" else ()) for f in FIELDS)
HELP_COLUMNS = (Column("Столбец", width=30), Column("Что писать", width=90), Column("Пример", width=30))
REGISTRY_NOTES = (
    "Одна строка — одно начисление или один платёж; данные дела (должник, основание, КБК) достаточно указать в первой "
    "строке дела. Заполняйте лист «Реестр»; лист «Пример» показывает, как выглядит заполненный реестр.",
    "Повторная загрузка того же реестра ничего не удваивает: начисления и платежи, которые уже есть в деле, пропускаются. "
    "У существующего дела из реестра добавляются только начисления и платежи — остальное правится в карточке.",
    "CSV: «;» или «,» между столбцами, кодировка UTF-8 или Windows-1251, суммы с запятой (15000,50).",
)
EXAMPLE_ROWS = (
    ("2024-017", "Управление финансов", "юрлицо", "ООО «Ромашка»", None, None, None, "1831000019", "1021800000001",
     "427550, Удмуртская Республика, п. Кез, ул. Кирова, д. 1", None, "Договор аренды земельного участка", "12/2023",
     date(2023, 1, 10), "90111105035050000120", "I квартал 2024", Decimal("15000.00"), date(2024, 3, 10), None, None,
     None, "Петрова Анна Сергеевна", "8 (34158) 3-12-34"),
    ("2024-017", None, None, None, None, None, None, None, None, None, None, None, None, None, None, None, None, None,
     date(2024, 4, 2), Decimal("5000.00"), "п/п № 123", None, None),
)


def write_template(path: Path) -> Path:
    """Write the registry template (an .xlsx) where the user asked."""
    if path.suffix.lower() != ".xlsx":
        path = path.with_suffix(".xlsx")
    write_bytes_atomic(path, template_bytes())
    return path
