"""Web latency and throughput: uvicorn (one worker) on loopback, measured with wrk.

Each target gets ``--duration`` seconds of load from 50 connections (wrk -t2 -c50 --latency):
the case list, a case page, a country page and the JSON case list, and a static file as the
baseline. Prints p50/p99 latency and requests per second, and each one's throughput as a
ratio to the static baseline. Targets: p99 < 100 ms; /api/v1/cases >= 300 requests/s.
Figures only, no asserts. ``--no-cache`` turns the response cache off (ETags stay) to measure
rendering itself. Needs wrk (apt-get install wrk).

    python benchmarks/bench_web.py [--duration 10] [--no-cache]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

TARGETS = [
    ("static /static/style.css (baseline)", "/static/style.css"),
    ("case list /cases", "/cases"),
    ("case page /cases/{id}", "/cases/eth-health-extension-programme"),
    ("country page /countries/MWI", "/countries/MWI"),
    ("API /api/v1/cases", "/api/v1/cases"),
]

SERVER = """
import sys, uvicorn
from hrhlessons import registry
from hrhlessons.web.app import create_app
engine = registry.open_database(sys.argv[1], migrate=True)
registry.import_bundled(engine)
uvicorn.run(create_app(engine, cache=sys.argv[3] == "1"), host="127.0.0.1",
            port=int(sys.argv[2]), log_level="warning", access_log=False)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def to_ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(url: str, duration: int) -> tuple[float, float, float]:
    out = subprocess.run(["wrk", "-t2", "-c50", f"-d{duration}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        print(f"  warning: {errors.group(1)} non-2xx answers from {url}")
    return p50, p99, rps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--no-cache", action="store_true")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk); nothing measured")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="bench-web-"))
    port = free_port()
    env = {**os.environ, "HRH_DATA_DIR": str(tmp)}
    server = subprocess.Popen([sys.executable, "-c", SERVER, f"sqlite:///{tmp / 'r.sqlite'}",
                               str(port), "0" if args.no_cache else "1"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/static/style.css", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    print("the server did not start")
                    return 1
                time.sleep(0.2)
        for _, path in TARGETS:  # warm up: first renders, caches, imports
            urllib.request.urlopen(base + path, timeout=30).read()
        mode = "response cache off" if args.no_cache else "response cache on"
        print(f"uvicorn, 1 worker, wrk -t2 -c50 -d{args.duration}s, {mode}")
        print(f"{'target':40} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>9} {'x static':>9}")
        baseline = None
        for name, path in TARGETS:
            p50, p99, rps = run_wrk(base + path, args.duration)
            baseline = baseline or rps
            print(f"{name:40} {p50:8.1f} {p99:8.1f} {rps:9.0f} {rps / baseline:9.2f}")
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
