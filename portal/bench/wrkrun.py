"""Runs wrk with the scripts of portal/bench/wrk/ and reads what it prints.

Every script ends with `common.done`, which prints one line "BENCH-JSON {...}": wrk's own
summary (requests, duration, socket errors, HTTP errors), its latency percentiles and the
figures the script counted itself (unexpected answers, confirmation URLs, latencies).

Scripts whose threads stop by themselves (each query once; submissions that never leave a
POST in flight) tell so through a file: once every thread has stopped, wrk, which would
sleep until the end of --duration, is woken up with SIGINT (what it does on Ctrl-C), and the
run's length is the one the threads measured, first request to last answer.
"""

import json
import math
import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent / "wrk"
MARK = "BENCH-JSON "
# Long enough never to turn a slow answer into an error: a slow page is measured, not dropped.
TIMEOUT_SECONDS = 30


class WrkError(RuntimeError):
    pass


def percentile(values: list[float], percent: float) -> float:
    """Nearest-rank percentile (p50 of [1, 2, 3, 4] is 2); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class WrkResult:
    requests: int
    duration_s: float
    latency_ms: dict[str, float]
    socket_errors: dict[str, int]
    status_errors: int  # answers >= 400, as wrk counts them
    counters: dict[str, float] = field(default_factory=dict)
    lists: dict[str, list] = field(default_factory=dict)
    requests_per_second_text: float | None = None  # wrk's own "Requests/sec:" line
    self_stopped: bool = False  # every thread stopped by itself: duration_s is their active span

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0

    @property
    def bad_answers(self) -> int:
        """Answers that were not the one expected (the scripts count every status but the expected one)."""
        return max(int(self.counters.get("bad", 0)), self.status_errors)

    @property
    def errors(self) -> int:
        """Socket errors (connect, read, write, timeout) plus answers that were not the one expected."""
        return sum(self.socket_errors.values()) + self.bad_answers

    def as_dict(self) -> dict:
        return {
            "requests": self.requests,
            "duration_s": round(self.duration_s, 3),
            "requests_per_second": round(self.requests_per_second, 2),
            "latency_ms": {name: round(value, 2) for name, value in self.latency_ms.items()},
            "socket_errors": self.socket_errors,
            "status_errors": self.status_errors,
            "errors": self.errors,
            "counters": self.counters,
        }


def parse_wrk_output(text: str) -> WrkResult:
    """The result of one wrk run, from its standard output."""
    lines = [line for line in text.splitlines() if line.startswith(MARK)]
    if not lines:
        raise WrkError(f"wrk printed no {MARK.strip()} line (was the script's done() run?):\n{text[-2000:]}")
    data = json.loads(lines[-1][len(MARK) :])
    latency = data["latency_us"]
    errors = data["errors"]
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.MULTILINE)
    active = data.get("active_us")
    return WrkResult(
        requests=int(data["requests"]),
        duration_s=(active if active is not None else data["duration_us"]) / 1e6,
        self_stopped=active is not None,
        latency_ms={name: latency[name] / 1000 for name in ("p50", "p90", "p95", "p99", "max", "mean")},
        socket_errors={name: int(errors[name]) for name in ("connect", "read", "write", "timeout")},
        status_errors=int(errors["status"]),
        # An empty Lua table is written as {}: lists may come back as {} too.
        counters=dict(data.get("counters") or {}),
        lists={name: list(values) for name, values in (data.get("lists") or {}).items()},
        requests_per_second_text=float(rate.group(1)) if rate else None,
    )


def wrk_command(
    url: str,
    script: str,
    args: list[str],
    *,
    threads: int,
    connections: int,
    seconds: float,
) -> list[str]:
    executable = shutil.which("wrk")
    if executable is None:
        raise WrkError("wrk is not installed: apt-get install -y wrk")
    return [
        executable,
        "--threads",
        str(threads),
        "--connections",
        str(connections),
        "--duration",
        f"{max(1, round(seconds))}s",
        "--timeout",
        f"{TIMEOUT_SECONDS}s",
        "--script",
        str(SCRIPTS / script),
        url,
        "--",
        *args,
    ]


@dataclass
class WrkRun:
    process: subprocess.Popen
    stop_file: Path
    threads: int
    stops_itself: bool


def start_wrk(url: str, script: str, args: list[str], *, stops_itself: bool = False, **options) -> WrkRun:
    """Starts wrk; with `stops_itself`, its threads stop on their own and wrk is woken up then."""
    handle, name = tempfile.mkstemp(prefix="bench-load-stop-")
    os.close(handle)
    process = subprocess.Popen(  # noqa: S603 - wrk with our own scripts
        wrk_command(url, script, args, **options),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",  # garbled output fails in the parser, with the output shown
        env={**os.environ, "BENCH_STOP_FILE": name},
    )
    return WrkRun(process, Path(name), options["threads"], stops_itself)


def sleeping(pid: int) -> bool:
    """Whether wrk's main thread sleeps out --duration (and not still starting, or already collecting)."""
    try:
        return "nanosleep" in Path(f"/proc/{pid}/task/{pid}/wchan").read_text()
    except OSError:
        return False


def finish_wrk(run: WrkRun) -> WrkResult:
    process = run.process
    try:
        while not run.stops_itself:
            stdout, stderr = process.communicate()
            break
        while run.stops_itself:
            try:
                stdout, stderr = process.communicate(timeout=0.005)
                break
            except subprocess.TimeoutExpired:
                # Every thread has stopped: wake the main thread (before it sleeps, SIGINT would kill wrk).
                if run.stops_itself and run.stop_file.stat().st_size >= run.threads and sleeping(process.pid):
                    process.send_signal(signal.SIGINT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        run.stop_file.unlink(missing_ok=True)
    if process.returncode != 0:
        raise WrkError(f"wrk failed ({process.returncode}): {stderr.strip() or stdout[-2000:]}")
    return parse_wrk_output(stdout)


def run_wrk(url: str, script: str, args: list[str], **options) -> WrkResult:
    return finish_wrk(start_wrk(url, script, args, **options))
