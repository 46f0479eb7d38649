"""Credentials come only from the environment or a git-ignored .env, and never leak anywhere.

A whole lakehouse run uses credentials unique to this test; afterwards every place a secret could
end up (Prefect logs and flow-run parameters, quarantine reasons, error messages, every file the
run wrote) is searched for them.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import uuid
from pathlib import Path

import duckdb
import pytest
from botocore.exceptions import ClientError

from environment.settings import PROJECT_ROOT, load_settings
from flows.lakehouse import lakehouse
from infra import s3
from nianbao.deployments import build_deployments
from pipelines.lake import use_s3

from .lakes import SAMPLES, own_s3, point_env

# Files meant to hold the credentials: the server's identity file (mode 0600) and its own data.
CREDENTIAL_FILES = ("seaweed/s3-identities.json",)
SECRET_WORDS = ("secret", "password", "token", "credential", "access_key")


def _prefect_records() -> list[str]:
    """Every log message and flow-run parameter set the session's Prefect server holds."""
    from prefect.client.orchestration import get_client

    found, offset = [], 0
    with get_client(sync_client=True) as client:
        while logs := client.read_logs(limit=200, offset=offset):
            found += [log.message for log in logs]
            offset += len(logs)
        offset = 0
        while runs := client.read_flow_runs(limit=200, offset=offset):
            found += [json.dumps(run.parameters, default=str) for run in runs]
            offset += len(runs)
    return found


def _files_written(lake: Path) -> dict[str, bytes]:
    """Every file under the lake but the object store's data and its credential file."""
    return {str(path.relative_to(lake)): path.read_bytes() for path in lake.rglob("*")
            if path.is_file() and not path.relative_to(lake).as_posix().startswith(
                ("seaweed/data/", *CREDENTIAL_FILES))}


def _bad_credential_errors(settings) -> list[str]:
    """The messages a user sees when the credentials are wrong: boto3's, obstore's and DuckDB's."""
    wrong = dataclasses.replace(settings, s3_secret_key="wrong-" + settings.s3_secret_key)
    messages = []
    for request in (lambda: s3.list_objects(wrong, "landing/"),  # boto3
                    lambda: s3.put_bytes(wrong, "landing/x", b"x")):  # obstore
        with pytest.raises(ClientError) as s3_error:
            request()
        messages.append(str(s3_error.value))
    with duckdb.connect() as con, pytest.raises(duckdb.Error) as duck_error:
        use_s3(con, wrong)
        con.execute(f"SELECT count(*) FROM read_parquet('s3://{settings.bucket}/gold/**/*.parquet')")
    messages.append(str(duck_error.value))
    return messages


@pytest.mark.e2e
def test_credentials_never_reach_logs_parameters_errors_or_files(
    prefect_harness, s3_server, tmp_path, monkeypatch
):
    unique = {"s3_access_key": f"ak{uuid.uuid4().hex[:10]}", "s3_secret_key": f"sk{uuid.uuid4().hex}"}
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(bytes(range(256)) * 20)
    with own_s3(tmp_path, s3_server, **unique) as settings:
        point_env(monkeypatch, settings)
        results, _ = lakehouse([SAMPLES[0], garbage])
        assert sorted(r.outcome for r in results) == ["loaded", "quarantined"]
        reasons = [s3.get_bytes(settings, info.key).decode()
                   for info in s3.list_objects(settings, "quarantine/") if info.key.endswith(".json")]
        errors = _bad_credential_errors(settings)
    texts = {"prefect": "\n".join(_prefect_records()), "quarantine": "\n".join(reasons),
             "errors": "\n".join(errors), "settings": repr(settings)}
    texts |= {name: data.decode("utf-8", "replace") for name, data in
              _files_written(settings.lake_dir).items()}
    assert reasons and errors and len(texts) > 10
    for secret in unique.values():
        assert [name for name, text in texts.items() if secret in text] == []
    assert (settings.lake_dir / CREDENTIAL_FILES[0]).stat().st_mode & 0o077 == 0


def test_deployment_parameters_carry_no_credentials():
    from prefect.utilities.callables import parameter_schema

    settings = load_settings()
    for flow, deployment in build_deployments():
        schema = parameter_schema(flow.fn).model_dump()  # what the UI's run form shows
        shown = json.dumps([deployment.parameters, schema], default=str)
        assert settings.s3_secret_key not in shown and settings.s3_access_key not in shown
        names = set(schema["properties"])
        assert not [name for name in names if any(word in name.lower() for word in SECRET_WORDS)]


def test_dotenv_is_ignored_and_only_its_example_is_committed():
    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True)

    assert git("check-ignore", "-q", ".env").returncode == 0
    assert git("ls-files", "--error-unmatch", ".env.example").returncode == 0
    assert git("ls-files", ".env", "*/.env").stdout == ""
    example = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    set_lines = [line for line in example.splitlines() if line.strip() and not line.startswith("#")]
    assert set_lines == [], "the committed example must not set values"
