"""The soak, short: 150 reports through `nianbao up` killed twice, its S3 server once (see soak.py).

`make soak` runs the same scenario with 2,000 reports (bench/soak.py).
"""

from __future__ import annotations

import os

import pytest

from .soak import run

pytestmark = pytest.mark.e2e
REPORTS = int(os.environ.get("NIANBAO_SOAK_REPORTS", "150"))


def test_up_soaked_with_crashes_and_bad_files(tmp_path):
    soak = run(REPORTS, tmp_path)
    print(soak.figures)
