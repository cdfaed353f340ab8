"""Roles and accounts of the web workspace: who may do what; accounts with argon2 hashes kept in the root."""
from __future__ import annotations

import json
import multiprocessing
import os

import pytest
from argon2 import PasswordHasher

from kezdocs.core.errors import KezdocsError
from kezdocs.core.roles import LOCAL, PERMISSIONS, ROLES, may, role_of
from kezdocs.folders import users
from kezdocs.folders.users import User, add_user, has_users, list_users, remove_user, set_password, verify

PASSWORD = "кот-в-сапогах-7"


# --- roles ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role, allowed", [
    ("специалист", {"read", "case_write", "upload"}),
    ("юрист", {"read", "case_write", "upload", "documents"}),
    ("финансист", {"read", "reports", "import"}),
    ("наблюдатель", {"read"}),
    (LOCAL, set(PERMISSIONS)),
    ("директор", set()),
])
def test_each_role_may_exactly_its_permissions(role, allowed):
    assert {p for p in PERMISSIONS if may(role, p)} == allowed


def test_an_unknown_permission_is_allowed_to_nobody():
    assert [role for role in [*ROLES, LOCAL] if may(role, "delete_everything")] == []


@pytest.mark.parametrize("typed, role", [("юрист", "юрист"), ("Юрист", "юрист"), (" НАБЛЮДАТЕЛЬ ", "наблюдатель"),
                                         ("Специалист", "специалист"), ("админ", None), ("", None), (LOCAL, None)])
def test_role_of_reads_a_typed_role_whatever_its_case(typed, role):
    assert role_of(typed) == role


# --- accounts -----------------------------------------------------------------------------------------------

def test_a_new_root_has_no_accounts(tmp_path):
    assert has_users(tmp_path) is False
    assert list_users(tmp_path) == []
    assert verify(tmp_path, "ivanova", PASSWORD) is None


def test_an_added_user_logs_in_with_the_password_only(tmp_path):
    assert add_user(tmp_path, "Ivanova", "Юрист", PASSWORD) == User("Ivanova", "юрист")
    assert has_users(tmp_path) is True
    assert verify(tmp_path, "Ivanova", PASSWORD) == User("Ivanova", "юрист")
    assert verify(tmp_path, "ivanova", PASSWORD) == User("Ivanova", "юрист")  # the login in any case
    assert verify(tmp_path, "Ivanova", PASSWORD + "!") is None
    assert verify(tmp_path, "petrova", PASSWORD) is None


def test_the_file_holds_hashes_only_readable_by_its_owner(tmp_path):
    add_user(tmp_path, "ivanova", "специалист", PASSWORD)
    path = tmp_path / ".kezdocs" / "users.json"
    content = json.loads(path.read_text(encoding="utf-8"))
    assert set(content["ivanova"]) == {"role", "hash", "created"}
    assert content["ivanova"]["hash"].startswith("$argon2id$")
    assert PASSWORD not in path.read_text(encoding="utf-8")
    if os.name == "posix":
        assert path.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("login, role, password, message", [
    ("IVANOVA", "юрист", PASSWORD, "пользователь «IVANOVA» уже есть"),
    ("", "юрист", PASSWORD, "логин пуст"),
    ("   ", "юрист", PASSWORD, "логин пуст"),
    ("мария иванова", "юрист", PASSWORD, "без пробелов"),
    ("a/b", "юрист", PASSWORD, "без пробелов"),
    ("<script>", "юрист", PASSWORD, "без пробелов"),
    ("-ivanova", "юрист", PASSWORD, "первой — буква или цифра"),
    ("petrova", "бухгалтер", PASSWORD, "роль «бухгалтер» неизвестна; допустимые роли: специалист, юрист, финансист, "
                                       "наблюдатель"),
    ("petrova", "юрист", "1234567", "пароль короче 8 знаков"),
])
def test_add_user_refuses_with_a_russian_reason(tmp_path, login, role, password, message):
    add_user(tmp_path, "ivanova", "юрист", PASSWORD)
    before = (tmp_path / ".kezdocs" / "users.json").read_bytes()
    with pytest.raises(KezdocsError, match=message):
        add_user(tmp_path, login, role, password)
    assert (tmp_path / ".kezdocs" / "users.json").read_bytes() == before


def test_a_cyrillic_login_with_a_dot_and_a_dash_is_fine(tmp_path):
    assert add_user(tmp_path, "мария.иванова-2", "наблюдатель", PASSWORD).login == "мария.иванова-2"


def test_list_remove_and_set_password(tmp_path):
    add_user(tmp_path, "petrova", "финансист", PASSWORD)
    add_user(tmp_path, "Ivanova", "юрист", PASSWORD)
    assert list_users(tmp_path) == [User("Ivanova", "юрист"), User("petrova", "финансист")]
    set_password(tmp_path, "PETROVA", "новый-пароль-2026")
    assert verify(tmp_path, "petrova", PASSWORD) is None
    assert verify(tmp_path, "petrova", "новый-пароль-2026") == User("petrova", "финансист")
    remove_user(tmp_path, "ivanova")
    assert list_users(tmp_path) == [User("petrova", "финансист")]
    assert verify(tmp_path, "Ivanova", PASSWORD) is None


@pytest.mark.parametrize("change", [lambda root: remove_user(root, "sidorov"),
                                    lambda root: set_password(root, "sidorov", PASSWORD)])
def test_an_unknown_login_is_named(tmp_path, change):
    add_user(tmp_path, "ivanova", "юрист", PASSWORD)
    with pytest.raises(KezdocsError, match="пользователя «sidorov» нет"):
        change(tmp_path)


def test_a_short_new_password_is_refused(tmp_path):
    add_user(tmp_path, "ivanova", "юрист", PASSWORD)
    with pytest.raises(KezdocsError, match="пароль короче 8 знаков"):
        set_password(tmp_path, "ivanova", "short")
    assert verify(tmp_path, "ivanova", PASSWORD) == User("ivanova", "юрист")


def test_a_hash_made_with_weaker_parameters_is_replaced_on_login(tmp_path):
    add_user(tmp_path, "ivanova", "юрист", PASSWORD)
    path = tmp_path / ".kezdocs" / "users.json"
    content = json.loads(path.read_text(encoding="utf-8"))
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    content["ivanova"]["hash"] = weak
    path.write_text(json.dumps(content), encoding="utf-8")
    assert verify(tmp_path, "ivanova", PASSWORD) == User("ivanova", "юрист")
    renewed = json.loads(path.read_text(encoding="utf-8"))["ivanova"]["hash"]
    assert renewed != weak
    assert PasswordHasher().check_needs_rehash(renewed) is False
    assert verify(tmp_path, "ivanova", PASSWORD) == User("ivanova", "юрист")


@pytest.mark.parametrize("content", ["{не json", "[]", '{"ivanova": {"role": "царь", "hash": "x"}}'])
def test_a_damaged_file_is_an_error_not_an_empty_list(tmp_path, content):
    """«No accounts» would open the workspace on 127.0.0.1 and hide the damage."""
    (tmp_path / ".kezdocs").mkdir()
    (tmp_path / ".kezdocs" / "users.json").write_text(content, encoding="utf-8")
    with pytest.raises(KezdocsError, match="список пользователей"):
        has_users(tmp_path)


def test_a_hand_broken_hash_does_not_log_in(tmp_path):
    add_user(tmp_path, "ivanova", "юрист", PASSWORD)
    path = tmp_path / ".kezdocs" / "users.json"
    content = json.loads(path.read_text(encoding="utf-8"))
    content["ivanova"]["hash"] = "не хеш"
    path.write_text(json.dumps(content), encoding="utf-8")
    assert verify(tmp_path, "ivanova", PASSWORD) is None


def _add_many(root: str, prefix: str) -> None:
    for n in range(4):
        add_user(root, f"{prefix}{n}", "специалист", PASSWORD)


def test_two_processes_adding_users_lose_none(tmp_path):
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_add_many, args=(str(tmp_path), prefix)) for prefix in ("a", "b")]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert [w.exitcode for w in workers] == [0, 0]
    assert [u.login for u in list_users(tmp_path)] == ["a0", "a1", "a2", "a3", "b0", "b1", "b2", "b3"]


def test_the_users_file_lives_in_the_roots_own_folder(tmp_path):
    assert users.users_path(tmp_path) == tmp_path / ".kezdocs" / "users.json"
