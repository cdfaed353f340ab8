"""`kezdocs status`, `reindex`, `init`, `new`, `record` through the real command line."""
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from kezdocs import demo
from kezdocs.cli import main

TODAY = "2026-11-24"


@pytest.fixture()
def root(demo_copy):
    return demo_copy


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)


def status_json(root, *extra):
    result = run("status", "--root", root, "--today", TODAY, "--json", *extra)
    return result, json.loads(result.stdout)  # stderr carries the warnings (the sample settings of `init`)


def test_status_json_has_every_case_and_field(root):
    result, data = status_json(root)
    assert result.exit_code == 1  # the demo holds one broken card
    assert len(data) == 11
    by_case = {r["case"]: r for r in data}
    romashka = by_case["2026-001"]
    for key in ("case", "folder", "debtor", "stage", "stage_label", "next_action", "deadline", "deadline_missed",
                "debt", "penalty", "documents", "missing", "problems", "deadlines"):
        assert key in romashka
    assert romashka["stage"] == "claim_sent" and romashka["debt"] == "10000.00"
    assert by_case["2026-007"]["stage"] == "paid" and by_case["2026-007"]["debt"] == "0.00"
    assert by_case["2026-008"]["stage"] == "current"
    assert by_case["2026-002"]["stage"] == "overdue"
    broken = by_case["2026-009 Ошибка в карточке"]
    assert broken["stage"] == "card_error" and broken["stage_label"] == "ошибка в карточке"
    assert {p["line"] for p in broken["problems"]} >= {13, 14, 16, 17}
    assert all(p["file"] == "2026-009 Ошибка в карточке/дело.yaml" for p in broken["problems"])


def test_status_of_one_case_by_number_and_exit_zero(root):
    result, data = status_json(root, "2026-001")
    assert result.exit_code == 0
    assert [r["case"] for r in data] == ["2026-001"]


def test_status_table_in_russian(root):
    result = run("status", "--root", root, "--today", TODAY)
    assert "Следующее действие" in result.output and "ООО «Ромашка»" in result.output
    assert "стр. 17: неизвестное поле «обременение»" in result.output


def test_root_from_environment_and_unknown_case_message(root):
    result = run("status", "нет-такого", "--today", TODAY, env={"KEZDOCS_ROOT": str(root)})
    assert result.exit_code == 2
    assert "дело «нет-такого» не найдено" in result.output
    assert "Traceback" not in result.output


def test_missing_root_is_a_clean_message(tmp_path):
    result = run("status", "--root", tmp_path / "нет")
    assert result.exit_code == 2 and "папка с делами не найдена" in result.output


def test_reindex_rebuilds(root):
    run("status", "--root", root, "--today", TODAY)
    (root / ".kezdocs" / "index.json").unlink()
    result = run("reindex", "--root", root, "--today", TODAY)
    assert "дел — 11" in result.output
    assert (root / ".kezdocs" / "index.json").exists()


def test_init_creates_a_valid_root(tmp_path):
    result = run("init", tmp_path / "новый")
    assert result.exit_code == 0
    assert (tmp_path / "новый" / "настройки.yaml").read_text(encoding="utf-8").startswith("# Настройки kezdocs")
    result, data = status_json(tmp_path / "новый")
    assert result.exit_code == 0 and data[0]["case"] == "2024-001" and data[0]["problems"] == []


def test_new_case_from_options_is_valid(root):
    result = run("new", "--root", root, "--number", "2026-100", "--type", "юрлицо", "--debtor", "ООО «Берёзка»",
                 "--inn", demo.company_inn("183100321"), "--address", "по договору=п. Кез, ул. Кирова, д. 2",
                 "--address", "по ЕГРЮЛ=г. Ижевск, ул. Ленина, д. 1", "--officer", "Иванова Мария Петровна",
                 "--kbk", demo.KBK_RENT, "--charge", "I квартал 2026;12 000,00;10.03.2026")
    assert result.exit_code == 0, result.output
    result, data = status_json(root, "2026-100")
    assert data[0]["problems"] == [] and data[0]["debt"] == "12000.00"
    assert "комментари" not in (root / "2026-100 ООО Берёзка" / "дело.yaml").read_text(encoding="utf-8")[:5]


def test_new_case_asks_for_what_is_missing(root):
    answers = "2026-101\nфизлицо\nЛебедев Иван Петрович\nШутова Елена Николаевна\nп. Кез, ул. Мира, д. 3\n"
    result = CliRunner().invoke(main, ["new", "--root", str(root), "--kbk", demo.KBK_SERVICES,
                                       "--charge", "май;500;10.05.2026"], input=answers)
    assert result.exit_code == 0, result.output
    card = (root / "2026-101 Лебедев Иван Петрович" / "дело.yaml").read_text(encoding="utf-8")
    assert 'фамилия: "Лебедев"' in card and 'вид: "регистрации"' in card


def test_record_event_and_payment_keep_comments(root):
    card = root / "2026-002 ИП Петров" / "дело.yaml"
    result = run("record", "--root", root, "2026-002", "претензия направлена", "--date", "20.11.2026",
                 "--field", "шпи=42755000000005")
    assert result.exit_code == 0, result.output
    result = run("record", "--root", root, "2026-002", "платеж", "--date", "22.11.2026", "--amount", "400,00",
                 "--document", "п/п № 9")
    assert result.exit_code == 0, result.output
    text = card.read_text(encoding="utf-8")
    assert text.startswith("# ИП: задолженность просрочена")
    result, data = status_json(root, "2026-002")
    assert data[0]["stage"] == "claim_sent" and data[0]["debt"] == "8000.00"


def test_record_refuses_what_would_break_the_card(root):
    card = root / "2026-001 ООО Ромашка" / "дело.yaml"
    before = card.read_bytes()
    result = run("record", "--root", root, "2026-001", "претензия вручена", "--date", "01.01.2020")
    assert result.exit_code == 2
    # Entries now go in date order (issue 15), so a 2020 event is no longer «не по порядку»: in 2020 the stage of
    # the case did not accept a delivered claim, and the refusal says so.
    assert "не записывается" in result.output
    assert card.read_bytes() == before
    result = run("record", "--root", root, "2026-001", "претензия потеряна", "--date", "01.12.2026")
    assert "неизвестное событие" in result.output and card.read_bytes() == before


def test_python_dash_m_works(root):
    out = subprocess.run([sys.executable, "-m", "kezdocs", "status", "--root", str(root), "--today", TODAY, "--json"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 1 and len(json.loads(out.stdout)) == 11


def test_garbage_card_and_bad_settings_are_reported_not_raised(tmp_path):
    (tmp_path / "настройки.yaml").write_text("x", encoding="utf-8")
    bad = tmp_path / "дело-1"
    bad.mkdir()
    (bad / "дело.yaml").write_bytes(b"\x00\x01garbage: [")
    result = CliRunner().invoke(main, ["status", "--root", str(tmp_path), "--today", TODAY, "--json"])
    data = json.loads(result.stdout)
    assert data[0]["stage"] == "card_error" and data[0]["problems"][0]["file"] == "дело-1/дело.yaml"
    assert "настройки.yaml:1: настройки должны быть набором полей" in result.stderr


def test_record_event_with_capitals_in_its_name(root):
    result = run("record", "--root", root, "2026-006", "направлен в фссп", "--date", "24.11.2026")
    assert result.exit_code == 0, result.output
    text = (root / "2026-006 ООО Вектор" / "дело.yaml").read_text(encoding="utf-8")
    assert "событие: направлен в ФССП" in text
    result, data = status_json(root, "2026-006")
    assert data[0]["stage"] == "at_bailiffs"
