"""``kaohe serve`` starts gunicorn on an empty home and answers its health check."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.headers, response.read().decode()


def test_serve_migrates_collects_static_and_answers(tmp_path):
    port = free_port()
    env = {**os.environ, "KAOHE_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    env["KAOHE_HTTPS"] = "false"
    server = subprocess.Popen(
        [sys.executable, "-m", "kaohe", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _headers, body = get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "kaohe serve did not answer within 60 s"
                time.sleep(0.3)
        assert (status, body) == (200, '{"status": "ok"}')
        status, headers, page = get(f"http://127.0.0.1:{port}/login/")
        assert status == 200
        assert headers["Server"].startswith("gunicorn")
        # Collected static files have content hashes in their names and are served.
        stylesheet = next(part for part in page.split('"') if part.endswith(".css"))
        assert stylesheet.startswith("/static/kaohe/kaohe.")
        assert stylesheet != "/static/kaohe/kaohe.css"
        assert get(f"http://127.0.0.1:{port}{stylesheet}")[0] == 200
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
