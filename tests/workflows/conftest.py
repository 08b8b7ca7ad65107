"""Workflow tests share the unit tests' sealed ballots and test election key."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "unit"))
