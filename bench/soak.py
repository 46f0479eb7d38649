"""The soak, long: `nianbao up` fed `--reports` reports (default 2,000) in bursts, SIGKILLed and
restarted twice and its S3 server once, 5% junk and 5% copies (tests/reliability/soak.py, the
scenario `make test` runs with 150).

    .venv/bin/python bench/soak.py [--reports 2000]      (or `make soak`)

Checks exactly-once and gold against a clean backfill + publish, prints the memory and disk
figures and their growth per 1,000 reports, and writes them to bench/out/soak.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from tests.reliability.soak import run  # noqa: E402  (after the path insert)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nianbao-soak-") as workdir:
        soak = run(args.reports, Path(workdir))
        figures = {"reports": args.reports, **soak.figures}
    figures["checks"] = "every delivery once in the ledger, gold equal to a clean backfill + publish"
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "soak.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {OUT / 'soak.json'}")


if __name__ == "__main__":
    main()
