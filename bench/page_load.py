"""First and second load of the participant page in Chromium on a slow phone's connection.

Not a test: it prints figures (docs/benchmarks.md). A real Duo process on a fresh SQLite
database; Debian's Chromium through Playwright with the network throttled by CDP (150 ms
round trip, 1.6 Mbit/s down, 750 kbit/s up) and the CPU four times slower. It measures the
bytes that crossed the network (every response's encoded length, headers included) and the
time from navigation to the join form's name field being visible; then a second visit in the
same browser profile: which requests went to the network at all.

    .venv/bin/python bench/page_load.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.utils.server import running_server  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
LATENCY_MS = 150
DOWN_BYTES_PER_S = 1_600_000 / 8
UP_BYTES_PER_S = 750_000 / 8
CPU_SLOWDOWN = 4
GOALS = {"first_kb": 60, "join_form_ms": 1500}


def visit(context: Any, url: str) -> dict[str, Any]:
    """Open `url` in a new page of `context` under throttling; return bytes, requests, time."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": LATENCY_MS,
            "downloadThroughput": DOWN_BYTES_PER_S,
            "uploadThroughput": UP_BYTES_PER_S,
        },
    )
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    urls: dict[str, str] = {}
    sizes: dict[str, float] = {}
    cached: set[str] = set()
    cdp.on(
        "Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    cdp.on("Network.requestServedFromCache", lambda e: cached.add(e["requestId"]))
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.locator("#name").wait_for(state="visible", timeout=60_000)
    form_ms = (time.perf_counter() - started) * 1000
    page.wait_for_load_state("networkidle")
    network = {
        urls.get(rid, rid): size for rid, size in sizes.items() if rid not in cached and size > 0
    }
    page.close()
    return {
        "bytes": sum(network.values()),
        "requests": sorted(u.split("?")[0].replace(url.split("/s/")[0], "") for u in network),
        "join_form_ms": form_ms,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp)) as server:
        code = httpx.post(f"{server.base_url}/api/sessions", json={}).json()["code"]
        url = f"{server.base_url}/s/{code}"
        firsts, seconds = [], []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for _ in range(args.runs):
                context = browser.new_context(viewport={"width": 360, "height": 740})
                firsts.append(visit(context, url))
                seconds.append(visit(context, url))
                context.close()
            browser.close()
    first_kb = statistics.median(r["bytes"] for r in firsts) / 1024
    first_ms = statistics.median(r["join_form_ms"] for r in firsts)
    second_kb = statistics.median(r["bytes"] for r in seconds) / 1024
    second_ms = statistics.median(r["join_form_ms"] for r in seconds)
    print(
        f"profile: {LATENCY_MS} ms round trip, 1.6 Mbit/s down, CPU x{CPU_SLOWDOWN}; "
        f"{args.runs} runs, medians"
    )
    print(
        f"first visit:  {first_kb:.1f} KB transferred in {len(firsts[0]['requests'])} requests, "
        f"join form after {first_ms:.0f} ms "
        f"(goals: <= {GOALS['first_kb']} KB, <= {GOALS['join_form_ms']} ms)"
    )
    print(
        f"second visit: {second_kb:.1f} KB transferred, join form after {second_ms:.0f} ms; "
        f"over the network: {', '.join(seconds[0]['requests'])}"
    )
    print("first visit's requests:", ", ".join(firsts[0]["requests"]))


if __name__ == "__main__":
    main()
