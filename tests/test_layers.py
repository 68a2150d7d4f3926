"""The house's imports run one way: comments above articles above authors above healthsite."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_module_imports_from_a_layer_above_it():
    result = subprocess.run([Path(sys.executable).parent / "lint-imports", "--no-cache"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout
