"""Russian wording for documents: dates, personal names in cases, plural forms.

Pure. Personal names are declined with pytrovich (petrovich 2.0.1 gets some
names wrong, see DOMAIN.md). An organisation is declined by its head noun only
(«Администрация муниципального образования …» → «Администрации муниципального
образования …»: the rest of the name is already in the genitive or is a proper
name in quotes); a name whose first word is not a known head noun («ООО
«Ромашка»», «МКУ …») is left as written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from pytrovich.detector import PetrovichGenderDetector
from pytrovich.enums import Case, Gender, NamePart
from pytrovich.maker import PetrovichDeclinationMaker

MONTHS_GENITIVE = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                   "октября", "ноября", "декабря")

GENITIVE = "genitive"
DATIVE = "dative"
_CASES = {GENITIVE: Case.GENITIVE, DATIVE: Case.DATIVE}

# The first word of a position, in the dative, for an addressee block («Главе …»).
_POSITION_DATIVE = {
    "глава": "главе", "начальник": "начальнику", "заместитель": "заместителю", "руководитель": "руководителю",
    "директор": "директору", "председатель": "председателю", "управляющий": "управляющему",
    "заведующий": "заведующему", "исполняющий": "исполняющему", "временно": "временно",
}

# The head nouns of the bodies and organisations that occur as a creditor or an administrator, in the genitive.
# Only the first word of a name changes: the words after it depend on it and are in the genitive already
# («Управление имущественных отношений …», «Отдел культуры Администрации …»).
_ORGANISATION_GENITIVE = {
    "администрация": "администрации", "управление": "управления", "отдел": "отдела", "комитет": "комитета",
    "департамент": "департамента", "министерство": "министерства", "совет": "совета", "дума": "думы",
    "служба": "службы", "агентство": "агентства", "инспекция": "инспекции", "учреждение": "учреждения",
    "казначейство": "казначейства", "палата": "палаты", "контора": "конторы", "центр": "центра",
}

ENTREPRENEUR = {GENITIVE: "индивидуального предпринимателя", DATIVE: "индивидуальному предпринимателю"}

_INITIALS = re.compile(r"^([А-ЯЁ])\.\s*([А-ЯЁ])?\.?$")
# «И. О. Фамилия», «И.О.Фамилия»: initials before the last name, with or without spaces
_LEADING_INITIALS = re.compile(r"^([А-ЯЁ])\.\s*(?:([А-ЯЁ])\.\s*)?(?=[А-ЯЁ][а-яё])")


def date_text(day: date) -> str:
    """«18 мая 2023 г.» — the date form of documents (ГОСТ Р 7.0.97 allows it in texts); non-breaking spaces keep
    the day with the month and the year with «г.» on one line."""
    return f"{day.day}\u00a0{MONTHS_GENITIVE[day.month - 1]} {day.year}\u00a0г."


def date_short(day: date) -> str:
    """«18.05.2023» — the date form of requisites and tables."""
    return f"{day:%d.%m.%Y}"


def plural(n: int, one: str, few: str, many: str) -> str:
    """The word form for a number: 1 день, 2 дня, 5 дней, 11 дней, 21 день."""
    n = abs(n)
    if 11 <= n % 100 <= 14:
        return many
    if n % 10 == 1:
        return one
    if 2 <= n % 10 <= 4:
        return few
    return many


def count_text(n: int, one: str, few: str, many: str) -> str:
    """«30 календарных дней», «1 лист»."""
    return f"{n} {plural(n, one, few, many)}"


@dataclass(frozen=True)
class PersonName:
    """A person's name split into parts; `initials` is set when the name was written with initials only."""

    last: str
    first: str | None = None
    middle: str | None = None
    initials: str | None = None  # «И.О.»

    @property
    def short(self) -> str:
        """«И.О. Фамилия» — the form of a signature block (ГОСТ Р 7.0.97, п. 5.21)."""
        return f"{self.initials_text}\u00a0{self.last}" if self.initials_text else self.last

    @property
    def initials_text(self) -> str:
        if self.initials:
            return self.initials
        return "".join(f"{part[0]}." for part in (self.first, self.middle) if part)

    @property
    def full(self) -> str:
        if self.first:
            return " ".join(p for p in (self.last, self.first, self.middle) if p)
        return self.short


def split_name(text: str) -> PersonName:
    """Read «Фамилия Имя Отчество», «И.О. Фамилия» or «Фамилия И.О.»."""
    text = " ".join(text.replace("\u00a0", " ").split())
    words = text.split()
    if not words:
        return PersonName("")
    leading = _LEADING_INITIALS.match(text)
    if leading:  # written «И.О.» with no space, as ГОСТ Р 7.0.97-2016 п. 5.21 writes them
        return PersonName(text[leading.end():], initials="".join(f"{c}." for c in leading.groups() if c))
    if len(words) >= 2 and _INITIALS.match(words[0].replace(" ", "")):
        return PersonName(" ".join(words[1:]), initials=words[0])
    if len(words) >= 2 and _INITIALS.match("".join(words[1:])):
        return PersonName(words[0], initials="".join(words[1:]))
    if len(words) == 4 and words[3].lower() in ("оглы", "кызы"):
        return PersonName(words[0], words[1], f"{words[2]} {words[3]}")
    return PersonName(words[0], words[1] if len(words) > 1 else None, " ".join(words[2:]) or None)


@lru_cache(maxsize=1)
def _maker() -> PetrovichDeclinationMaker:
    return PetrovichDeclinationMaker()


@lru_cache(maxsize=1)
def _detector() -> PetrovichGenderDetector:
    return PetrovichGenderDetector()


def gender_of(name: PersonName, known: str | None = None) -> Gender:
    """The card's «пол» when given, else guessed from the middle name, first name, last name."""
    if known == "male":
        return Gender.MALE
    if known == "female":
        return Gender.FEMALE
    parts = {"firstname": name.first, "middlename": name.middle}
    if not any(parts.values()):
        parts = {"lastname": name.last}
    try:
        return _detector().detect(**{k: v for k, v in parts.items() if v})
    except (KeyError, ValueError, AttributeError):
        return Gender.ANDROGYNOUS


def decline(name: PersonName, case: str, gender: str | None = None) -> PersonName:
    """The name in the genitive or dative; hyphenated parts are declined part by part."""
    sex = gender_of(name, gender)
    grammar = _CASES[case]

    def part(kind: NamePart, value: str | None) -> str | None:
        if not value:
            return value
        return "-".join(_maker().make(kind, sex, grammar, piece) for piece in value.split("-"))

    return PersonName(part(NamePart.LASTNAME, name.last), part(NamePart.FIRSTNAME, name.first),
                      part(NamePart.MIDDLENAME, name.middle), name.initials)


def position_dative(position: str) -> str:
    """«Глава муниципального образования …» → «Главе муниципального образования …».

    Only the head word changes; the rest of a position is already in the genitive.
    An unknown head word is left as written.
    """
    words = position.split(" ", 2)
    changed = []
    for word in words[:2]:
        found = _POSITION_DATIVE.get(word.lower())
        if found is None:
            break
        changed.append(found.capitalize() if word[:1].isupper() else found)
        if found != "временно":
            break
    if not changed:
        return position
    return " ".join(changed + words[len(changed):])


def organisation_genitive(name: str) -> str:
    """«Администрация муниципального образования …» → «Администрации муниципального образования …».

    The name of a body or organisation in the genitive, for a phrase that governs it («в пользу истца —
    Администрации …»): only the head noun changes. A name whose first word is not a known head noun
    (a legal form such as «ООО», an abbreviation, an adjective before the noun) is left unchanged —
    never a guessed form.
    """
    head, sep, rest = name.partition(" ")
    found = _ORGANISATION_GENITIVE.get(head.lower())
    if found is None:
        return name
    if head.isupper() and len(head) > 1:
        found = found.upper()
    elif head[:1].isupper():
        found = found.capitalize()
    return found + sep + rest


def capitalize(text: str) -> str:
    """Upper-case the first letter only (str.capitalize lowers the rest, breaking «ООО»)."""
    return text[:1].upper() + text[1:]
