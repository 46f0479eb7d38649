"""A blocked publish reaches the operator: a Prefect automation calls `up`'s alert receiver.

The publish flow emits `nianbao.publish.blocked` when blocking data-quality failures keep gold
as it was (flows/publish.py). `up` registers an automation, "publish blocked", that answers each
such event by calling a Webhook block, "nianbao-alerts", pointed at a small receiver of its own on
127.0.0.1 (with a token): the receiver prints the alert and appends it to `<lake>/alerts.log`.
The automation is on the UI's Automations page, where an operator can point the block elsewhere
(Slack, e-mail, any URL) or pause it; its firings are in the Event Feed.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from environment.settings import Settings

log = logging.getLogger("nianbao.alerts")

BLOCKED_EVENT = "nianbao.publish.blocked"
AUTOMATION_NAME = "publish blocked"
BLOCK_NAME = "nianbao-alerts"
PAYLOAD = ('{"event": "{{ event.event }}", "occurred": "{{ event.occurred }}", '
           '"message": "{{ event.payload.message }}", "report": "{{ event.payload.report }}"}')


class AlertReceiver:
    """HTTP receiver of the automation's webhook calls, on 127.0.0.1 with a bearer token."""

    def __init__(self, settings: Settings):
        self.path = settings.lake_dir / "alerts.log"
        self.token = secrets.token_urlsafe(24)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        threading.Thread(target=self._server.serve_forever, name="alerts", daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/alerts"

    def receive(self, authorization: str, body: bytes) -> int:
        """Record one alert; returns the HTTP status."""
        if not hmac.compare_digest(authorization.encode(), f"Bearer {self.token}".encode()):
            return 401
        try:
            alert = json.loads(body)
        except ValueError:
            alert = {"message": body.decode("utf-8", "replace")}
        alert["received"] = datetime.now(UTC).isoformat(timespec="seconds")
        log.warning("ALERT: %s (%s)", alert.get("message", alert), alert.get("report", ""))
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(alert, ensure_ascii=False) + "\n")
        return 204

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.send_response(receiver.receive(self.headers.get("Authorization", ""),
                                                    self.rfile.read(length)))
                self.end_headers()

            def log_message(self, *args) -> None:
                """Silent: the alert itself is logged."""

        return Handler

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def register_alerting(receiver: AlertReceiver) -> None:
    """Save the webhook block and (re)create the "publish blocked" automation calling it."""
    from prefect.automations import Automation
    from prefect.blocks.webhook import Webhook
    from prefect.client.orchestration import get_client
    from prefect.events.actions import CallWebhook
    from prefect.events.schemas.automations import EventTrigger, Posture

    block_id = Webhook(url=receiver.url, headers={"Authorization": f"Bearer {receiver.token}"}).save(
        BLOCK_NAME, overwrite=True)
    with get_client(sync_client=True) as client:  # the previous `up`'s, with its old address
        for existing in client.read_automations_by_name(name=AUTOMATION_NAME):
            client.delete_automation(existing.id)
    Automation(
        name=AUTOMATION_NAME,
        description="Blocking data-quality failures kept gold as it was: tell the operator.",
        trigger=EventTrigger(expect={BLOCKED_EVENT}, posture=Posture.Reactive, threshold=1),
        actions=[CallWebhook(block_document_id=block_id, payload=PAYLOAD)],
    ).create()


def alert_lines(path: Path) -> list[dict]:
    """The alerts received so far (for tests and tools)."""
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
