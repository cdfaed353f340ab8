"""The «record an event» form: the events the case's stage accepts and the fields each needs.

Both come from the core — the procedure table (`stages.allowed_events`) and
the table of event fields (`eventrules.EVENT_FIELDS`) — so the web offers
exactly what the CLI's `record` accepts. A payment is offered at every stage.
"""
from __future__ import annotations

from kezdocs.core import eventrules, stages
from kezdocs.core.model import EVENTS, Case

PAYMENT = "payment"
FIELDS = eventrules.EVENT_FIELDS


def choices(case: Case | None, stage: str) -> list[tuple[str, str]]:
    """(code, Russian name) of what may be recorded now: the stage's events, then a payment."""
    if case is None or stage not in stages.STAGES:
        return []
    return [(code, EVENTS[code]) for code in stages.allowed_events(stage)] + [(PAYMENT, "платёж")]


def fields_of(form) -> dict[str, str]:
    """The event's own fields as typed (`f_<ключ>` inputs), empty ones left out."""
    return {key[2:]: value.strip() for key, value in form.items() if key.startswith("f_") and value.strip()}


def field_rows() -> list[tuple[eventrules.EventField, str]]:
    """Each event field once, with the codes of the events that ask for it (the page shows it for those only)."""
    rows: dict[str, tuple[eventrules.EventField, list[str]]] = {}
    for code, specs in FIELDS.items():
        for spec in specs:
            rows.setdefault(spec.key, (spec, []))[1].append(code)
    return [(spec, " ".join(codes)) for spec, codes in rows.values()]
