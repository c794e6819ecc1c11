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
    env.pop("KAOHE_LANG", None)  # the tests choose the language
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
        deadline = time.monotonic() + 180
        while True:
            try:
                status, _headers, body = get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "kaohe serve did not answer within 180 s"
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
    said = server.stdout.read()
    assert f"kaohe: 正在 http://127.0.0.1:{port}/ 提供服务（按 Ctrl-C 停止）" in said


def test_serve_runs_a_task_worker_beside_gunicorn(tmp_path):
    from .test_worker_command import QUEUE_A_LAUNCH, STATUS, run

    assert run(tmp_path, "-m", "kaohe", "demo", "--no-serve", "--no-data").returncode == 0
    port = free_port()
    env = {**os.environ, "KAOHE_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    env.pop("KAOHE_LANG", None)  # the tests choose the language
    env.update(KAOHE_HTTPS="false", KAOHE_TASKS="database")
    server = subprocess.Popen(
        [sys.executable, "-m", "kaohe", "serve", "--port", str(port), "--workers", "1",
         "--lang", "en"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True,
        text=True,
    )  # fmt: skip
    try:
        assert run(tmp_path, "-c", QUEUE_A_LAUNCH).stdout.split()[0] == "launching"
        deadline = time.monotonic() + 180
        while run(tmp_path, "-c", STATUS).stdout.split()[0] != "open":
            assert server.poll() is None
            assert time.monotonic() < deadline, "the worker did not launch the cycle in 180 s"
            time.sleep(0.5)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    assert server.returncode is not None
    said = server.stdout.read()
    assert f"kaohe: serving on http://127.0.0.1:{port}/ (Ctrl-C stops)" in said
