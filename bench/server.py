"""The platform served for the benchmark: gunicorn with the production settings plus the baseline
views (bench/settings.py) on BENCH_PORT, which nothing else may be serving, stopped with its workers."""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.common import BASE, PORT, PYTHON, ROOT, WORKERS
from bench.database import environment


class Server:
    def __init__(self, database: str, log_path: Path):
        self.database, self.log_path = database, log_path
        self.process = None

    def __enter__(self):
        try:
            urllib.request.urlopen(BASE, timeout=2)
            sys.exit(f"Something already serves {BASE}; stop it or set BENCH_PORT.")
        except urllib.error.HTTPError:
            sys.exit(f"Something already serves {BASE}; stop it or set BENCH_PORT.")
        except OSError:
            pass
        command = [str(PYTHON), "-m", "gunicorn", "codeofconduct.wsgi:application", "--bind", f"127.0.0.1:{PORT}"]
        command += [
            "--workers",
            str(WORKERS),
            "--access-logfile",
            "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
        ]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment(self.database),
            stdout=self.log_path.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{BASE}/bench/baseline/clause/0/", timeout=5)
            except urllib.error.HTTPError:
                break  # answered (404): serving
            except OSError:
                time.sleep(0.5)
        else:
            self.__exit__()
            sys.exit(f"gunicorn did not start; see {self.log_path}")
        return self

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def peak_rss_mb(self) -> float:
        """The largest peak resident size (VmHWM) of any web worker so far."""
        peaks = []
        for pid in self.workers():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return max(peaks)

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
