"""Objects landing under `landing/` become `report.landed` Prefect events.

Two sources produce the same event (resource `nianbao.object.<bucket>/<key>`, payload bucket, key
and etag): SeaweedFS's filer webhook (`FilerWebhook`, push, sub-second) and, for S3 endpoints
without notifications, `PollingSensor` (list and compare with a cursor persisted under the lake).
Events are posted synchronously, so a source only counts an object as announced once the Prefect
server has accepted its event: delivery is at-least-once, and the bronze ledger de-duplicates.
"""

from __future__ import annotations

import base64
import hmac
import json
import os
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from environment.settings import Settings
from infra import s3
from infra.landing import LANDING_PREFIX

LANDED_EVENT = "report.landed"
RESOURCE_PREFIX = "nianbao.object."


def resource_id(bucket: str, key: str) -> str:
    """The Prefect resource id naming one object."""
    return f"{RESOURCE_PREFIX}{bucket}/{key}"


def landed_event(bucket: str, key: str, etag: str, source: str, flow_run_id=None) -> dict:
    """The `report.landed` event for one object, as the Prefect events API takes it (related to
    the flow run that ingests it, when there is one already)."""
    from prefect.events import Event

    related = [{"prefect.resource.id": f"nianbao.source.{source}", "prefect.resource.role": "event-source"}]
    if flow_run_id is not None:
        related.append({"prefect.resource.id": f"prefect.flow-run.{flow_run_id}",
                        "prefect.resource.role": "flow-run"})
    event = Event(
        event=LANDED_EVENT,
        resource={"prefect.resource.id": resource_id(bucket, key), "prefect.resource.name": key,
                  "nianbao.bucket": bucket},
        payload={"bucket": bucket, "key": key, "etag": etag},
        related=related,
    )
    return event.model_dump(mode="json")


def post_events(events: list[dict]) -> None:
    """Send events to the Prefect server and wait for it to accept them (raises otherwise)."""
    if not events:
        return
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        client.request("POST", "/events", json=events).raise_for_status()


def emit_landed(bucket: str, objects: list[tuple[str, str]], source: str) -> None:
    """Announce (key, etag) objects of a bucket as landed reports (events only)."""
    post_events([landed_event(bucket, key, etag, source) for key, etag in objects])


# What a source does with landed objects: (bucket, [(key, etag)], source name); raises when they
# were not taken, so the source delivers them again.
Announce = Callable[[str, list[tuple[str, str]], str], None]


class Cursor:
    """Which (key, etag) under landing/ were announced already, persisted as JSON under the lake."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._seen: dict[str, str] = json.loads(path.read_text("utf-8")) if path.is_file() else {}

    @classmethod
    def for_settings(cls, settings: Settings) -> Cursor:
        """The cursor of the configured bucket."""
        return cls(settings.lake_dir / "events" / f"cursor-{settings.bucket}.json")

    def unseen(self, objects: list[s3.ObjectInfo]) -> list[tuple[str, str]]:
        """The (key, etag) among objects not yet announced with that etag."""
        with self._lock:
            return [(o.key, o.etag) for o in objects if self._seen.get(o.key) != o.etag]

    def update(self, announced: list[tuple[str, str]], present: set[str] | None = None) -> None:
        """Record announced objects; with `present`, forget keys gone from landing/ (a re-drop
        of the same bytes after a quarantine is announced again)."""
        with self._lock:
            if present is not None:
                self._seen = {k: v for k, v in self._seen.items() if k in present}
            self._seen.update(announced)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            scratch = self.path.with_suffix(".tmp")
            scratch.write_text(json.dumps(self._seen, sort_keys=True), "utf-8")
            os.replace(scratch, self.path)  # atomic: a crash never leaves half a cursor


class PollingSensor:
    """Lists landing/ and announces new or changed objects; for endpoints without notifications."""

    def __init__(self, settings: Settings, cursor: Cursor | None = None, announce: Announce = emit_landed):
        self.settings = settings
        self.cursor = cursor or Cursor.for_settings(settings)
        self.announce = announce

    def poll_once(self, processed: set[tuple[str, str]] | None = None) -> int:
        """One sweep: announce what the cursor has not seen, or with `processed` (the ledger's
        (key, etag) pairs) what was never processed; returns how many were announced."""
        listed = [o for o in s3.list_objects(self.settings, LANDING_PREFIX)
                  if not o.key.endswith("/")]
        if processed is None:
            fresh = self.cursor.unseen(listed)
        else:
            fresh = [(o.key, o.etag) for o in listed if (o.key, o.etag) not in processed]
        if fresh:
            self.announce(self.settings.bucket, fresh, "poll")
        self.cursor.update(fresh, present={o.key for o in listed})
        return len(fresh)

    def run(self, stop: threading.Event, interval_s: float, on_error: Callable[[str], None]) -> None:
        """Poll until `stop` is set; a failed sweep is reported and retried on the next tick."""
        while not stop.is_set():
            try:
                self.poll_once()
            except Exception as error:  # S3 or Prefect briefly away: the next sweep catches up
                on_error(f"polling {LANDING_PREFIX} failed, will retry: {error}")
            stop.wait(interval_s)


def filer_notification_config(endpoint: str, token: str, bucket: str) -> str:
    """notification.toml making the SeaweedFS filer POST landing/ changes to our webhook."""
    return (
        "[notification.webhook]\nenabled = true\n"
        f'endpoint = "{endpoint}"\nbearer_token = "{token}"\n'
        'event_types = ["create", "update", "rename"]\n'
        f'path_prefixes = ["/buckets/{bucket}/{LANDING_PREFIX.rstrip("/")}"]\n'
        "max_retries = 10\nbackoff_seconds = 1\nmax_backoff_seconds = 30\n"
    )


def landed_from_filer(body: dict, bucket: str) -> tuple[str, str] | None:
    """The (key, etag) of a file landed under landing/ in a filer notification, else None."""
    message = body.get("message") or {}
    entry = message.get("new_entry")
    if not entry or entry.get("is_directory"):
        return None
    root = f"/buckets/{bucket}/"
    path = f"{message.get('new_parent_path', '').rstrip('/')}/{entry.get('name', '')}"
    if not path.startswith(root + LANDING_PREFIX):
        return None
    return path[len(root):], _filer_etag(entry)


def _filer_etag(entry: dict) -> str:
    """The S3 ETag SeaweedFS keeps in the entry (multipart ETags too), else the content MD5."""
    stored = (entry.get("extended") or {}).get("Seaweed-X-Amz-ETag")
    if stored:
        return base64.b64decode(stored).decode().strip('"')
    md5 = (entry.get("attributes") or {}).get("md5")
    return base64.b64decode(md5).hex() if md5 else ""


class FilerWebhook:
    """HTTP receiver for the filer's webhook on 127.0.0.1; checks the bearer token it shares."""

    def __init__(self, settings: Settings, token: str, cursor: Cursor, port: int = 0,
                 announce: Announce = emit_landed):
        self.settings, self.cursor, self.announce = settings, cursor, announce
        self._expected = f"Bearer {token}".encode()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Where the filer should POST."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/filer"

    def handle(self, authorization: str, body: bytes) -> int:
        """Process one POST; returns the HTTP status (5xx makes the filer deliver it again)."""
        if not hmac.compare_digest(authorization.encode(), self._expected):
            return 401
        try:
            landed = landed_from_filer(json.loads(body), self.settings.bucket)
        except (ValueError, AttributeError):
            return 400
        if landed:
            try:
                self.announce(self.settings.bucket, [landed], "filer")
            except Exception:  # Prefect briefly away: the filer retries with backoff
                return 503
            self.cursor.update([landed])
        return 204

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        webhook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                status = webhook.handle(self.headers.get("Authorization", ""),
                                        self.rfile.read(length))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args) -> None:
                """Silent: request lines would only repeat what the events already say."""

        return Handler

    def start(self) -> FilerWebhook:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        self._server.shutdown()
        self._server.server_close()
