"""Measure how soon a save of the brief shows in the open preview page: N saves,
each timed from the file's replacement to the page's new build (Chromium through
Playwright).  Run: ``python tools/measure_preview_latency.py [N]``."""
from __future__ import annotations

import os
import statistics
import sys
import time

from preview_session import preview_page


def main(rounds: int = 10) -> None:
    with preview_page(bypass_csp=True) as (page, brief, text):  # wait_for_function evaluates
        page.wait_for_function("document.body.dataset.version >= 1")
        times = []
        for n in range(rounds):
            version = int(page.evaluate("document.body.dataset.version"))
            tmp_file = brief.with_suffix(".tmp")
            tmp_file.write_text(text.replace("Thank you for your time.", f"Thank you ({n})."),
                                encoding="utf-8")
            started = time.perf_counter()
            os.replace(tmp_file, brief)
            page.wait_for_function(f"document.body.dataset.version > {version}", polling="raf")
            times.append((time.perf_counter() - started) * 1000)
            time.sleep(0.3)
    print(f"save to page, {rounds} saves: median {statistics.median(times):.0f} ms, "
          f"min {min(times):.0f}, max {max(times):.0f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
