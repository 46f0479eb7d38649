"""PDFs are read in a worker process, so the time budget can stop any of them.

PDFium and onnxruntime are C code: a check between pages cannot interrupt one page that never
ends (a 160 KB PDF whose content stream inflates to 80 MB of path operators kept PDFium busy for
a minute), but a process can be killed. Each thread that parses keeps one worker
(`python -m pipelines.parsing.pdf_worker`), started on its first PDF and reused, so the cost per
file is one round trip over a pipe. The parent waits until the budget is spent (and a little
grace for the worker's own, more precise, message), then kills the worker and starts another
for the next file.
"""

from __future__ import annotations

import atexit
import ctypes
import os
import subprocess
import sys
import threading
import time
from multiprocessing import BufferTooShort
from multiprocessing.connection import Connection

from . import reading
from .errors import UnreadableFile
from .pdf_pages import Limits, over_budget, read_pdf

# The worker checks the budget itself before each page; the parent kills it this much later.
_GRACE_S = 2.0
_local = threading.local()


class _Overran(Exception):
    """The worker gave no answer within the budget and its grace."""


class _Worker:
    """One worker process and the two pipes to it."""

    def __init__(self):
        to_child, from_parent = os.pipe()
        to_parent, from_child = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipelines.parsing.pdf_worker", str(to_child), str(from_child)],
            pass_fds=(to_child, from_child), stdin=subprocess.DEVNULL,
            env={**os.environ, "OMP_NUM_THREADS": "1"})
        os.close(to_child)
        os.close(from_child)
        self.requests = Connection(from_parent, readable=False)
        self.replies = Connection(to_parent, writable=False)
        self.owner = os.getpid()  # a forked copy of this process must not share these pipes

    def stop(self) -> None:
        """Close the pipes (the worker exits on their end) and make sure it is gone."""
        self.requests.close()
        self.replies.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def read(self, data: bytes, limits: Limits, started: float) -> str:
        """The PDF's text from the worker; UnreadableFile for its errors, its death or the budget."""
        self.requests.send_bytes(data)  # as they are: no pickled copy of a file of up to 50 MB
        self.requests.send((limits, started))
        while True:
            wait = started + limits.seconds + _GRACE_S - time.monotonic()
            if wait <= 0 or not self.replies.poll(wait):
                raise _Overran
            message = self.replies.recv()
            if "progress" in message:
                reading.progress(message["progress"])
                continue
            reading.note(*message.get("findings", ()))
            if "error" in message:
                raise UnreadableFile(message["error"])
            return message["text"]


def _worker() -> _Worker:
    worker = getattr(_local, "worker", None)
    if worker is None or worker.owner != os.getpid() or worker.process.poll() is not None:
        worker = _local.worker = _Worker()
        atexit.register(worker.stop)
    return worker


def worker_pid() -> int | None:
    """The process id of this thread's PDF worker, if it has one (benchmarks add its CPU time)."""
    worker = getattr(_local, "worker", None)
    return worker.process.pid if worker is not None and worker.process.poll() is None else None


def read_in_worker(data: bytes, limits: Limits, started: float) -> str:
    """Read a PDF in this thread's worker; a worker that overran or died is replaced."""
    worker = _worker()
    try:
        return worker.read(data, limits, started)
    except (EOFError, OSError) as exc:
        _local.worker = None
        worker.stop()
        raise UnreadableFile(f"the PDF reader stopped on this file (exit code {worker.process.returncode}); "
                             "it may be damaged") from exc
    except _Overran:
        _local.worker = None  # still busy with this file: stop it, the next file gets a new one
        worker.stop()
        raise over_budget(limits, None, None) from None


def _receive(requests: Connection, buffer: bytearray) -> tuple[bytearray, int]:
    """The next PDF's bytes, read into `buffer` (grown when a larger file comes): one buffer for
    every file, so its memory is not allocated and faulted in again for each one."""
    try:
        return buffer, requests.recv_bytes_into(buffer)
    except BufferTooShort as longer:
        data = longer.args[0]
        return bytearray(data), len(data)


def _serve(requests: Connection, replies: Connection) -> None:
    """The worker's loop: read each PDF it is sent, reply with text or error (and progress)."""
    buffer = bytearray(1 << 20)
    while True:
        try:
            buffer, size = _receive(requests, buffer)
            limits, started = requests.recv()
        except EOFError:
            return
        data = (ctypes.c_char * size).from_buffer(buffer)
        with reading.collecting() as found, reading.progress_to(lambda m: replies.send({"progress": m})):
            try:
                reply = {"text": read_pdf(data, limits, started)}
            except UnreadableFile as exc:
                reply = {"error": exc.reason}
            except Exception as exc:  # a defect in reading: one file's problem, not the worker's end
                reply = {"error": f"the PDF reader failed on this file ({type(exc).__name__}: {exc})"}
        del data  # the buffer can grow again only once no view of it is left
        replies.send({**reply, "findings": list(found)})


if __name__ == "__main__":
    _serve(Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False))
