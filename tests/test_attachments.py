"""Issue 14 item 12: the attachment list («Приложение») of a lawsuit and a court-order application.

Each attachment is named by its kind and the card's details, never by a file name; only the step's checklist is
attached (never a writ, a judgment or a payment order in a lawsuit); the line is «… — на N л. в 1 экз.»
(ГОСТ Р 7.0.97-2016 п. 5.24); `generate` warns the user of what the step still lacks.
"""
from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date

import docx
import pytest
from click.testing import CliRunner
from PIL import Image
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

from kezdocs.cli import main
from kezdocs.core import attachments, kinds, requirements, samples
from kezdocs.core.classification import KINDS, Document
from kezdocs.core.documents import build
from kezdocs.core.model import Basis, DebtorType, Event, PenaltyMethod
from kezdocs.folders.casefolder import open_root, settings_template
from kezdocs.paperwork import package, render
from kezdocs.paperwork.pdftext import text_pdf

NBSP = "\u00a0"
TODAY = date(2024, 9, 16)
REF = "2024-021"
SHPI_1, SHPI_2, SHPI_SUIT = "42755012345675", "42755012345682", "42755099999990"
INN = "183100000" + stdnum_inn.calc_company_check_digit("183100000")
OGRN = "102180000000" + stdnum_ogrn.calc_check_digit("1021800000000")


def doc(relpath: str, kind: str, tracking: tuple[str, ...] = ()) -> Document:
    return Document(relpath, kind, KINDS[kind], None, tracking, "name")


def case(debtor_type=DebtorType.LEGAL, basis=None, events=None):
    base = samples.sample_case(debtor_type)
    return replace(base, basis=basis or Basis("Договор аренды земельного участка", "12/2023", date(2023, 1, 10)),
                   events=base.events if events is None else events)


SETTINGS = samples.sample_settings()
CLAIMS = (Event(date(2024, 4, 15), "claim_sent", {"шпи": SHPI_1, "адрес": "по договору"}),
          Event(date(2024, 4, 15), "claim_sent", {"шпи": SHPI_2, "адрес": "по ЕГРЮЛ"}),
          Event(date(2024, 8, 12), "court_order_cancelled"))


# --- the names: kind -> line ------------------------------------------------------------------------

@pytest.mark.parametrize("step, key, document, expected", [
    # the basis from the card, its head noun in the genitive after «Копия» (ГПК РФ ст. 132 п. 4; АПК РФ ст. 126 ч. 1 п. 3)
    ("lawsuit", "basis", doc("скан 1.pdf", "contract"),
     f"Копия договора аренды земельного участка №{NBSP}12/2023 от 10.01.2023"),
    ("lawsuit", "basis", None, f"Копия договора аренды земельного участка №{NBSP}12/2023 от 10.01.2023"),
    ("lawsuit", "basis", doc("дс.pdf", "amendment"),
     f"Копия дополнительного соглашения к договору аренды земельного участка №{NBSP}12/2023 от 10.01.2023"),
    ("lawsuit", "basis", doc("сверка.pdf", "reconciliation"),
     f"Копия акта сверки взаимных расчётов по договору аренды земельного участка №{NBSP}12/2023 от 10.01.2023"),
    ("lawsuit", "basis", doc("акт.pdf", "act_invoice"),
     f"Копия акта (счёта) по договору аренды земельного участка №{NBSP}12/2023 от 10.01.2023"),
    # the claim copy with the date of the «претензия направлена» event (п. 4.4, 5.2(3) регламента)
    ("lawsuit", "claim_copy", doc("IMG_20260721_114512.jpg", "claim_copy"), "Копия требования (претензии) от 15.04.2024"),
    # postal proofs with the ШПИ of the letter to that address (п. 4.5): the event's, or the file's own
    ("lawsuit", "claim_sent:1", doc("чек.pdf", "postal_receipt", (SHPI_1,)),
     f"Копия почтовой квитанции об отправке требования (претензии), ШПИ {SHPI_1}"),
    ("lawsuit", "claim_sent:2", doc("скан.pdf", "postal_receipt"),
     f"Копия почтовой квитанции об отправке требования (претензии), ШПИ {SHPI_2}"),
    ("lawsuit", "claim_sent:1", doc("опись.pdf", "post_inventory", (SHPI_1,)),
     f"Копия описи вложения в почтовое отправление с требованием (претензией), ШПИ {SHPI_1}"),
    ("lawsuit", "claim_sent:2", doc("уведомление.pdf", "delivery_notice", (SHPI_2,)),
     f"Копия уведомления о вручении почтового отправления с требованием (претензией), ШПИ {SHPI_2}"),
    # a printout of the Russian Post site is not a copy of anything
    ("lawsuit", "claim_sent:1", doc("трек.pdf", "tracking_report", (SHPI_1,)),
     f"Отчёт об отслеживании почтового отправления с требованием (претензией), ШПИ {SHPI_1}"),
    ("lawsuit", "claim_sent:1", None, f"Копия документа, подтверждающего направление требования (претензии), ШПИ {SHPI_1}"),
    # the copy sent to the other party (ГПК РФ ст. 132 п. 6; АПК РФ ст. 126 ч. 1 п. 1; ГПК РФ ст. 124 since 01.09.2024)
    ("lawsuit", "lawsuit_sent", doc("Иск/квитанция.pdf", "lawsuit_sent_proof", (SHPI_SUIT,)),
     f"Документ о направлении ответчику копии искового заявления с приложениями, ШПИ {SHPI_SUIT}"),
    ("court-order", "lawsuit_sent", None,
     "Документ о направлении должнику копии заявления о выдаче судебного приказа с приложениями"),
    # the ruling cancelling the order, dated by the event (ГПК РФ ст. 129; АПК РФ ст. 229.5 ч. 4)
    ("lawsuit", "order_cancellation", doc("определение.pdf", "order_cancellation"),
     "Копия определения об отмене судебного приказа от 12.08.2024"),
    # the representative's authority from the settings (ГПК РФ ст. 132 п. 2; АПК РФ ст. 126 ч. 1 п. 5)
    ("lawsuit", "power_of_attorney", doc("доверенность Смирнов.docx", "power_of_attorney"),
     "Копия доверенности представителя № 15 от 09.01.2026"),
    ("lawsuit", "diploma", None, "Копия документа о высшем юридическом образовании представителя"),
    # the extract is obtained for the filing: an original, not «Копия» (АПК РФ ст. 126 ч. 1 п. 9)
    ("lawsuit", "registry_extract", doc("выписка.pdf", "registry_extract"), "Выписка из ЕГРЮЛ в отношении ответчика"),
    ("court-order", "registry_extract", None, "Выписка из ЕГРЮЛ в отношении должника"),
])
def test_each_kind_is_named_by_the_card(step, key, document, expected):
    item = requirements.Item(key, "—", "—", document is not None, (document.relpath,) if document else ())
    assert attachments.title(step, case(events=CLAIMS), SETTINGS, item, document) == expected


def test_an_entrepreneurs_extract_is_from_the_egrip():
    item = requirements.Item("registry_extract", "—", "—", False)
    assert (attachments.title("lawsuit", case(DebtorType.ENTREPRENEUR), SETTINGS, item, None)
            == "Выписка из ЕГРИП в отношении ответчика")


@pytest.mark.parametrize("basis, genitive, dative", [
    (Basis("Договор аренды земельного участка", "12/2023", date(2023, 1, 10)),
     f"договора аренды земельного участка №{NBSP}12/2023 от 10.01.2023",
     f"договору аренды земельного участка №{NBSP}12/2023 от 10.01.2023"),
    (Basis("Муниципальный контракт", "7", None), f"муниципального контракта №{NBSP}7",
     f"муниципальному контракту №{NBSP}7"),
    (Basis("Соглашение о рассрочке", None, date(2024, 2, 1)), "соглашения о рассрочке от 01.02.2024",
     "соглашению о рассрочке от 01.02.2024"),
    (Basis("Постановление о назначении штрафа", "5-12", None), f"постановления о назначении штрафа №{NBSP}5-12",
     f"постановлению о назначении штрафа №{NBSP}5-12"),
    (Basis("Извещение об оплате", "3", None), None, None),  # an unknown head noun is never declined by guess
])
def test_the_basis_in_the_case_the_phrase_needs(basis, genitive, dative):
    assert attachments.basis_phrase(basis, "genitive") == genitive
    assert attachments.basis_phrase(basis, "dative") == dative


def test_an_unknown_basis_is_quoted_not_declined():
    item = requirements.Item("basis", "—", "—", False)
    title = attachments.title("lawsuit", case(basis=Basis("Извещение об оплате", "3", None)), SETTINGS, item, None)
    assert title == f"Копия документа-основания: Извещение об оплате №{NBSP}3"


@pytest.mark.parametrize("pages, expected", [
    # ГОСТ Р 7.0.97-2016 п. 5.24: the sheets and the copies; with the sheets unknown, the copies only
    (5, f"Копия договора{NBSP}— на{NBSP}5{NBSP}л. в{NBSP}1{NBSP}экз."),
    (1, f"Копия договора{NBSP}— на{NBSP}1{NBSP}л. в{NBSP}1{NBSP}экз."),
    (None, f"Копия договора{NBSP}— в{NBSP}1{NBSP}экз."),
])
def test_the_line_gives_sheets_and_copies(pages, expected):
    assert attachments.line("Копия договора", pages) == expected


def test_only_the_steps_checklist_is_attached():
    # п. 5.2; ГПК РФ ст. 132: a writ, a judgment, a bank's reply, a bailiff's decision, a payment order belong to
    # other stages and are never attached to a lawsuit; each file once, in the checklist's order
    docs = [doc("Договор/д.pdf", "contract"), doc("ИЛ.pdf", "writ"), doc("решение.pdf", "judgment"),
            doc("банк.pdf", "bank_response"), doc("ФССП.pdf", "bailiff_decision"), doc("пп.pdf", "payment_order"),
            doc("прочее.pdf", "other"), doc("чек.pdf", "postal_receipt", (SHPI_1, SHPI_2))]
    plan = attachments.planned(case(events=CLAIMS), SETTINGS, "lawsuit", docs)
    files = [p.relpath for p in plan if p.relpath]
    assert files == ["Договор/д.pdf", "чек.pdf"]  # one receipt proving both letters: attached once
    assert plan[0] == attachments.Planned("Расчёт задолженности и пени", None, "calculation")
    assert "state_duty" not in [p.key for p in plan]  # the exemption is cited in the text, it is no paper


# --- a real case folder: the lawsuit rendered and read back -------------------------------------------

CARD = f"""номер: {REF}
администратор: Управление территориального развития
ответственный: {{фио: Иванова Мария Петровна, телефон: "+7 (34158) 3-12-34"}}
должник:
  тип: юрлицо
  наименование: ООО «Берёзка»
  инн: "{INN}"
  огрн: "{OGRN}"
  адреса:
    - {{вид: по договору, адрес: "427550, п. Кез, ул. Кирова, д. 1"}}
    - {{вид: по ЕГРЮЛ, адрес: "426000, г. Ижевск, ул. Пушкина, д. 10"}}
основание:
  документ: Договор аренды земельного участка
  номер: 12/2023
  дата: 10.01.2023
код_дохода: "00011105012140000120"
неустойка: {{способ: процент в день, ставка: 0.1}}
начисления:
  - {{период: I квартал 2024, сумма: "100 000,00", срок_уплаты: 11.03.2024}}
события:
  - {{дата: 15.04.2024, событие: претензия направлена, шпи: "{SHPI_1}", адрес: по договору}}
  - {{дата: 15.04.2024, событие: претензия направлена, шпи: "{SHPI_2}", адрес: по ЕГРЮЛ}}
  - {{дата: 20.05.2024, событие: служебная записка направлена}}
  - {{дата: 10.06.2024, событие: решение о взыскании принято}}
  - {{дата: 20.06.2024, событие: заявление о выдаче судебного приказа подано}}
  - {{дата: 01.07.2024, событие: судебный приказ вынесен}}
  - {{дата: 12.08.2024, событие: судебный приказ отменен}}
"""

FILES = {  # relpath -> pages of a real PDF (None: a JPEG)
    "Договор/Договор аренды 12-2023.pdf": 5,
    "Претензия/IMG_20260721_114512.jpg": None,
    f"Почта/квитанция {SHPI_1}.pdf": 1,
    f"Почта/квитанция {SHPI_2}.pdf": 1,
    "определение об отмене судебного приказа.pdf": 1,
    "выписка ЕГРЮЛ.pdf": 2,
    "исполнительный лист ФС 045678912.pdf": 2,  # another stage: never attached to a lawsuit
    "решение суда.pdf": 3,  # another stage
    "платежное поручение 123.pdf": 1,  # another stage
}


def make_root(tmp_path):
    root = tmp_path / "дела"
    folder = root / f"{REF} ООО Берёзка"
    folder.mkdir(parents=True)
    (root / "настройки.yaml").write_text(settings_template(), encoding="utf-8")
    (folder / "дело.yaml").write_text(CARD, encoding="utf-8")
    for rel, pages in FILES.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if pages is None:
            Image.new("RGB", (60, 80), "white").save(path, "JPEG")
        else:
            path.write_bytes(text_pdf([[f"{path.stem}", f"лист {n}"] for n in range(1, pages + 1)]))
    return root, folder


def attachment_lines(path) -> list[str]:
    """The numbered lines after «Приложение:» of a rendered DOCX."""
    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    start = paragraphs.index("Приложение:")
    lines = []
    for text in paragraphs[start + 1:]:
        if not re.match(r"\d+\. ", text):
            break
        lines.append(text)
    return lines


def line(n: int, title: str, pages: int | None) -> str:
    return f"{n}. {attachments.line(title, pages)}"


EXPECTED = [
    line(1, "Расчёт задолженности и пени", None),
    line(2, f"Копия договора аренды земельного участка №{NBSP}12/2023 от 10.01.2023", 5),
    line(3, "Копия требования (претензии) от 15.04.2024", None),  # a JPEG: sheets unknown
    line(4, f"Копия почтовой квитанции об отправке требования (претензии), ШПИ {SHPI_1}", 1),
    line(5, f"Копия почтовой квитанции об отправке требования (претензии), ШПИ {SHPI_2}", 1),
    line(6, "Копия определения об отмене судебного приказа от 12.08.2024", 1),
    line(7, "Документ о направлении ответчику копии искового заявления с приложениями", None),  # still to send
    line(8, "Копия доверенности представителя № 15 от 09.01.2026", None),
    line(9, "Копия документа о высшем юридическом образовании представителя", None),
    line(10, "Выписка из ЕГРЮЛ в отношении ответчика", 2),  # an original
]


def test_the_lawsuit_names_its_attachments_by_kind_and_card(tmp_path):
    root, folder = make_root(tmp_path)
    opened = open_root(root)
    path = render.generate(opened, opened.find(REF), "lawsuit", TODAY)[0]
    lines = attachment_lines(path)
    assert lines == EXPECTED
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    for rel in FILES:  # never a file name, nor its stem
        stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        assert stem not in text, stem
    assert "IMG_" not in text and "Копия:" not in text
    # files of other stages are not attached
    assert not any(word in line for line in lines for word in ("исполнительн", "решени", "платежн"))
    # the ЕГРЮЛ extract is an original
    assert [line for line in lines if "ЕГРЮЛ" in line] == [EXPECTED[-1]]
    assert "Копия выписки" not in text


def test_generate_warns_the_user_with_the_missing_checklist_items(tmp_path):
    root, folder = make_root(tmp_path)
    args = ["generate", REF, "lawsuit", "--root", str(root), "--today", TODAY.isoformat()]
    run = CliRunner().invoke(main, args)
    assert run.exit_code == 0, run.stderr
    written = folder / "Сформировано"
    lawsuit = [p for p in written.iterdir() if p.suffix == ".docx"]
    assert len(lawsuit) == 1  # the document is still written
    # the same list `kezdocs check --step lawsuit` shows (requirements.checklist)
    checked = package.check(open_root(root), REF, TODAY, "lawsuit").checklist
    assert checked.missing == ["Расчёт взыскиваемой суммы (долг, пени, проценты)",
                               "Доказательство направления ответчику копии иска с приложениями",
                               "Доверенность представителя",
                               "Копия диплома представителя о высшем юридическом образовании"]
    warning = " ".join(run.stderr.split())
    assert f"дело {REF}: для подачи не хватает: {'; '.join(checked.missing)}; проверьте kezdocs check {REF}" in warning
    # the warning is the user's, never the court's
    text = "\n".join(p.text for p in docx.Document(str(lawsuit[0])).paragraphs)
    assert "не хватает" not in text and "kezdocs" not in text
    as_json = CliRunner().invoke(main, [*args, "--json"])
    assert json.loads(as_json.stdout)["missing"] == [
        {"case": REF, "step": "lawsuit", "items": checked.missing}]


def test_a_complete_folder_gives_no_warning(tmp_path):
    root, folder = make_root(tmp_path)
    (folder / "доверенность Смирнов.pdf").write_bytes(text_pdf([["Доверенность № 15"]]))
    (folder / "диплом Смирнов.pdf").write_bytes(text_pdf([["Диплом"]]))
    (folder / "Иск").mkdir()
    (folder / "Иск" / f"квитанция {SHPI_SUIT}.pdf").write_bytes(text_pdf([["Кассовый чек", SHPI_SUIT]]))
    base = ["--root", str(root), "--today", TODAY.isoformat()]
    calculation = CliRunner().invoke(main, ["generate", REF, "calculation", *base])
    assert calculation.exit_code == 0 and "для подачи" not in calculation.stderr  # no court document: no checklist
    run = CliRunner().invoke(main, ["generate", REF, "lawsuit", *base])
    assert run.exit_code == 0 and "не хватает" not in run.stderr
    lawsuit = next(p for p in (folder / "Сформировано").iterdir() if "Исковое заявление" in p.name)
    lines = attachment_lines(lawsuit)
    assert line(7, f"Документ о направлении ответчику копии искового заявления с приложениями, ШПИ {SHPI_SUIT}",
                1) in lines
    assert line(8, "Копия доверенности представителя № 15 от 09.01.2026", 1) in lines


def test_a_persons_court_order_attaches_what_gpk_124_asks():
    # ГПК РФ ст. 124: no claim copy or postal proofs of the claim (unlike a lawsuit, ст. 132 п. 3), no ЕГРЮЛ extract;
    # the copy of the application sent to the debtor first (since 01.09.2024)
    docs = [doc("Договор/д.pdf", "contract"), doc("претензия.pdf", "claim_copy"),
            doc("чек.pdf", "postal_receipt", (SHPI_1,)), doc("ИЛ.pdf", "writ")]
    plan = attachments.planned(case(DebtorType.PERSON, events=CLAIMS[:1]), SETTINGS, "court-order", docs)
    assert [(p.title, p.relpath) for p in plan] == [
        ("Расчёт задолженности и пени", None),
        (f"Копия договора аренды земельного участка №{NBSP}12/2023 от 10.01.2023", "Договор/д.pdf"),
        ("Документ о направлении должнику копии заявления о выдаче судебного приказа с приложениями", None),
        ("Копия доверенности представителя № 15 от 09.01.2026", None),
    ]


@pytest.mark.parametrize("method, title", [
    # the attachment names the calculation as it is headed: interest of ГК РФ ст. 395 is not «пени» (ст. 330)
    (PenaltyMethod.ARTICLE_395, "Расчёт задолженности и процентов по ст. 395 ГК РФ"),
    (PenaltyMethod.PERCENT, "Расчёт задолженности и пени"),
    (PenaltyMethod.KEY_RATE_300, "Расчёт задолженности и пени"),
])
def test_the_calculation_is_named_as_it_is_headed(method, title):
    facts = samples.sample_facts(DebtorType.PERSON)
    case = replace(facts.case, penalty=replace(facts.case.penalty, method=method))
    assert attachments.calculation_title(case) == title
    assert attachments.planned(case, facts.settings, "lawsuit", ())[0].title == title
    assert build(kinds.KINDS["calculation"], replace(facts, case=case))[0].context["calc"]["label_genitive"] == title[23:]


# --- issue 16 review, finding 3: each document once, as its PDF ----------------------------------------------

OWN_CLAIMS = [f"Сформировано/2024-09-16 Требование (претензия) {REF} ({where}).{ext}"
              for where in ("по договору", "по ЕГРЮЛ") for ext in ("docx", "pdf")]


@pytest.mark.parametrize("files, expected", [
    (OWN_CLAIMS, [OWN_CLAIMS[1], OWN_CLAIMS[3]]),  # kezdocs's claim to each address, DOCX and PDF: the PDFs
    (OWN_CLAIMS[:1] + OWN_CLAIMS[2:3], OWN_CLAIMS[:1] + OWN_CLAIMS[2:3]),  # DOCX only (no LibreOffice): both
    (["Претензия/Претензия.docx", "Претензия/претензия.PDF", *OWN_CLAIMS], ["Претензия/претензия.PDF"]),
])
def test_the_claim_copy_is_attached_once_per_address_as_its_pdf(files, expected):
    plan = attachments.planned(case(events=CLAIMS), SETTINGS, "lawsuit", [doc(p, "claim_copy") for p in files])
    assert sorted(p.relpath for p in plan if p.key == "claim_copy") == sorted(expected)


def test_the_package_files_kezdocs_claim_once_per_address(tmp_path, monkeypatch):
    """Finding 3 on real files: with no clerk's copy, the claim kezdocs wrote (DOCX, and the PDF `generate --pdf`
    writes beside it, for each address) was filed four times."""
    monkeypatch.setenv("PATH", "")  # no LibreOffice: fast; the PDFs are written as `--pdf` would
    root, folder = make_root(tmp_path)
    (folder / "Претензия/IMG_20260721_114512.jpg").unlink()
    written = render.generate(open_root(root), open_root(root).find(REF), "claim", TODAY)
    for path in written:
        path.with_suffix(".pdf").write_bytes(text_pdf([["ТРЕБОВАНИЕ (ПРЕТЕНЗИЯ)", path.stem]]))
    built = package.build(open_root(root), REF, TODAY, force=True)
    claims = [p.name[3:] for p in built.files if "Копия требования" in p.name]
    assert claims == ["Копия требования (претензии) от 15.04.2024 (1 л.).pdf"] * 2
