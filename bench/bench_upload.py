"""Benchmark: a ~1 GB file of calls uploaded through the Data page of a live `kaohe serve`.

What: `kaohe serve` (gunicorn, 2 workers, and its background task worker) on loopback
under a throwaway KAOHE_HOME with the demo organisation; an HR session posts a ~1 GB calls
CSV (about 10 million calls) to /data/ as a browser would (multipart, streamed from disk),
waits for the background check, confirms the import, and waits until the batch is
recorded. Reported: the time to upload (the request returns at once, the check queued),
to check, to import, and in all until the batch is recorded; and the largest memory
(resident set) any of the server's processes reached, to show that no process read the
upload into memory. The figures go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "var" / "bench"
HOME = BENCH / "upload-home"
HEADER = (
    "call_id,direction,queue,agent_id,customer_id,offered_at,answered_at,ended_at,wrap_seconds\n"
)
ENV = {**os.environ, "KAOHE_HOME": str(HOME), "KAOHE_HTTPS": "false", "KAOHE_TASKS": "database"}
ENV.pop("DATABASE_URL", None)


def write_calls(path: Path, target_bytes: int) -> int:
    """A plain calls CSV of about ``target_bytes``; kept between runs. Returns its rows."""
    marker = path.with_suffix(".rows")
    if path.is_file() and marker.is_file() and abs(path.stat().st_size - target_bytes) < 1 << 24:
        return int(marker.read_text())
    rows = 0
    with path.open("w", encoding="utf-8") as handle:
        handle.write(HEADER)
        while handle.tell() < target_bytes:
            lines = []
            for n in range(rows, rows + 100_000):
                day, minute = 1 + n % 30, n // 30 % 600
                at = f"2026-09-{day:02d} {8 + minute // 60:02d}:{minute % 60:02d}"
                lines.append(
                    f"U{n},inbound,Q{n % 24},QF{n % 3000:04d},K{n % 90_000},{at}:00,{at}:12,"
                    f"{at}:59,{n % 40}\n"
                )
            handle.write("".join(lines))
            rows += 100_000
    marker.write_text(str(rows))
    return rows


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fresh_home() -> None:
    shutil.rmtree(HOME, ignore_errors=True)
    HOME.mkdir(parents=True)
    made = subprocess.run(
        [sys.executable, "-m", "kaohe", "demo", "--no-serve", "--no-data"],
        env=ENV, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if made.returncode != 0:
        raise SystemExit(made.stderr)


def session_id() -> str:
    script = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'kaohe.settings');"
        "django.setup(); from django.test import Client;"
        "from django.contrib.auth import get_user_model; c = Client();"
        "c.force_login(get_user_model().objects.get(username='hr'));"
        "print(c.cookies['sessionid'].value)"
    )
    found = subprocess.run([sys.executable, "-c", script], env=ENV, capture_output=True,
                           text=True, check=True)  # fmt: skip
    return found.stdout.strip()


class Site:
    """An HR session on the live server: GETs, and POSTs with the CSRF token."""

    def __init__(self, port: int, session: str) -> None:
        self.port = port
        self.cookies = {"sessionid": session}
        page = self.get("/data/")
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]  # type: ignore[index]

    def _cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def _keep(self, response: http.client.HTTPResponse) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]

    def get(self, path: str) -> str:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        connection.request("GET", path, headers={"Cookie": self._cookie()})
        response = connection.getresponse()
        self._keep(response)
        body = response.read().decode()
        connection.close()
        assert response.status == 200, (path, response.status)
        return body

    def post_file(self, path: str, source: str, file: Path) -> str:
        """A multipart POST streamed from disk; returns where it redirects to."""
        boundary = "kaohe-bench-boundary"
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f'{self.token}\r\n--{boundary}\r\nContent-Disposition: form-data; name="source"'
            f'\r\n\r\n{source}\r\n--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{file.name}"\r\nContent-Type: text/csv\r\n\r\n'
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        connection.putrequest("POST", path)
        connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
        connection.putheader("Content-Length", str(len(head) + file.stat().st_size + len(tail)))
        connection.putheader("Cookie", self._cookie())
        connection.endheaders()
        connection.send(head)
        with file.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                connection.send(block)
        connection.send(tail)
        return self._redirect(connection, path)

    def post(self, path: str) -> str:
        body = f"csrfmiddlewaretoken={self.token}".encode()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        connection.request("POST", path, body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": self._cookie(),
        })  # fmt: skip
        return self._redirect(connection, path)

    def _redirect(self, connection: http.client.HTTPConnection, path: str) -> str:
        response = connection.getresponse()
        self._keep(response)
        response.read()
        connection.close()
        assert response.status == 302, (path, response.status)
        return str(response.headers["Location"])

    def wait_for(self, job: str, stage: str) -> None:
        while True:
            found = re.search(r'data-stage="(\w+)"', self.get(f"{job}progress/"))
            assert found, job
            if found[1] == stage:
                return
            if found[1] == "failed":
                raise SystemExit(f"the job failed: {self.get(job)[-3000:]}")
            time.sleep(0.5)


class PeakMemory:
    """The largest resident set of any process in the server's process group."""

    def __init__(self, group: int) -> None:
        self.group, self.peak, self.running = group, 0, True
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        while self.running:
            listed = subprocess.run(["ps", "-o", "rss=", "-g", str(self.group)],
                                    capture_output=True, text=True, check=False).stdout  # fmt: skip
            sizes = [int(size) for size in listed.split()]
            self.peak = max([self.peak, *sizes])
            time.sleep(0.25)

    def stop(self) -> int:
        self.running = False
        self.thread.join()
        return self.peak * 1024


def one_round(file: Path) -> dict[str, float]:
    fresh_home()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "kaohe", "serve", "--port", str(port), "--workers", "2"],
        env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        for _ in range(300):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        site = Site(port, session_id())
        memory = PeakMemory(server.pid)
        started = time.monotonic()
        job = site.post_file("/data/", "calls", file)
        uploaded = time.monotonic()
        site.wait_for(job, "checked")
        checked = time.monotonic()
        site.post(f"{job}import/")
        site.wait_for(job, "done")
        done = time.monotonic()
        peak = memory.stop()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    listed = subprocess.run([sys.executable, "-m", "kaohe", "data", "batches", "calls"],
                            env=ENV, capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert len(listed.strip().splitlines()) == 2, listed  # the header and the one batch
    return {"upload": uploaded - started, "check": checked - uploaded,
            "import": done - checked, "total": done - started, "peak": peak}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gigabytes", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    BENCH.mkdir(parents=True, exist_ok=True)
    file = BENCH / "upload-calls.csv"
    rows = write_calls(file, int(args.gigabytes * (1 << 30)))
    size = file.stat().st_size
    results = [one_round(file) for _ in range(args.rounds)]

    def median(name: str) -> float:
        return statistics.median(r[name] for r in results)

    print(f"upload through the Data page: {size / (1 << 30):.2f} GiB, {rows:,} calls, "
          f"median of {args.rounds} round(s)")  # fmt: skip
    for name in ("upload", "check", "import", "total"):
        spread = [r[name] for r in results]
        print(f"  {name:<7} {median(name):6.1f} s (min {min(spread):.1f}, max {max(spread):.1f})")
    print(f"  peak resident memory of any server process: {median('peak') / (1 << 20):,.0f} MiB")


if __name__ == "__main__":
    main()
