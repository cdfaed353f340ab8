"""The core is pure: each of its modules, imported alone, loads no I/O library and nothing of the shell.

import-linter checks the imports written in the code (`make test` runs it); this checks what really gets
loaded, in a fresh interpreter per module.
"""
import json
import subprocess
import sys
from pathlib import Path

import pytest

import kezdocs.core

IO_LIBRARIES = ("watchdog", "docxtpl", "docx", "tinydb", "filelock", "click", "rich", "pypdf", "openpyxl", "ruamel",
                "fpdf", "pathvalidate")
CORE = sorted(p.stem for p in Path(kezdocs.core.__file__).parent.glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("module", CORE)
def test_a_core_module_imported_alone_loads_no_io_library_and_no_shell(module):
    probe = ("import json, sys; import kezdocs.core." + module + "; "
             "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in sys.argv[1:] "
             "or (m.startswith('kezdocs.') and not m.startswith('kezdocs.core')))))")
    out = subprocess.run([sys.executable, "-c", probe, *IO_LIBRARIES], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []


def test_every_core_module_is_checked():
    assert {"stages", "route", "penalty", "documents", "status", "card", "requirements"} <= set(CORE)
