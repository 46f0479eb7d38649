"""The event sources on a real SeaweedFS: filer webhook and polling sensor produce `report.landed`.

Posting to Prefect is replaced by a list here; the end-to-end tests post for real.
"""

from __future__ import annotations

import dataclasses
import json
import time
import urllib.error
import urllib.request

import pytest

from infra import events, s3
from infra.seaweed import embedded_s3, free_port


@pytest.fixture()
def posted(monkeypatch) -> list[dict]:
    """Events the sources would have sent to the Prefect server."""
    sent: list[dict] = []
    monkeypatch.setattr(events, "post_events", sent.extend)
    return sent


def _payloads(posted: list[dict]) -> list[dict]:
    return [event["payload"] for event in posted]


def test_landed_event_names_the_object():
    event = events.landed_event("b", "landing/x.txt", "abc", "filer")
    assert event["event"] == "report.landed"
    assert event["resource"]["prefect.resource.id"] == "nianbao.object.b/landing/x.txt"
    assert event["payload"] == {"bucket": "b", "key": "landing/x.txt", "etag": "abc"}


def test_filer_notification_outside_landing_or_for_folders_is_ignored():
    folder = {"message": {"new_entry": {"name": "landing", "is_directory": True},
                          "new_parent_path": "/buckets/b"}}
    elsewhere = {"message": {"new_entry": {"name": "x.txt"}, "new_parent_path": "/buckets/b/gold"}}
    deleted = {"message": {"old_entry": {"name": "x.txt"}, "new_parent_path": "/buckets/b/landing"}}
    assert [events.landed_from_filer(body, "b") for body in (folder, elsewhere, deleted)] == [None] * 3


def test_polling_sensor_announces_each_object_once_across_restarts(lake_settings, posted):
    etag = s3.put_bytes(lake_settings, "landing/a.txt", b"one")
    s3.put_bytes(lake_settings, "quarantine/b.txt", b"not landed")
    assert events.PollingSensor(lake_settings).poll_once() == 1
    assert _payloads(posted) == [{"bucket": lake_settings.bucket, "key": "landing/a.txt",
                                  "etag": etag}]
    # A new sensor reads the persisted cursor: nothing new, nothing sent.
    assert events.PollingSensor(lake_settings).poll_once() == 0
    changed = s3.put_bytes(lake_settings, "landing/a.txt", b"two")
    assert events.PollingSensor(lake_settings).poll_once() == 1
    assert posted[-1]["payload"]["etag"] == changed


def test_polling_sensor_keeps_its_cursor_when_prefect_refuses(lake_settings, monkeypatch):
    def refuse(_events):
        raise ConnectionError("Prefect is away")

    s3.put_bytes(lake_settings, "landing/a.txt", b"one")
    monkeypatch.setattr(events, "post_events", refuse)
    with pytest.raises(ConnectionError):
        events.PollingSensor(lake_settings).poll_once()
    sent: list[dict] = []
    monkeypatch.setattr(events, "post_events", sent.extend)
    assert events.PollingSensor(lake_settings).poll_once() == 1  # announced on the next sweep


def _post(url: str, token: str, body: bytes) -> int:
    request = urllib.request.Request(url, data=body, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


def test_webhook_refuses_a_wrong_token(lake_settings, posted):
    hook = events.FilerWebhook(lake_settings, "right", events.Cursor.for_settings(lake_settings))
    hook.start()
    try:
        body = json.dumps({"message": {"new_entry": {"name": "x.txt"},
                                       "new_parent_path": f"/buckets/{lake_settings.bucket}/landing"}})
        assert _post(hook.url, "wrong", body.encode()) == 401
        assert _post(hook.url, "right", b"not json") == 400
        assert _post(hook.url, "right", body.encode()) == 204
    finally:
        hook.stop()
    assert _payloads(posted) == [{"bucket": lake_settings.bucket, "key": "landing/x.txt", "etag": ""}]


def test_seaweed_filer_posts_landed_objects_to_the_webhook(tmp_path, s3_server, posted):
    """The notification.toml we write makes SeaweedFS call us, with the S3 ETag."""
    settings = dataclasses.replace(s3_server, lake_dir=tmp_path / "lake", s3_port=free_port())
    hook = events.FilerWebhook(settings, "t0ken", events.Cursor.for_settings(settings)).start()
    try:
        config = events.filer_notification_config(hook.url, "t0ken", settings.bucket)
        with embedded_s3(settings, config):
            etag = s3.put_bytes(settings, "landing/报告 2019.txt", "年报".encode())
            s3.put_bytes(settings, "bronze/objects/x", b"elsewhere")
            deadline = time.monotonic() + 15
            while not posted and time.monotonic() < deadline:
                time.sleep(0.1)
    finally:
        hook.stop()
    assert _payloads(posted) == [{"bucket": settings.bucket, "key": "landing/报告 2019.txt",
                                  "etag": etag}]
    assert hook.cursor.unseen([s3.ObjectInfo("landing/报告 2019.txt", etag, 6, None)]) == []


def test_startup_sweep_announces_what_the_ledger_never_processed(lake_settings, posted):
    done = s3.put_bytes(lake_settings, "landing/done.txt", b"processed")
    cut_short = s3.put_bytes(lake_settings, "landing/cut-short.txt", b"announced, never processed")
    sensor = events.PollingSensor(lake_settings)
    sensor.poll_once()  # both announced: the cursor has seen both
    posted.clear()
    assert sensor.poll_once(processed={("landing/done.txt", done)}) == 1
    assert _payloads(posted) == [{"bucket": lake_settings.bucket, "key": "landing/cut-short.txt",
                                  "etag": cut_short}]
