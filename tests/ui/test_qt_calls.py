"""The test process survives as many Qt calls as a whole test run makes (see ``keep_none_alive``)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CALLS = """
import sys
sys.path.insert(0, {root!r})
{setup}
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
for _ in range(300_000):  # each drops a reference to None in PySide6 6.12
    label.setText("a")
print("alive")
"""


def run(setup: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CALLS.format(root=str(ROOT), setup=setup)], cwd=ROOT,
                          capture_output=True, text=True)


def test_the_ui_tests_survive_many_calls_of_qt_methods_returning_nothing():
    done = run("import tests.ui.conftest")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "alive"
