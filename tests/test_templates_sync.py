"""The shipped templates are what the build scripts make: nobody edits a DOCX in templates/ by hand and loses it.

The build is byte-stable (fixed zip entry times and document properties), so the check is a byte comparison;
the shipped files were built at another time, so passing also shows that no clock reaches the bytes.
"""
from pathlib import Path

from kezdocs.templates import build, build_reports

SHIPPED = build.HERE
REGISTRY_XLSX = build_reports.REGISTRY_TEMPLATE


def _stale(built: list[Path]) -> list[str]:
    return [p.name for p in built if (SHIPPED / p.name).read_bytes() != p.read_bytes()]


def test_every_document_template_is_what_templates_build_makes(tmp_path):
    built = build.build(tmp_path)
    assert len(built) == len(build.BUILDERS) > 0
    stale = _stale(built)
    assert not stale, (f"templates/ {', '.join(stale)} differ from what templates/build.py makes: run "
                       "`.venv/bin/python -m templates.build` and commit the result (or edit build.py, not the DOCX)")


def test_every_report_template_is_what_templates_build_reports_makes(tmp_path):
    built = build_reports.build(tmp_path)
    assert len(built) == len(build_reports.TEMPLATES) > 0
    stale = _stale(built)
    assert not stale, (f"templates/ {', '.join(stale)} differ from what templates/build_reports.py makes: run "
                       "`.venv/bin/python -m templates.build_reports` and commit the result")


def test_no_shipped_docx_is_left_without_a_builder():
    made = set(build.BUILDERS) | set(build_reports.TEMPLATES)
    orphans = sorted(p.name for p in SHIPPED.glob("*.docx") if p.name not in made)
    assert not orphans, f"templates/ {', '.join(orphans)}: no build script makes them; add a builder or delete them"


def test_the_registry_template_is_what_templates_build_reports_makes():
    built = build_reports.registry_template_bytes()
    assert built == build_reports.registry_template_bytes()  # the clock is taken out
    assert REGISTRY_XLSX.read_bytes() == built, (
        f"{REGISTRY_XLSX.name} differs from what templates/build_reports.py makes: run "
        "`.venv/bin/python -m templates.build_reports` and commit the result")
