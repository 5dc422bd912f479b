"""Load generation: wrk with a Lua script (p95 from its histogram), or a Python fallback."""
from __future__ import annotations

import http.client
import json
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

CONNECTIONS = 4  # one connection per wrk thread, so a thread's POSTs are sequential

LUA_COMMON = r"""
done = function(summary, latency, requests)
  io.write(string.format("BENCH {\"requests\": %d, \"duration_us\": %d, \"p50_us\": %d, \"p95_us\": %d, \"status_errors\": %d, \"socket_errors\": %d}\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""

LUA_GET = r"""
wrk.method = "GET"
%(headers)s
"""

# Each thread owns one draft assessment; save n posts levels that differ from save n-1 on
# every question, with the versions the previous successful save left behind.
LUA_POST = r"""
local threads_data = %(threads)s
local counter = 0
local questions = %(questions)s
setup = function(thread)
  thread:set("tid", counter)
  counter = counter + 1
end
init = function(args)
  n = 0
  data = threads_data[tonumber(tid) + 1]
end
request = function()
  local parts = {"csrf_token=" .. data.csrf, "go=stay"}
  for i, q in ipairs(questions) do
    local level = ((data.levels[i] + n) %% 5) + 1
    table.insert(parts, q .. "-answer=" .. level)
    table.insert(parts, q .. "-target=5")
    table.insert(parts, q .. "-comment=")
    table.insert(parts, q .. "-version=" .. (data.versions[i] + n))
  end
  local headers = {}
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  headers["Cookie"] = data.cookie
  headers["User-Agent"] = "bench"
  return wrk.format("POST", data.path, headers, table.concat(parts, "&"))
end
-- Only a completed save moves the versions on. A request lost on a reconnect is sent again;
-- after a conflict (a save whose response was lost) the page tells the current versions.
response = function(status, headers, body)
  if status == 303 then
    n = n + 1
  elseif status == 409 then
    for i, q in ipairs(questions) do
      local v = string.match(body, 'name="' .. q:gsub("%%-", "%%%%-") .. '%%-version"[^>]-value="(%%d+)"')
      if v then data.versions[i] = tonumber(v) - n end
    end
  end
end
"""


@dataclass
class LoadResult:
    """Requests per second, latency percentiles (ms) and failed requests of one run."""

    rps: float
    p50_ms: float
    p95_ms: float
    requests: int
    errors: int


def have_wrk() -> bool:
    """True if the wrk binary is installed."""
    return shutil.which("wrk") is not None


def _lua_headers(headers: dict[str, str]) -> str:
    return "\n".join(f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items())


def _lua_table(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_lua_table(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "{" + ", ".join(_lua_table(v) for v in value) + "}"
    return json.dumps(value)


def _run_wrk(url: str, script: str, seconds: float) -> LoadResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script + LUA_COMMON)
        path = f.name
    try:
        out = subprocess.run(
            ["wrk", f"-t{CONNECTIONS}", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s",
             "--timeout", "10s", "-s", path, url],
            capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    finally:
        Path(path).unlink()
    line = next(ln for ln in out.splitlines() if ln.startswith("BENCH "))
    d = json.loads(line[6:])
    return LoadResult(d["requests"] / (d["duration_us"] / 1e6), d["p50_us"] / 1000,
                      d["p95_us"] / 1000, d["requests"], d["status_errors"] + d["socket_errors"])


def get(url: str, headers: dict[str, str], seconds: float) -> LoadResult:
    """Load a GET URL with CONNECTIONS concurrent connections for `seconds`."""
    if have_wrk():
        return _run_wrk(url, LUA_GET % {"headers": _lua_headers(headers)}, seconds)
    return _python_load(url, seconds, [lambda n: ("GET", urlsplit(url).path + (
        "?" + urlsplit(url).query if urlsplit(url).query else ""), None, headers)] * CONNECTIONS,
        ok=range(200, 300))


def post_forms(base: str, clients: list[dict], questions: list[str], seconds: float) -> LoadResult:
    """POST a page of answers repeatedly; clients[i] = {path, cookie, csrf, levels, versions}."""
    if have_wrk():
        script = LUA_POST % {"threads": _lua_table(clients), "questions": _lua_table(questions)}
        return _run_wrk(base, script, seconds)

    def maker(c):
        def make(n):
            parts = [("csrf_token", c["csrf"]), ("go", "stay")]
            for i, q in enumerate(questions, 1):
                parts += [(f"{q}-answer", str((c["levels"][i - 1] + n) % 5 + 1)), (f"{q}-target", "5"),
                          (f"{q}-comment", ""), (f"{q}-version", str(c["versions"][i - 1] + n))]
            from urllib.parse import urlencode
            return ("POST", c["path"], urlencode(parts), {
                "Content-Type": "application/x-www-form-urlencoded", "Cookie": c["cookie"],
                "User-Agent": "bench"})
        return make
    return _python_load(base, seconds, [maker(c) for c in clients], ok=range(300, 400))


def _python_load(base: str, seconds: float, makers, ok) -> LoadResult:
    """The fallback load generator: one thread and keep-alive connection per maker."""
    u = urlsplit(base)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(make):
        conn, n = None, 0
        local, bad = [], 0
        while time.monotonic() < stop:
            method, path, body, headers = make(n)
            t0 = time.perf_counter()
            try:
                conn = conn or http.client.HTTPConnection(u.hostname, u.port, timeout=10)
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                resp.read()
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
                good = resp.status in ok
            except OSError:
                conn, good = None, False
            local.append(time.perf_counter() - t0)
            bad += not good
            n += good  # the next POST builds on the last successful save
        with lock:
            latencies.extend(local)
            errors[0] += bad

    start = time.monotonic()
    threads = [threading.Thread(target=worker, args=(m,)) for m in makers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0.0
    return LoadResult(len(latencies) / elapsed, statistics.median(latencies or [0]) * 1000,
                      p95 * 1000, len(latencies), errors[0])


def ensure_wrk() -> None:
    """Install wrk with apt-get when possible; otherwise the Python generator is used."""
    if have_wrk() or shutil.which("apt-get") is None:
        return
    sudo = [] if _is_root() else (["sudo", "-n"] if shutil.which("sudo") else None)
    if sudo is None:
        return
    print("installing wrk with apt-get ...", flush=True)
    for cmd in (["apt-get", "install", "-y", "-q", "wrk"], ["apt-get", "update", "-q"],
                ["apt-get", "install", "-y", "-q", "wrk"]):
        subprocess.run(sudo + cmd, capture_output=True, timeout=300, check=False)
        if have_wrk():
            return
    print("wrk could not be installed; using the Python load generator", flush=True)


def _is_root() -> bool:
    import os
    return hasattr(os, "geteuid") and os.geteuid() == 0
