"""Build the default DOCX templates of the case documents (python-docx); the .docx files are committed.

Run from the repository root: `.venv/bin/python -m templates.build`.

Layout after ГОСТ Р 7.0.97-2016: A4, margins 20 mm left, 10 mm right, 20 mm
top and bottom; Times New Roman 14 for the text, 12 for tables and
requisites, 10–12 for the executor; page numbers from the second page, at
the top centre. Outgoing letters start with the administration's corner
requisites (name, address, phone, ОГРН and ИНН, date and registration
number) beside the addressee block; the signature block carries the position
on the left and «И.О. Фамилия» on the right; the executor with the phone
closes the document. What must not be parted stays together on a page: the
paragraph before the signature keeps with the closing block (signatures,
executor, date: one row that may not split), no table row splits, a table's
header keeps with its first row; literal text gets non-breaking spaces after
«№», «ст.», «п.», «ч.» and before «г.», «руб.» (`no_break`).

Jinja tags follow docxtpl: `{%p … %}` in a paragraph of its own, `{%tr … %}`
in a table row of its own, `{{ qr }}` (the payment QR code) in a paragraph of
its own. Every variable is documented by `kezdocs templates vars`.
"""
from __future__ import annotations

from pathlib import Path

from .layout import HERE, C, L, R, Template, remove_first_paragraph

REGULATION = ("Регламента реализации полномочий главными администраторами (администраторами) доходов бюджета "
              "муниципального образования «Муниципальный округ Кезский район Удмуртской Республики» по взысканию "
              "дебиторской задолженности по платежам в бюджет, пеням и штрафам по ним, утверждённого постановлением "
              "Администрации Кезского района от 18.05.2023 № 779 (далее — Регламент)")
LAW_229 = "Федерального закона от 02.10.2007 № 229-ФЗ «Об исполнительном производстве»"


# --- shared parts -----------------------------------------------------------------------------------

def charges_table(t: Template):
    t.grid(["Период начисления", "Начислено, руб.", "Срок уплаты", "Оплачено, руб.", "Задолженность, руб."],
           ["{{ c.period }}", "{{ c.amount }}", "{{ c.due }}", "{{ c.paid }}", "{{ c.unpaid }}"],
           [52, 32, 28, 32, 36], loop="c in overdue.charges", aligns=[L, R, C, R, R],
           total=["Итого", "", "", "", "{{ sums.debt }}"])


def payment_table(t: Template, payments: bool = False):
    """The recipient's details. With `payments` (the claim), each payment the debtor makes with its sum, КБК, УИН
    and purpose: the principal to the income КБК with the charge's УИН, the penalty and fines to their own КБК
    (`payment.split`; ГИС ГМП matches a payment by КБК and УИН). Without (bank, ФССП), the КБК of the principal
    and, when split, the КБК of the penalty and fines — the взыскатель's details for both."""
    common = [
        ("Получатель", "{{ payment.recipient }}"),
        ("ИНН / КПП получателя", "{{ payment.inn }} / {{ payment.kpp }}"),
        ("Казначейский счёт", "{{ payment.treasury_account }}"),
        ("Единый казначейский счёт (ЕКС)", "{{ payment.ecs }}"),
        ("Банк получателя", "{{ payment.bank }}"),
        ("БИК", "{{ payment.bik }}"),
        ("ОКТМО", "{{ payment.oktmo }}"),
    ]
    if payments:
        rows = [
            ("{%tr for p in payment.transfers %}", ""),
            ("**{% if payment.split %}Платёж {{ loop.index }} — {{ p.label }}{% else %}Сумма платежа{% endif %}**",
             "**{{ p.amount }} руб.**"),
            ("КБК", "{{ p.kbk }}"),
            ("{%tr if p.uin %}", ""),
            ("УИН", "{{ p.uin }}"),
            ("{%tr endif %}", ""),
            ("Назначение платежа", "{{ p.purpose }}"),
            ("{%tr endfor %}", ""),
        ]
    else:
        rows = [
            ("КБК{% if payment.split %} (основной долг){% endif %}", "{{ payment.kbk }}"),
            ("{%tr if payment.split %}", ""),
            ("КБК ({{ payment.penalty_label }})", "{{ payment.penalty_kbk }}"),
            ("{%tr endif %}", ""),
            ("{%tr if payment.uin %}", ""),
            ("УИН{% if payment.split %} (основной долг){% endif %}", "{{ payment.uin }}"),
            ("{%tr endif %}", ""),
            ("Назначение платежа", "{{ payment.purpose }}"),
        ]
    t.pairs(common + rows)


def payment_codes(t: Template):
    """A QR code of ГОСТ Р 56042-2014 for each payment of the claim (`payment.transfers[].qr`), its sum beside it."""
    layout = t._layout((50, 130))
    for _ in range(2):
        layout.add_row()
    for row, tag in ((0, "{%tr for p in payment.transfers %}"), (2, "{%tr endfor %}")):
        cell = layout.rows[row].cells[0]
        t.p(tag, align=L, indent=False, container=cell)
        remove_first_paragraph(cell)
    qr_cell, text_cell = layout.rows[1].cells
    t.p("{{ p.qr }}", align=L, indent=False, container=qr_cell, before=6)
    t.p("QR-код {% if payment.split %}платежа {{ loop.index }} ({{ p.label }}) {% endif %}для оплаты в мобильном "
        "приложении банка (ГОСТ Р 56042-2014) на сумму {{ p.amount }} руб.{% if loop.last %} При оплате по "
        "реквизитам укажите {% if payment.split %}в каждом платеже его КБК и {% endif %}назначение платежа "
        "полностью.{% endif %}", align=L, indent=False, size=11, container=text_cell, before=12)
    remove_first_paragraph(qr_cell)
    remove_first_paragraph(text_cell)


def attachments(t: Template):
    t.p("Приложение:", align=L, indent=False, before=12, keep=True)
    t.tag("{%p for a in attachments %}")
    t.p("{{ a.number }}. {{ a.text }}", align=L, indent=True)
    t.tag("{%p endfor %}")


def plaintiff_lines(party: str = "Истец") -> list[str]:
    return [f"**{party}:** {{{{ org.name }}}}",
            "адрес: {{ org.address }}",
            "{{ org.ids }}",
            "тел. {{ org.phone }}{% if org.email %}, e-mail: {{ org.email }}{% endif %}",
            "{%p if representative.power_of_attorney %}",
            "Представитель: {{ representative.name }} (доверенность {{ representative.power_of_attorney }})",
            "{%p endif %}",
            ""]


def defendant_lines(party: str = "Ответчик") -> list[str]:
    return [f"**{party}:** {{{{ debtor.name }}}}",
            "{%p if debtor.birth_date %}",
            "дата рождения: {{ debtor.birth_date }}{% if debtor.birth_place %}, место рождения: "
            "{{ debtor.birth_place }}{% endif %}",
            "{%p endif %}",
            "{% if debtor.is_person %}место жительства{% elif debtor.is_legal %}место нахождения{% else %}адрес{% endif %}:"
            " {{ debtor.address }}",
            "{%p for a in debtor.extra_addresses %}",
            "{{ a.line }}",
            "{%p endfor %}",
            "{%p if debtor.ids %}",
            "{{ debtor.ids }}",
            "{%p endif %}",
            ""]


def representative_signature(t: Template):
    t.signature("{% if representative.power_of_attorney %}Представитель по доверенности "
                "{{ representative.power_of_attorney }}{% else %}{{ representative.position }}{% endif %}",
                "{{ representative.short }}")
    t.p("{{ doc.date }}", align=L, indent=False, before=12, container=t.closing())


def claim_facts(t: Template, party: str = "ответчик"):
    """The obligation, the overdue charges and the penalty: shared by the lawsuit and the court-order application."""
    # the object and the payment clause come from the card («основание.объект», «основание.пункты»); the duty's
    # wording and the articles from the basis's kind (kezdocs.core.basis_kinds)
    t.p("Основанием возникновения обязательства {0}а является {{{{ basis.text }}}}.".format(party)
        + "{% if basis.object.text %} {{ basis.object.text }}{% endif %}{% if law.duty %} {{ law.duty }}{% endif %}")
    t.p(f"{party.capitalize()} не исполнил обязанность по внесению платежей в установленный срок. За период "
        "{{ overdue.text }} образовалась задолженность в размере {{ sums.debt }} руб. ({{ sums.debt_words }}):")
    charges_table(t)
    t.tag("{%p if sums.has_penalty %}")
    t.p(f"В связи с просрочкой исполнения обязательства {party}у{{% if law.penalty_clause %}} "
        f"{{{{ law.penalty_clause }}}}{{% endif %}} начислены {{{{ calc.label }}}} "
        "по {{ calc.end }} в размере {{ sums.penalty }} руб. ({{ sums.penalty_words }}). Способ начисления: "
        "{{ calc.method }}. Расчёт прилагается.", before=6)
    t.tag("{%p endif %}")
    t.tag("{%p if sums.has_fines %}")
    t.p(f"Кроме того, {party}у начислены штрафные санкции в размере {{{{ sums.fines }}}} руб. "
        "({{ sums.fines_words }}).")
    t.tag("{%p endif %}")
    t.tag("{%p if claim.sent %}")
    t.p(f"{{{{ claim.sent }}}} {party}у направлено требование (претензия) о погашении задолженности"
        "{% if claim.tracking %} (почтовые идентификаторы: {{ claim.tracking }}){% endif %}; в установленный срок "
        "задолженность не погашена.")
    t.tag("{%p endif %}")
    t.p("Согласно статьям 309 и 310 Гражданского кодекса Российской Федерации обязательства должны исполняться "
        "надлежащим образом в соответствии с условиями обязательства и требованиями закона; односторонний отказ "
        "от исполнения обязательства не допускается.")
    t.tag("{%p if law.statement %}")
    t.p("{{ law.statement }}")
    t.tag("{%p endif %}")


def recovery_sum(t: Template, verb: str, party_genitive: str):
    t.p(f"{verb} с {{{{ debtor.genitive }}}}{{% if debtor.ids %}} ({{{{ debtor.ids }}}}){{% endif %}} в пользу "
        f"{party_genitive} — {{{{ org.genitive }}}} — задолженность в размере {{{{ sums.debt }}}} руб. "
        "({{ sums.debt_words }}){% if sums.has_penalty %}, {{ calc.label }} по {{ calc.end }} в размере "
        "{{ sums.penalty }} руб. ({{ sums.penalty_words }}){% endif %}{% if sums.has_fines %}, штрафные санкции в "
        "размере {{ sums.fines }} руб. ({{ sums.fines_words }}){% endif %}, всего {{ sums.total }} руб. "
        "({{ sums.total_words }}){% if law.until_paid %}, {{ law.until_paid }}{% endif %}.")


# --- the documents ----------------------------------------------------------------------------------

def claim() -> Template:
    """Требование (претензия): the 8 items of п. 4.4, one copy per address of п. 4.5."""
    t = Template("Требование (претензия) о погашении просроченной задолженности")
    t.letterhead(["{{ debtor.addressee }}", "{{ address.text }}"])
    t.heading("ТРЕБОВАНИЕ (ПРЕТЕНЗИЯ)", "о погашении просроченной задолженности")
    t.p("{{ org.name }} (далее — Администрация) сообщает, что у **{{ debtor.genitive }}**"
        "{% if debtor.ids %} ({{ debtor.ids }}){% endif %} образовалась просроченная дебиторская задолженность "
        "по платежам в бюджет.")
    t.p("Основание начисления: {{ basis.text }}.")
    t.p("Период образования просрочки: {{ overdue.text }}.", after=6)
    charges_table(t)
    t.p("Сумма просроченной задолженности: **{{ sums.debt }} руб.** ({{ sums.debt_words }}).", before=6)
    t.tag("{%p if sums.has_penalty %}")
    t.p("{{ calc.label_cap }} по состоянию на {{ calc.end }}: **{{ sums.penalty }} руб.** ({{ sums.penalty_words }}); "
        "{{ calc.method }}; расчёт прилагается.")
    t.tag("{%p else %}")
    t.p("{{ calc.label_cap }} не начислены; {{ calc.method }}.")  # the method may end with «(ст. 330 ГК РФ)»
    t.tag("{%p endif %}")
    t.tag("{%p if sums.has_fines %}")
    t.p("Штрафные санкции: **{{ sums.fines }} руб.** ({{ sums.fines_words }}).")
    t.tag("{%p else %}")
    t.p("Штрафные санкции не начислялись.")
    t.tag("{%p endif %}")
    t.p("Всего к уплате: **{{ sums.total }} руб.** ({{ sums.total_words }}).")
    t.p("Предлагаем в добровольном порядке погасить задолженность в течение {{ claim.voluntary_days_text }} со дня "
        "направления настоящего требования (претензии). В случае неисполнения требования в указанный срок "
        "Администрация обратится в суд для взыскания задолженности в принудительном порядке.")
    t.p("Реквизиты для перечисления{% if payment.split %} (задолженность уплачивается двумя платежами на разные "
        "КБК){% endif %}:", before=6, after=6, keep=True)
    payment_table(t, payments=True)
    payment_codes(t)
    t.tag("{%p if calc.has_rows %}")
    t.p("Приложение: расчёт задолженности и {{ calc.label_genitive }} по состоянию на {{ calc.end_short }}.", align=L,
        indent=False, before=6)
    t.tag("{%p endif %}")
    t.signature("{{ signer.position }}", "{{ signer.short }}")
    t.executor()
    return t


def calculation() -> Template:
    """Расчёт задолженности и пени: the charges, the calculator's period table with formulas, the totals."""
    t = Template("Расчёт задолженности и пени")
    t.heading("РАСЧЁТ", "задолженности и {{ calc.label_genitive }} по состоянию на {{ calc.end }}", after=6)
    t.p("Дело № {{ case.number }}", align=C, indent=False, after=12)
    t.p("**Должник:** {{ debtor.name }}{% if debtor.ids %} ({{ debtor.ids }}){% endif %}", align=L, indent=False)
    t.p("**Основание:** {{ basis.text }}", align=L, indent=False)
    t.p("**Код бюджетной классификации:** {{ case.kbk }}", align=L, indent=False, after=12)
    t.p("1. Основной долг", align=L, indent=False, bold=True, after=6, keep=True)
    charges_table(t)
    t.p("Основной долг на {{ calc.end }}: {{ sums.debt }} руб. ({{ sums.debt_words }}).", before=6, after=12)
    t.p("2. {{ calc.title }}", align=L, indent=False, bold=True, after=6, keep=True)
    t.p("Способ начисления: {{ calc.method }}.", after=6)
    t.tag("{%p if calc.has_rows %}")
    t.grid(["№", "Период", "С", "По", "Дней", "Долг, руб.", "Ставка", "Формула", "Сумма, руб."],
           ["{{ r.number }}", "{{ r.charge }}", "{{ r.start }}", "{{ r.end }}", "{{ r.days }}", "{{ r.debt }}",
            "{{ r.rate }}", "{{ r.formula }}{% if r.note %} ({{ r.note }}){% endif %}", "{{ r.amount }}"],
           [6, 21, 20, 20, 12, 21, 16, 43, 21], loop="r in calc.rows", size=9, aligns=[C, L, C, C, C, R, C, L, R],
           total=["", "Итого", "", "", "", "", "", "", "{{ calc.total }}"])
    t.p("Итого {{ calc.label }}: {{ calc.total }} руб. ({{ calc.total_words }}).", before=6)
    t.tag("{%p else %}")
    t.p("{{ calc.label_cap }} не начисляются.")
    t.tag("{%p endif %}")
    t.p("3. Итого", align=L, indent=False, bold=True, before=12, after=6, keep=True)
    t.p("Основной долг — {{ sums.debt }} руб.; {{ calc.label }} — {{ sums.penalty }} руб."
        "{% if sums.has_fines %}; штрафные санкции — {{ sums.fines }} руб.{% endif %}; всего — **{{ sums.total }} руб.** "
        "({{ sums.total_words }}).")
    t.p("Порядок расчёта: дни просрочки считаются со дня, следующего за последним днём уплаты (срок, приходящийся на "
        "нерабочий день, переносится на ближайший следующий рабочий день — статья 193 Гражданского кодекса Российской "
        "Федерации), по дату расчёта включительно; "
        "платёж уменьшает долг со дня, следующего за днём оплаты; сумма каждой строки округляется до копеек, итог "
        "равен сумме строк.", size=12, before=6)
    t.signature("{{ signer.position }}", "{{ signer.short }}")
    t.executor()
    return t


def memo() -> Template:
    """Служебная записка to the Head on compulsory collection (п. 6.1)."""
    t = Template("Служебная записка о необходимости принудительного взыскания")
    table = t._layout((90, 90))
    left, right = table.rows[0].cells
    t.p("{{ case.administrator }}", align=L, indent=False, bold=True, container=left)
    remove_first_paragraph(left)
    t._cell_lines(right, ["{{ head.position_dative }}", "{{ head.short_dative }}"])
    t.heading("СЛУЖЕБНАЯ ЗАПИСКА", before=18, after=0)
    t.p("{{ doc.date_short }} № ______", align=C, indent=False, after=12)
    t.p("О принудительном взыскании задолженности", align=L, indent=False, bold=True, after=12)
    t.p(f"В соответствии с пунктом 6.1 {REGULATION} (общие требования к регламенту — приказ Минфина России от "
        "26.09.2024 № 139н), сообщаю о {% if claim.sent %}неисполнении должником требования (претензии) о "
        "погашении просроченной задолженности{% else %}неуплате должником просроченной задолженности{% endif %}.")
    t.p("Должник: **{{ debtor.name }}**{% if debtor.ids %} ({{ debtor.ids }}){% endif %}, адрес: {{ debtor.address }}.")
    t.p("Основание: {{ basis.text }}; КБК {{ case.kbk }}.")
    t.tag("{%p if claim.sent %}")
    t.p("Требование (претензия) направлено должнику {{ claim.sent }}{% if claim.tracking %} (почтовые "
        "идентификаторы: {{ claim.tracking }}){% endif %}; срок добровольного погашения "
        "({{ claim.voluntary_days_text }}) истёк{% if claim.voluntary_end %} {{ claim.voluntary_end }}{% endif %}, "
        "однако задолженность в полном объёме не погашена.")
    # Only the card may say a claim is not needed (основание.претензия_обязательна: нет), and never in
    # arbitration, where a pre-trial claim is required by law (АПК РФ ст. 4 ч. 5).
    t.tag("{%p elif not claim.required and not route.arbitration %}")
    t.p("Направление требования (претензии) условиями документа-основания не предусмотрено; со дня образования "
        "просроченной задолженности ({{ overdue.since }}) прошло более 30 дней (пункт 4.4 Регламента).")
    t.tag("{%p else %}")
    t.p("Просроченная задолженность образовалась {{ overdue.since }}.")
    t.tag("{%p endif %}")
    t.p("По состоянию на {{ doc.date }} задолженность в полном объёме не погашена и составляет **{{ sums.total }} "
        "руб.** ({{ sums.total_words }}), в том числе основной долг — {{ sums.debt }} руб."
        "{% if sums.has_penalty %}, {{ calc.label }} — {{ sums.penalty }} руб.{% endif %}"
        "{% if sums.has_fines %}, штрафные санкции — {{ sums.fines }} руб.{% endif %}.")
    t.p("Прошу принять решение о принудительном взыскании задолженности в судебном порядке и поручить отделу "
        "правовой и кадровой работы подготовку и направление в суд необходимых документов (пункты 6.2, 6.3 "
        "Регламента).")
    t.tag("{%p if route.text %}")
    t.p("Рекомендуемый порядок: {{ route.text }}.")
    t.tag("{%p endif %}")
    t.p("Приложение: расчёт задолженности и {{ calc.label_genitive }}{% if claim.sent %}; копии требований "
        "(претензий) с доказательствами направления{% endif %}.", before=6)
    t.signature("{{ signer.position }}", "{{ signer.short }}")
    t.executor()
    return t


def lawsuit(arbitration: bool) -> Template:
    """Исковое заявление: ГПК РФ ст. 131, 132 for a person; АПК РФ ст. 125, 126 for an organisation or ИП."""
    t = Template("Исковое заявление о взыскании задолженности")
    t.right_block(["{{ court.to }}", "{{ court.address }}", ""] + plaintiff_lines() + defendant_lines()
                  + ["Цена иска: {{ sums.total }} руб.",
                     "Государственная пошлина: истец освобождён (" + ("подп. 1.1 п. 1 ст. 333.37" if arbitration
                                                                     else "подп. 19 п. 1 ст. 333.36") + " НК РФ)"])
    t.heading("ИСКОВОЕ ЗАЯВЛЕНИЕ",
              "о взыскании задолженности{% if sums.has_penalty %} и {{ calc.label_genitive }}{% endif %}")
    claim_facts(t)
    t.tag("{%p if law.order_cancelled %}")  # ГПК РФ ст. 129, АПК РФ ст. 229.5 ч. 4 (kezdocs.core.claimlaw)
    t.p("{{ law.order_cancelled }}")
    t.tag("{%p endif %}")
    if arbitration:
        t.p("Претензионный (досудебный) порядок урегулирования спора соблюдён (часть 5 статьи 4 Арбитражного "
            "процессуального кодекса Российской Федерации): со дня направления претензии прошло более 30 "
            "календарных дней.")
        t.p("Истец — орган местного самоуправления — освобождён от уплаты государственной пошлины на основании "
            "подпункта 1.1 пункта 1 статьи 333.37 Налогового кодекса Российской Федерации.")
        basis = "статьями 4, 125, 126 Арбитражного процессуального кодекса Российской Федерации"
    else:
        t.p("Истец — орган местного самоуправления — освобождён от уплаты государственной пошлины на основании "
            "подпункта 19 пункта 1 статьи 333.36 Налогового кодекса Российской Федерации.")
        basis = "статьями 131, 132 Гражданского процессуального кодекса Российской Федерации"
    t.p("На основании изложенного, руководствуясь {{ law.articles }}, " + basis + ",")
    t.p("ПРОШУ:", align=C, indent=False, bold=True, before=6, after=6, keep=True)
    recovery_sum(t, "Взыскать", "истца")
    attachments(t)
    representative_signature(t)
    return t


def court_order(arbitration: bool) -> Template:
    """Заявление о вынесении судебного приказа: ГПК РФ ст. 121–124 or АПК РФ ст. 229.1–229.3."""
    t = Template("Заявление о вынесении судебного приказа")
    t.right_block(["{{ court.to }}", "{{ court.address }}", ""] + plaintiff_lines("Взыскатель")
                  + defendant_lines("Должник")
                  + ["Сумма требования: {{ sums.total }} руб.",
                     "Государственная пошлина: взыскатель освобождён (" + ("подп. 1.1 п. 1 ст. 333.37" if arbitration
                                                                          else "подп. 19 п. 1 ст. 333.36") + " НК РФ)"])
    t.heading("ЗАЯВЛЕНИЕ", "о вынесении судебного приказа")
    claim_facts(t, party="должник")
    if arbitration:
        t.p("Требование основано на документах, подтверждающих задолженность по договору, и признаётся должником "
            "или не оспорено им; сумма требования не превышает предела, установленного статьёй 229.2 Арбитражного "
            "процессуального кодекса Российской Федерации. Претензионный порядок соблюдён (часть 5 статьи 4 АПК РФ).")
        t.p("Взыскатель — орган местного самоуправления — освобождён от уплаты государственной пошлины на основании "
            "подпункта 1.1 пункта 1 статьи 333.37 Налогового кодекса Российской Федерации.")
        basis = "статьями 229.1–229.3 Арбитражного процессуального кодекса Российской Федерации"
    else:
        t.p("Требование основано на сделке, совершённой в простой письменной форме (абзац третий статьи 122 "
            "Гражданского процессуального кодекса Российской Федерации), и не превышает предела, установленного "
            "статьёй 121 ГПК РФ. Копия заявления с приложенными документами направлена должнику (часть 2 статьи 124 "
            "ГПК РФ).")
        t.p("Взыскатель — орган местного самоуправления — освобождён от уплаты государственной пошлины на основании "
            "подпункта 19 пункта 1 статьи 333.36 Налогового кодекса Российской Федерации.")
        basis = "статьями 121–124 Гражданского процессуального кодекса Российской Федерации"
    t.p("На основании изложенного, руководствуясь " + basis + ",")
    t.p("ПРОШУ:", align=C, indent=False, bold=True, before=6, after=6, keep=True)
    t.p("Вынести судебный приказ о взыскании с {{ debtor.genitive }}{% if debtor.birth_date %} (дата рождения: "
        "{{ debtor.birth_date }}{% if debtor.birth_place %}, место рождения: {{ debtor.birth_place }}{% endif %})"
        "{% endif %}{% if debtor.ids %} ({{ debtor.ids }}){% endif %} в пользу взыскателя — {{ org.genitive }} — "
        "задолженности в размере {{ sums.debt }} руб. ({{ sums.debt_words }}){% if sums.has_penalty %}, "
        "{{ calc.label_genitive }} по {{ calc.end }} в размере {{ sums.penalty }} руб. ({{ sums.penalty_words }})"
        "{% endif %}{% if sums.has_fines %}, штрафных санкций в размере {{ sums.fines }} руб. "
        "({{ sums.fines_words }}){% endif %}, всего {{ sums.total }} руб. ({{ sums.total_words }}).")
    attachments(t)
    representative_signature(t)
    return t


def in_the_case(title: str, subject: str) -> Template:
    """A plaintiff's application in a pending case: the court and the parties, the heading, and what was filed."""
    t = Template(title)
    t.right_block(["{{ court.to }}", "{{ court.address }}", ""] + plaintiff_lines() + defendant_lines()
                  + ["{%p if court.case_number %}", "Дело № {{ court.case_number }}", "{%p endif %}"])
    t.heading("ЗАЯВЛЕНИЕ", subject)
    t.p("{{ court.filed }} истец обратился в суд с {% if court.order %}заявлением о вынесении судебного приказа"
        "{% else %}исковым заявлением{% endif %} о взыскании с {{ debtor.genitive }} задолженности "
        "({{ basis.text }}){% if court.case_number %}, дело № {{ court.case_number }}{% endif %}.")
    return t


def withdrawal() -> Template:
    """Заявление об отказе от иска (п. 5.6): the debt paid before the judgment."""
    t = in_the_case("Заявление об отказе от иска", "об отказе от иска")
    t.p("После обращения истца в суд задолженность погашена ответчиком добровольно: {% if paid.date %}последний "
        "платёж — {{ paid.date }}, {% endif %}всего уплачено {{ paid.total }} руб. ({{ paid.total_words }}).")
    t.p(f"В соответствии с пунктом 5.6 {REGULATION} и "
        "{% if route.arbitration %}статьёй 49 Арбитражного процессуального кодекса Российской Федерации"
        "{% else %}статьёй 39 Гражданского процессуального кодекса Российской Федерации{% endif %} истец "
        "отказывается от иска в полном объёме.")
    t.p("Последствия отказа от иска и прекращения производства по делу, предусмотренные "
        "{% if route.arbitration %}частью 3 статьи 151 АПК РФ{% else %}статьёй 221 ГПК РФ{% endif %}, "
        "истцу известны и понятны.")
    t.p("ПРОШУ:", align=C, indent=False, bold=True, before=6, after=6, keep=True)
    t.p("Принять отказ истца от иска и прекратить производство по делу"
        "{% if court.case_number %} № {{ court.case_number }}{% endif %} ({% if route.arbitration %}пункт 4 части 1 "
        "статьи 150 АПК РФ{% else %}абзац четвёртый статьи 220 ГПК РФ{% endif %}).")
    t.p("Приложение: копии документов об оплате задолженности"
        "{% if representative.power_of_attorney %}; копия доверенности представителя "
        "{{ representative.power_of_attorney }}{% endif %}.", before=12)
    representative_signature(t)
    return t


def reduction() -> Template:
    """Заявление об уменьшении размера исковых требований (ГПК РФ ст. 39 ч. 1, АПК РФ ст. 49 ч. 1): the principal
    paid before the judgment, the penalty or interest claimed is not — the claim is reduced to the unpaid part."""
    t = in_the_case("Заявление об уменьшении размера исковых требований", "об уменьшении размера исковых требований")
    t.p("После обращения истца в суд ответчик погасил основной долг: {% if paid.date %}последний платёж — "
        "{{ paid.date }}, {% endif %}всего уплачено {{ paid.total }} руб. ({{ paid.total_words }}). {{ calc.label_cap }} по {{ calc.end }} в размере "
        "{{ sums.penalty }} руб. ({{ sums.penalty_words }}){% if sums.has_fines %} и штрафные санкции в размере "
        "{{ sums.fines }} руб. ({{ sums.fines_words }}){% endif %} не уплачены.")
    t.p("На основании изложенного, руководствуясь "
        "{% if route.arbitration %}частью 1 статьи 49 Арбитражного процессуального кодекса Российской Федерации"
        "{% else %}частью 1 статьи 39 Гражданского процессуального кодекса Российской Федерации{% endif %},")
    t.p("ПРОШУ:", align=C, indent=False, bold=True, before=6, after=6, keep=True)
    t.p("Принять уменьшение размера исковых требований и взыскать с {{ debtor.genitive }} в пользу истца — "
        "{{ org.genitive }} — {{ calc.label_genitive }} по {{ calc.end }} в размере {{ sums.penalty }} руб. "
        "({{ sums.penalty_words }}){% if sums.has_fines %}, штрафные санкции в размере {{ sums.fines }} руб. "
        "({{ sums.fines_words }}){% endif %}, всего {{ sums.total }} руб. ({{ sums.total_words }}).")
    t.p("Приложение: расчёт {{ calc.label_genitive }} по состоянию на {{ calc.end_short }}; копии документов об "
        "оплате задолженности{% if representative.power_of_attorney %}; копия доверенности представителя "
        "{{ representative.power_of_attorney }}{% endif %}.", before=12)
    representative_signature(t)
    return t


def debtor_paragraph(t: Template):
    t.p("Сведения о должнике: {{ debtor.name }}{% if debtor.ids %}, {{ debtor.ids }}{% endif %}"
        "{% if debtor.birth_date %}, дата рождения {{ debtor.birth_date }}{% endif %}"
        "{% if debtor.birth_place %}, место рождения {{ debtor.birth_place }}{% endif %}; "
        "{% if debtor.is_legal %}место нахождения{% else %}адрес{% endif %}: {{ debtor.address }}"
        "{% for a in debtor.extra_addresses %}; {{ a.line }}{% endfor %}.")


def writ_sum() -> str:
    return ("{% if writ.amount %}в размере {{ writ.amount }} руб. ({{ writ.amount_words }}){% else %}в размере, "
            "указанном в исполнительном документе{% endif %}")


def bank() -> Template:
    """Заявление в банк (229-ФЗ ст. 8): the writ straight to the debtor's bank."""
    t = Template("Заявление о направлении исполнительного документа в банк")
    t.right_block(["{{ bank.to }}", "{{ bank.address }}", "",
                   "**Взыскатель:** {{ org.name }}", "адрес: {{ org.address }}", "{{ org.ids }}",
                   "тел. {{ org.phone }}{% if org.email %}, e-mail: {{ org.email }}{% endif %}", "",
                   "**Должник:** {{ debtor.name }}", "адрес: {{ debtor.address }}"])
    t.heading("ЗАЯВЛЕНИЕ", "о принятии исполнительного документа к исполнению")
    t.p(f"В соответствии с частью 1 статьи 8 {LAW_229} и пунктом 6.4 {REGULATION} направляем для исполнения "
        "исполнительный документ — {{ writ.text }} — о взыскании с {{ debtor.genitive }} в пользу взыскателя — "
        "{{ org.genitive }} — денежных средств " + writ_sum() + ".")
    debtor_paragraph(t)
    t.tag("{%p if bank.accounts %}")
    t.p("Известные взыскателю счета должника: {% for a in bank.accounts %}{{ a }}{% if not loop.last %}; "
        "{% endif %}{% endfor %}.")
    t.tag("{%p endif %}")
    t.p("Взысканные денежные средства прошу перечислить по следующим реквизитам взыскателя (часть 2 статьи 8 "
        "Федерального закона № 229-ФЗ):", after=6)
    payment_table(t)
    t.p("Приложение: {{ writ.text }} — подлинник{% if signer.power_of_attorney %}; копия доверенности "
        "{{ signer.power_of_attorney }}{% endif %}.", before=12)
    t.signature("{{ signer.position }}", "{{ signer.short }}")
    t.executor()
    return t


def bailiffs() -> Template:
    """Заявление о возбуждении исполнительного производства (229-ФЗ ст. 30)."""
    t = Template("Заявление о возбуждении исполнительного производства")
    t.right_block(["{{ bailiffs.to }}", "{{ bailiffs.address }}", "",
                   "**Взыскатель:** {{ org.name }}", "адрес: {{ org.address }}", "{{ org.ids }}",
                   "тел. {{ org.phone }}{% if org.email %}, e-mail: {{ org.email }}{% endif %}", "",
                   "**Должник:** {{ debtor.name }}", "адрес: {{ debtor.address }}"])
    t.heading("ЗАЯВЛЕНИЕ", "о возбуждении исполнительного производства")
    t.p(f"На основании статьи 30 {LAW_229} и пункта 7.1 {REGULATION} прошу принять к исполнению исполнительный "
        "документ — {{ writ.text }} — и возбудить исполнительное производство о взыскании с {{ debtor.genitive }} "
        "в пользу взыскателя — {{ org.genitive }} — денежных средств " + writ_sum() + ".")
    debtor_paragraph(t)
    t.p("В соответствии с частью 2 статьи 30 Федерального закона № 229-ФЗ прошу одновременно с возбуждением "
        "исполнительного производства установить имущество и счета должника и наложить арест на имущество и "
        "денежные средства должника в пределах суммы взыскания.")
    t.p("Взысканные денежные средства прошу перечислять по следующим реквизитам взыскателя:", after=6)
    payment_table(t)
    t.p("Приложение: {{ writ.text }} — подлинник{% if signer.power_of_attorney %}; копия доверенности "
        "{{ signer.power_of_attorney }}{% endif %}.", before=12)
    t.signature("{{ signer.position }}", "{{ signer.short }}")
    t.executor()
    return t


def enforcement_query() -> Template:
    """Запрос о ходе исполнительного производства: the items of п. 7.2(1)."""
    t = Template("Запрос о ходе исполнительного производства")
    t.letterhead(["{{ bailiffs.to }}", "{{ bailiffs.address }}"])
    t.p("Запрос о ходе исполнительного производства", align=L, indent=False, bold=True, before=12, after=12)
    t.p("На исполнении в вашем подразделении находится исполнительное производство"
        "{% if enforcement.number %} № {{ enforcement.number }}{% endif %}{% if enforcement.opened %}, "
        "возбуждённое {{ enforcement.opened }}{% endif %}{% if enforcement.bailiff %} (судебный пристав-исполнитель "
        "{{ enforcement.bailiff }}){% endif %}, исполнительный документ — {{ writ.text }}; должник — "
        "{{ debtor.name }}{% if debtor.ids %} ({{ debtor.ids }}){% endif %}; взыскатель — {{ org.name }}.")
    t.p(f"В соответствии со статьёй 50 {LAW_229} и пунктом 7.2 {REGULATION} прошу сообщить:")
    for line in ("1) о мероприятиях, проведённых судебным приставом-исполнителем по принудительному исполнению "
                 "судебного акта;",
                 "2) об изменении наименования должника (для граждан — фамилии, имени, отчества (при наличии); для "
                 "организаций — наименования и юридического адреса);",
                 "3) о сумме непогашенной задолженности по исполнительному документу;",
                 "4) о наличии данных об объявлении розыска должника, его имущества;",
                 "5) об изменении состояния счёта (счетов) должника, об имуществе и правах имущественного характера "
                 "должника на дату запроса."):
        t.p(line)
    t.p("Ответ прошу дать в срок, установленный частью 5 статьи 64.1 Федерального закона № 229-ФЗ (десять дней "
        "со дня поступления запроса), и направить по адресу: {{ org.address }}{% if org.email %}, или по "
        "электронной почте {{ org.email }}{% endif %}.", before=6)
    t.signature("{{ signer.position }}", "{{ signer.short }}")
    t.executor()
    return t


def write_off() -> Template:
    """Решение о признании задолженности безнадёжной к взысканию (п. 3.4, БК РФ ст. 47.2)."""
    t = Template("Решение о признании безнадёжной к взысканию задолженности по платежам в бюджет")
    t.right_block(["УТВЕРЖДАЮ", "{{ head.position }}", "", "_______________ {{ head.short }}",
                   "«____» ______________ 20____ г."], width=90)
    t.heading("РЕШЕНИЕ № ______", "о признании безнадёжной к взысканию задолженности по платежам в бюджет",
              after=0)
    t.p("{{ doc.date_short }}", align=C, indent=False, after=12)
    t.p("Руководствуясь статьёй 47.2 Бюджетного кодекса Российской Федерации, постановлением Правительства "
        "Российской Федерации от 06.05.2016 № 393 «Об общих требованиях к порядку принятия решений о признании "
        "безнадежной к взысканию задолженности по платежам в бюджеты бюджетной системы Российской Федерации» и "
        f"пунктом 3.4 {REGULATION}, комиссия рассмотрела документы о задолженности и решила признать безнадёжной "
        "к взысканию задолженность по платежам в бюджет:", after=6)
    t.pairs([
        ("Наименование организации (ФИО физического лица)", "{{ debtor.name }}"),
        ("ИНН, ОГРН, КПП (ИНН физического лица)", "{{ debtor.ids }}"),
        ("Адрес", "{{ debtor.address }}"),
        ("Сведения о платеже, по которому возникла задолженность", "{{ basis.text }}; период: {{ overdue.text }}"),
        ("Код классификации доходов бюджета", "{{ case.kbk }}"),
        ("Сумма задолженности по платежам в бюджет", "{{ sums.debt }} руб."),
        ("Сумма задолженности по пеням и штрафам", "пени — {{ sums.penalty }} руб.; штрафы — {{ sums.fines }} руб."),
        ("Всего", "{{ sums.total }} руб. ({{ sums.total_words }})"),
    ], widths=(80, 100))
    t.p("Основание признания задолженности безнадёжной к взысканию (пункт 1 статьи 47.2 Бюджетного кодекса "
        "Российской Федерации):", before=12, after=6, keep=True)
    t.tag("{%p for g in grounds %}")  # the one ground recorded on the card (kezdocs.core.writeoff)
    t.p("{{ g.mark }} подпункт {{ g.clause }} — {{ g.text }};", size=12)
    t.tag("{%p endfor %}")
    t.p("Документы, подтверждающие основание (постановление Правительства Российской Федерации от 06.05.2016 "
        "№ 393, пункт 4):", before=6, keep=True)
    t.tag("{%p for g in grounds %}")
    t.tag("{%p for d in g.documents %}")
    t.p("— {{ d }};", size=12)
    t.tag("{%p endfor %}")
    t.tag("{%p endfor %}")
    t.p("Задолженность списать с балансового учёта в соответствии с Федеральным законом от 06.12.2011 № 402-ФЗ "
        "«О бухгалтерском учете» и учётной политикой.", before=6)
    t.signature("Председатель комиссии", "_______________ / ______________")
    for _ in range(3):
        t.signature("Член комиссии", "_______________ / ______________", before=12)
    t.executor()
    return t


def post_inventory() -> Template:
    """Опись вложения (форма Ф. 107) to a claim letter, one per address."""
    t = Template("Опись вложения (форма Ф. 107)")
    t.p("Ф. 107", align=R, indent=False, size=12)
    t.heading("ОПИСЬ ВЛОЖЕНИЯ", "в ценное письмо с уведомлением о вручении", before=6)
    t.p("**Куда:** {{ address.text }}", align=L, indent=False, size=12)
    t.p("**Кому:** {{ debtor.name }}", align=L, indent=False, size=12, after=12)
    t.grid(["№ п/п", "Наименование предметов", "Количество предметов, шт.", "Объявленная ценность, руб."],
           ["{{ e.number }}", "{{ e.title }}", "{{ e.count }}", "{{ e.value }}"], [14, 104, 30, 32],
           loop="e in inventory.entries", size=12, aligns=[C, L, C, R],
           total=["", "Итого", "{{ inventory.count }}", "{{ inventory.value }}"])
    t.p("Общее количество предметов: {{ inventory.count }}; общая сумма объявленной ценности: {{ inventory.value }} "
        "руб. ({{ inventory.value_words }}).", align=L, indent=False, size=12, before=12)
    t.p("Отправитель: {{ org.short_name }}, {{ executor.short }} ______________ (подпись)", align=L, indent=False,
        size=12, before=24)
    t.p("Проверил: ______________________ (подпись работника связи)", align=L, indent=False, size=12, before=18)
    t.p("Оттиск календарного почтового штемпеля", align=R, indent=False, size=10, italic=True, before=18)
    return t


BUILDERS = {
    "требование.docx": claim,
    "расчет.docx": calculation,
    "служебная_записка.docx": memo,
    "иск_гпк.docx": lambda: lawsuit(arbitration=False),
    "иск_апк.docx": lambda: lawsuit(arbitration=True),
    "судебный_приказ_гпк.docx": lambda: court_order(arbitration=False),
    "судебный_приказ_апк.docx": lambda: court_order(arbitration=True),
    "отказ_от_иска.docx": withdrawal,
    "уменьшение_требований.docx": reduction,
    "заявление_в_банк.docx": bank,
    "заявление_в_фссп.docx": bailiffs,
    "запрос_в_фссп.docx": enforcement_query,
    "решение_о_безнадежности.docx": write_off,
    "опись_вложения.docx": post_inventory,
}


def build(folder: Path = HERE) -> list[Path]:
    """Write every template into `folder` (the package's `templates/` by default)."""
    return [builder().save(name, folder) for name, builder in BUILDERS.items()]


if __name__ == "__main__":
    for written in build():
        print(written)
