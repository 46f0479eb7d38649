"""The soak: `nianbao up` fed reports in bursts while it is SIGKILLed and restarted twice and its
S3 server killed and restarted once; 5% of the drops are bytes that are not reports and 5% a
report landed again under another key.

Afterwards every delivery must be in the bronze ledger exactly once (loaded, duplicate or
quarantined), gold must equal a clean single `backfill` + `publish` of the same objects, and the
growth of memory and disk per 1,000 reports is measured over the last `up`'s steady bursts.
tests/reliability/test_soak.py runs it short in `make test`; `make soak` runs it long
(bench/soak.py).
"""

from __future__ import annotations

import csv
import dataclasses
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

from environment.settings import PROJECT_ROOT
from infra import s3
from infra.seaweed import embedded_s3, free_port
from pipelines.lake import forget_instances
from pipelines.synth import generate
from tests.events.conftest import _stop, fresh_stack_settings, prefect_api, start_up

from .lakes import assert_each_landed_once, child_env, gold_rows, kill_s3, lake_rows
from .soak_figures import disk_mb, growth_per_1000, rss_mb

BURSTS = 10  # up #1 takes bursts 0-1, up #2 bursts 2-4 (S3 restarted in between), up #3 the rest
FINAL = ["COMPLETED", "FAILED", "CRASHED", "CANCELLED"]
CLEAN = """
    from environment.settings import load_settings
    from expectations.gated_publish import publish
    from flows.ingest import backfill
    backfill("landing/")
    publish(load_settings())
"""


def drops(reports: int, workdir: Path) -> list[tuple[str, bytes]]:
    """`reports` synthetic reports, 5% of them again under another key and 5% junk, shuffled."""
    generate(reports, workdir / "synth")
    objects = [(f"landing/soak/{p.name}", p.read_bytes()) for p in _one_per_area_year(workdir / "synth")]
    rng = random.Random(17)
    objects += [(key.replace("/soak/", "/again/"), data) for key, data in objects[::20]]
    objects += [(f"landing/bad/{i}.bin", rng.randbytes(rng.randint(10, 40_000)))
                for i in range(max(1, reports // 20))]
    rng.shuffle(objects)
    return objects


def _one_per_area_year(synth: Path) -> list[Path]:
    """The generated reports, the first of each (region code, year) only. Two different reports
    of one identity make the one uploaded last current, and a clean backfill of a copy of the
    bucket does not replay the soak's upload order; supersession has its own tests."""
    with open(synth / "manifest.csv", encoding="utf-8", newline="") as manifest:
        rows = sorted(csv.DictReader(manifest), key=lambda row: row["file"])
    seen, kept = set(), []
    for row in rows:
        if (row["region_code"], row["report_year"]) not in seen:
            seen.add((row["region_code"], row["report_year"]))
            kept.append(synth / row["file"])
    return kept


@dataclasses.dataclass
class Soak:
    """One soak run: the lake, the `up` of the moment, and what has been dropped."""

    workdir: Path
    reports: int
    settings: object = None
    prefect_port: int = 0
    process: subprocess.Popen | None = None
    landed: dict[str, bytes] = dataclasses.field(default_factory=dict)
    figures: dict = dataclasses.field(default_factory=dict)
    ups: int = 0

    def start(self) -> None:
        self.settings.lake_dir.mkdir(parents=True, exist_ok=True)
        log = self.settings.lake_dir / "up.log"
        if log.exists():  # start_up waits for a banner in up.log: keep each up's log apart
            log.rename(log.with_name(f"up-{self.ups}.log"))
        self.process, _ = start_up(self.settings, self.prefect_port)
        self.ups += 1

    def kill(self) -> None:
        """SIGKILL `up` alone (its servers and workers die with it)."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        forget_instances()

    def drop(self, burst: list[tuple[str, bytes]]) -> None:
        for key, data in burst:
            s3.put_bytes(self.settings, key, data)
            self.landed[key] = data

    def recorded(self) -> int:
        return lake_rows(self.settings, "SELECT count(DISTINCT key) FROM bronze.objects")[0][0] \
            if (self.settings.lake_dir / "catalog.sqlite").exists() else 0

    def wait_recorded(self, count: int, timeout_s: float = 600) -> None:
        deadline = time.monotonic() + timeout_s
        while self.recorded() < count:
            assert self.process.poll() is None, self.log_tail()
            assert time.monotonic() < deadline, f"{self.recorded()} of {count} recorded\n{self.log_tail()}"
            time.sleep(0.5)

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.prefect_port}/api"

    def runs_open(self) -> int:
        body = {"deployments": {"name": {"any_": ["ingest-report"]}},
                "flow_runs": {"state": {"type": {"not_any_": FINAL}}}}
        with prefect_api(self.api) as http:
            return http.post("/flow_runs/count", json=body).json()

    def log_tail(self) -> str:
        return (self.settings.lake_dir / "up.log").read_text("utf-8", "replace")[-3000:]


def run(reports: int, workdir: Path, say=print) -> Soak:
    """The whole soak, checked (`check`) while the last `up` and its S3 server still run;
    returns it with its figures."""
    started = time.monotonic()
    soak = Soak(workdir, reports, fresh_stack_settings(workdir / "lake"), free_port())
    objects = drops(reports, workdir)
    size = -(-len(objects) // BURSTS)
    bursts = [objects[i:i + size] for i in range(0, len(objects), size)]
    say(f"soak: {reports} reports, {len(objects)} objects in {len(bursts)} bursts")
    soak.start()
    try:
        _crashes(soak, bursts[:5], say)
        soak.figures["crashes_done_s"] = round(time.monotonic() - started, 1)
        _steady(soak, bursts[5:], say)
        soak.figures["duration_s"] = round(time.monotonic() - started, 1)
        soak.figures["gold_differences"] = _differences(gold_rows(soak.settings), _clean_gold(soak))
        soak.figures["clean_done_s"] = round(time.monotonic() - started, 1)
        check(soak)
    finally:
        _stop(soak.process, soak.settings.lake_dir / "up.log")
    return soak


def _crashes(soak: Soak, bursts: list, say) -> None:
    """Bursts 0-4: up SIGKILLed twice mid-burst, the S3 server SIGKILLed and restarted once."""
    soak.drop(bursts[0])
    soak.wait_recorded(len(soak.landed))
    soak.drop(bursts[1])
    soak.wait_recorded(len(soak.landed) - len(bursts[1]) // 2)
    say(f"  SIGKILL up #1 with {soak.recorded()} of {len(soak.landed)} recorded")
    soak.kill()
    soak.start()
    with ExitStack() as restarted:
        soak.drop(bursts[2])
        soak.wait_recorded(len(soak.landed) - len(bursts[2]) // 2)
        say(f"  SIGKILL the S3 server with {soak.recorded()} of {len(soak.landed)} recorded")
        notification = (soak.settings.lake_dir / "seaweed" / "notification.toml").read_text()
        kill_s3(soak.settings)
        time.sleep(3)
        restarted.enter_context(embedded_s3(soak.settings, notification))  # same port, data, webhook
        soak.drop(bursts[3])
        soak.drop(bursts[4])
        soak.wait_recorded(len(soak.landed) - len(bursts[4]) // 2)
        say(f"  SIGKILL up #2 with {soak.recorded()} of {len(soak.landed)} recorded")
        soak.kill()
    soak.start()


def _steady(soak: Soak, bursts: list, say) -> None:
    """The last up catches up, then takes the remaining bursts one after another; measured."""
    soak.wait_recorded(len(soak.landed))
    _wait_runs_final(soak)
    base_count, base_rss, base_disk = soak.recorded(), rss_mb(soak.settings, soak.process.pid), \
        disk_mb(soak.settings)
    samples = []
    for burst in bursts:
        soak.drop(burst)
        soak.wait_recorded(len(soak.landed))
        samples.append({"recorded": soak.recorded()} | rss_mb(soak.settings, soak.process.pid))
    _wait_runs_final(soak)
    end_rss, end_disk, processed = rss_mb(soak.settings, soak.process.pid), disk_mb(soak.settings), \
        soak.recorded() - base_count
    say(f"  steady: {processed} objects; RSS {base_rss} -> {end_rss} MB; disk {base_disk} -> {end_disk} MB")
    soak.figures |= {
        "objects": len(soak.landed), "steady_objects": processed,
        "rss_mb": {"steady_start": base_rss, "after_each_burst": samples, "end": end_rss,
                   "growth_per_1000_reports": growth_per_1000(base_rss, end_rss, processed)},
        "disk_mb": {"steady_start": base_disk, "end": end_disk,
                    "growth_per_1000_reports": growth_per_1000(base_disk, end_disk, processed)},
        "outcomes": dict(lake_rows(soak.settings,
                                   "SELECT outcome, count(*) FROM bronze.objects GROUP BY ALL")),
    }


def _wait_runs_final(soak: Soak, timeout_s: float = 600) -> None:
    deadline = time.monotonic() + timeout_s
    while soak.runs_open():
        assert time.monotonic() < deadline, f"ingest-report runs still open\n{soak.log_tail()}"
        time.sleep(1)


def _clean_gold(soak: Soak) -> dict:
    """Gold of a clean lake made from the same objects by one backfill and one publish."""
    clean = dataclasses.replace(soak.settings, lake_dir=soak.workdir / "clean", bucket="clean")
    clean.lake_dir.mkdir()
    s3.ensure_bucket(clean)
    for key, data in soak.landed.items():
        s3.put_bytes(clean, key, data)
    env = child_env(clean) | {"PREFECT_API_URL": soak.api}
    done = subprocess.run([sys.executable, "-c", CLEAN.replace("\n    ", "\n")], cwd=PROJECT_ROOT,
                          env=env, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return gold_rows(clean)


def _differences(ours: dict[str, list[tuple]], clean: dict[str, list[tuple]]) -> dict[str, dict]:
    """Per gold table where the two differ: how many rows only each side has, and a few of them."""
    found = {}
    for table in sorted(set(ours) | set(clean)):
        mine, theirs = Counter(ours.get(table, [])), Counter(clean.get(table, []))
        only_soak, only_clean = list((mine - theirs).elements()), list((theirs - mine).elements())
        if only_soak or only_clean:
            found[table] = {"only_soak": len(only_soak), "only_clean": len(only_clean),
                            "examples": [repr(row) for row in (only_soak[:2] + only_clean[:2])]}
    return found


def check(soak: Soak) -> None:
    """Every delivery once in the ledger, every report once in silver, gold as a clean run's."""
    assert_each_landed_once(soak.settings, soak.landed)
    bad = sum(1 for key in soak.landed if key.startswith("landing/bad/"))
    assert soak.figures["outcomes"].get("quarantined", 0) >= bad
    assert not soak.figures["gold_differences"], \
        f"gold differs from a clean backfill and publish: {soak.figures['gold_differences']}"
