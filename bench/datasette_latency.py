"""Time the site's pages: Datasette serving a claims database as `claims serve` does.

Starts ``claims serve`` (immutable, the project's metadata and settings, the database's
inspect file) on a free loopback port, sends each endpoint a few warm-up requests and then
``--requests`` timed ones, one at a time, and prints p50 and p95 per endpoint beside its
target (issue #8) with PASS or MISS. The endpoints: the claims table page as JSON and HTML,
a facet, a filtered page, every canned query of the metadata and the dashboard's charts.
The server is stopped at the end. Make a database with bench/make_claims_db.py.

    python bench/datasette_latency.py /tmp/claims-1m.db
    python bench/datasette_latency.py /tmp/claims-10m.db --requests 50 --runs 3

With ``--runs N`` the whole round runs N times (a new server each) and the median of the
runs' p50 and p95 is shown.
"""

from __future__ import annotations

import argparse
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent

#: Targets of issue #8 in ms (p50, p95); None: no target. At ten million claims the table
#: page may take 75 ms (``LARGE_TABLE``).
TARGETS = {
    "table json": (25, None),
    "table html": (75, None),
    "facet": (120, None),
    "filtered": (60, None),
    "query": (150, 300),
    "chart": (150, 300),
}
LARGE = 5_000_000
LARGE_TABLE = (75, None)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Example: python bench/datasette_latency.py /tmp/claims-1m.db --requests 30",
    )
    parser.add_argument("db", type=Path, help="a claims database (bench/make_claims_db.py)")
    parser.add_argument("--metadata", type=Path, default=ROOT / "metadata.yml")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per endpoint")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests first")
    parser.add_argument("--runs", type=int, default=1, help="rounds; medians are shown")
    args = parser.parse_args()
    for path in (args.db, args.metadata):
        if not path.is_file():
            sys.exit(f"{path}: no such file")
    if args.requests < 1:
        sys.exit("--requests must be at least 1")
    name = args.db.stem
    endpoints = _endpoints(args.db, name, args.metadata)
    claims = _count(args.db)
    rounds = []
    for run in range(args.runs):
        _say(f"run {run + 1} of {args.runs}: {claims:,} claims, {len(endpoints)} endpoints")
        rounds.append(_run(args, endpoints))
    _report(endpoints, rounds, claims)


def _endpoints(db: Path, name: str, metadata: Path) -> list[tuple[str, str, str, dict]]:
    """(label, kind, path, params) for each endpoint; parameters taken from the data."""
    data = yaml.safe_load(metadata.read_text(encoding="utf-8"))
    queries = data["databases"]["claims"]["queries"]
    conn = sqlite3.connect(db.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        sample = {
            "unit": _top(conn, "unit", "value != ''"),
            "speaker": _top(conn, "speaker", "value is not null"),
            "document_id": conn.execute(
                "select document_id from claims where rowid = (select max(rowid) / 2 from claims)"
            ).fetchone()[0],
            "q": "troops",
            "concept": "troops",
        }
    finally:
        conn.close()
    endpoints = [
        ("table json", "table json", f"/{name}/claims.json", {}),
        ("table html", "table html", f"/{name}/claims", {}),
        ("facet ?_facet=unit", "facet", f"/{name}/claims.json", {"_facet": "unit"}),
        (
            f"filtered ?speaker={sample['speaker']}",
            "filtered",
            f"/{name}/claims.json",
            {"speaker": sample["speaker"]},
        ),
    ]
    for query, spec in queries.items():
        params = {p: sample[p] for p in re.findall(r"(?<!:):(\w+)", spec["sql"])}
        endpoints.append((f"query {query}", "query", f"/{name}/{query}.json", params))
    dashboards = (data.get("plugins") or {}).get("datasette-dashboards", {})
    for dashboard in dashboards.values():
        filters = {"concept": sample["concept"], "unit": sample["unit"]}
        for chart, spec in dashboard.get("charts", {}).items():
            sql, params = _chart_sql(spec["query"], filters)
            endpoints.append((f"chart {chart}", "chart", f"/{name}.json", {"sql": sql, **params}))
    return endpoints


def _top(conn: sqlite3.Connection, facet: str, where: str) -> str:
    """The most frequent value of a facet column (from the summary table claim_facets)."""
    return conn.execute(
        f"select value from claim_facets where facet = ? and {where} order by claims desc",
        [facet],
    ).fetchone()[0]


def _chart_sql(sql: str, filters: dict) -> tuple[str, dict]:
    """A chart's query as datasette-dashboards runs it: each ``[[ ... ]]`` (on one line)
    kept when its parameters have values, else dropped."""
    used = {}

    def keep(match: re.Match) -> str:
        names = re.findall(r":(\w+)", match.group(1))
        if all(filters.get(n) for n in names):
            used.update({n: filters[n] for n in names})
            return match.group(1)
        return ""

    return re.sub(r"\[\[(.*?)\]\]", keep, sql), used


def _run(args, endpoints) -> dict[str, tuple[float, float, set]]:
    """Start a server, time every endpoint, stop it: label -> (p50, p95) in ms and the
    HTTP statuses but 200 it answered."""
    port = _free_port()
    command = [sys.executable, "-m", "claims", "serve", "--db", str(args.db),
               "--metadata", str(args.metadata), "--port", str(port)]  # fmt: skip
    log = tempfile.TemporaryFile()  # a pipe left unread would stop the server when full
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=60) as client:
            _wait(client, server, log)
            results = {}
            for label, _, path, params in endpoints:
                failed: set[int] = set()
                for _ in range(args.warmup):
                    _get(client, path, params, failed)
                times = []
                for _ in range(args.requests):
                    start = time.perf_counter()
                    _get(client, path, params, failed)
                    times.append((time.perf_counter() - start) * 1000)
                results[label] = (*_percentiles(times), failed)
                _say(f"  {label}: p50 {results[label][0]:.1f} ms")
        return results
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def _get(client: httpx.Client, path: str, params: dict, failed: set) -> None:
    """Request a page; a status but 200 (a query past Datasette's SQL time limit) goes in
    ``failed``, once."""
    response = client.get(path, params=params)
    if response.status_code != 200 and response.status_code not in failed:
        failed.add(response.status_code)
        _say(f"  {path} {params}: HTTP {response.status_code}: {response.text[:200]}")


def _wait(client: httpx.Client, server: subprocess.Popen, log) -> None:
    """Wait until the server answers (the first start may count the tables: minutes on ten
    million claims); stop with its error output if it ends."""
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            sys.exit(f"claims serve stopped: {log.read().decode()[-2000:]}")
        try:
            client.get("/-/versions.json", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    sys.exit("claims serve did not answer within 15 minutes")


def _percentiles(times: list[float]) -> tuple[float, float]:
    """p50 and p95 of ``times`` (nearest rank)."""
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return statistics.median(ordered), p95


def _report(endpoints, rounds, claims: int) -> None:
    print(f"{'endpoint':<44} {'p50 ms':>8} {'p95 ms':>8}  {'target':>13}  verdict")
    misses = 0
    for label, kind, _, _ in endpoints:
        p50 = statistics.median(r[label][0] for r in rounds)
        p95 = statistics.median(r[label][1] for r in rounds)
        target = TARGETS[kind]
        if claims >= LARGE and kind in ("table json", "table html"):
            target = LARGE_TABLE
        failed = set().union(*(r[label][2] for r in rounds))
        verdict = "PASS"
        if failed:
            verdict = "FAIL HTTP " + ",".join(map(str, sorted(failed)))
            misses += 1
        elif p50 > target[0] or (target[1] is not None and p95 > target[1]):
            verdict = "MISS"
            misses += 1
        wanted = f"<={target[0]}" + (f" /{target[1]}" if target[1] else "")
        print(f"{label[:44]:<44} {p50:>8.1f} {p95:>8.1f}  {wanted:>13}  {verdict}")
    print(f"{claims:,} claims; {misses} of {len(endpoints)} endpoints miss their target or fail")


def _count(db: Path) -> int:
    conn = sqlite3.connect(db.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        sql = "select sum(claims) from claim_facets where facet = 'unit'"
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
