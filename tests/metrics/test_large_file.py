"""A file larger than the memory the import may use still imports: the import streams.

The import runs in a child process whose address space is capped below the file's size;
a control proves the cap bites, since reading the whole file under it fails.
"""

import json
import os
import resource
import subprocess
import sys
import textwrap

CAP = 900 << 20  # bytes of address space for the child, libraries and all
ROWS = 480_000
FILLER = "n" * 2_200  # an extra column kaohe does not keep: bytes without more rows

IMPORT = textwrap.dedent("""
    import json, sys
    from datetime import datetime
    from pathlib import Path
    from zoneinfo import ZoneInfo
    from kaohe.metrics import ImportOptions, Lake, import_file

    zone = ZoneInfo("Asia/Shanghai")
    options = ImportOptions(zone=zone, now=datetime(2026, 12, 1, tzinfo=zone), memory="256MB")
    batch = import_file(Lake(Path(sys.argv[2])), "calls", Path(sys.argv[1]), "calls.csv", options)
    print(json.dumps([batch.accepted, batch.rows_read]))
""")


def write_large_file(path):
    header = "call_id,direction,queue,agent_id,customer_id,offered_at,answered_at,ended_at,"
    header += "hold_seconds,wrap_seconds,notes\n"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(header)
        for start in range(0, ROWS, 10_000):
            handle.write(
                "".join(
                    f"C{n},inbound,Q1,A{n % 300:03d},K{n % 9_000},2026-09-01 09:00:00,"
                    f"2026-09-01 09:00:10,2026-09-01 09:05:00,0,30,{FILLER}\n"
                    for n in range(start, start + 10_000)
                )
            )


def capped_run(*command):
    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))

    # glibc reserves 64 MB of address space per thread arena; two arenas leave room to work.
    env = dict(os.environ, MALLOC_ARENA_MAX="2")
    return subprocess.run(command, preexec_fn=cap, env=env, capture_output=True, text=True)


def test_a_file_larger_than_the_memory_cap_imports(tmp_path):
    path = tmp_path / "calls.csv"
    write_large_file(path)
    try:
        assert path.stat().st_size > CAP * 1.15

        control = capped_run(sys.executable, "-c", f"open({str(path)!r}, 'rb').read()")
        assert control.returncode != 0
        assert "MemoryError" in control.stderr

        run = capped_run(sys.executable, "-c", IMPORT, str(path), str(tmp_path / "lake"))
        assert run.returncode == 0, run.stderr[-3000:]
        assert json.loads(run.stdout) == [ROWS, ROWS]
    finally:
        path.unlink()
