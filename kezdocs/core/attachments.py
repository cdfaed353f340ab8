"""The attachment list of a lawsuit or a court-order application: the calculation, the clerk's own files of the
case folder, then what procedural law requires and no file of the folder is."""
from __future__ import annotations

from pathlib import PurePosixPath

from kezdocs.core.card import CARD_NAME, GENERATED_DIR, STATUS_FILE
from kezdocs.core.facts import Facts
from kezdocs.core.kinds import APK, Kind


def attachments(kind: Kind, facts: Facts) -> list[dict]:
    chosen = facts.attachments if facts.attachments is not None else default_attachments(kind, facts)
    return [{"number": str(n), "title": title, "pages": "" if pages is None else str(pages),
             "text": title + (f" — на {pages} л." if pages else "")}
            for n, (title, pages) in enumerate(chosen, 1)]


def default_attachments(kind: Kind, facts: Facts) -> list[tuple[str, int | None]]:
    """The attachment list of a lawsuit or a court-order application from the case folder's own files.

    The calculation comes first (kezdocs writes it), then every document the
    clerk put in the case folder, then what procedural law requires and no
    file of the folder is: the power of attorney, the proof that a copy went
    to the defendant (ГПК РФ ст. 132 п. 6; АПК РФ ст. 126 ч. 1 п. 1), and in
    arbitration the registry extract and the representative's law diploma.
    """

    items: list[tuple[str, int | None]] = [("Расчёт задолженности и пени", None)]
    own = [(rel, pages) for rel, pages in facts.files
           if not rel.startswith(GENERATED_DIR + "/") and rel not in (CARD_NAME, STATUS_FILE)]
    for rel, pages in own:
        items.append((f"Копия: {PurePosixPath(rel).stem}", pages))
    names = " ".join(rel.lower() for rel, _ in own)
    arbitration = kind.variant_for(facts.case.debtor.type) == APK
    if facts.settings.power_of_attorney and "доверенн" not in names:
        items.append((f"Копия доверенности представителя {facts.settings.power_of_attorney}", None))
    if arbitration and "диплом" not in names:
        items.append(("Копия документа о высшем юридическом образовании представителя", None))
    if arbitration and "выписк" not in names:
        items.append(("Выписка из ЕГРЮЛ (ЕГРИП) в отношении ответчика", None))
    party = "должнику" if kind.code == "court-order" else "ответчику"
    items.append((f"Документ, подтверждающий направление {party} копии заявления и приложенных документов", None))
    return items
