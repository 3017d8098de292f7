"""Weigh every page of both editions in headless Chromium, and run Lighthouse on them.

    .venv/bin/python benchmarks/pages.py [--site site/] [--json out.json]
                                         [--lighthouse all|none|N] [--runs 3]
                                         [--only SUBSTRING]

Without ``--site`` the site is built first (``mkdocs build --strict`` into a temp dir).
A bare mkdocs-material project (one text page, ``font: false`` like ours, default search)
is built into a temp dir as the baseline. Each site is served by ``http.server`` on
127.0.0.1; every page (``**/index.html``) is loaded in a fresh browser context (cold cache):

* bytes: what went over the wire (Playwright ``request.sizes()``: body as transferred plus
  headers, the search worker's requests included; text is gzipped like GitHub Pages does
  unless ``--no-gzip``), and the decoded body bytes ("raw", CDP, page target only);
* requests, and any response ≥ 400 or failed load;
* math ready: ``performance.now()`` when no ``.arithmatex`` still holds a raw ``\\(``/``\\[``
  and, if there are ``.arithmatex`` elements, ``.katex`` elements exist (polled every 5 ms);
* static checks: hreflang/alternate links and the sitemap's ``<loc>``s point at pages that
  exist; ``<meta name="description">`` present and, on /zh/, not the English one.

Lighthouse 12.2.3 (npm; installed into benchmarks/.lighthouse/ if missing — newer needs
Node 22) runs with its default mobile preset against /usr/bin/chromium, ``--runs`` times per
page (default 3); the table shows the median run's scores, and every run's performance score
in brackets.
Goals: bytes ≤ 1.5 × bare page; Lighthouse performance ≥ 95, accessibility 100,
best practices 100, SEO ≥ 95.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import html
import http.server
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LH_VERSION = "12.2.3"
LH_DIR = Path(__file__).resolve().parent / ".lighthouse"
LH_CLI = LH_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 95}
BYTES_GOAL = 1.5

BARE_PAGE = """# A bare page

This page is the baseline: Material for MkDocs with nothing added. It holds a few
paragraphs of plain text so that the page is not empty.

## A section

Backpropagation computes the gradient of the loss with respect to every weight by
applying the chain rule layer by layer, from the output back to the input.
"""

MATH_READY_JS = r"""
(() => {
  const ready = () => {
    const math = document.querySelectorAll('.arithmatex');
    for (const el of math) {
      const t = el.textContent;
      if (t.includes('\\(') || t.includes('\\[')) return false;
    }
    return math.length === 0 || document.querySelector('.katex') !== null;
  };
  const tick = () => {
    if (document.readyState !== 'loading' && ready()) {
      window.__mathReady = performance.now();
      window.__mathCount = document.querySelectorAll('.katex').length;
      return;
    }
    setTimeout(tick, 5);
  };
  tick();
})();
"""


# --------------------------------------------------------------------------- building


def mkdocs_build(config: Path, site: Path, cwd: Path) -> None:
    env = dict(os.environ, SOURCE_DATE_EPOCH=os.environ.get("SOURCE_DATE_EPOCH", "1700000000"))
    cmd = [str(BIN / "mkdocs"), "build", "--strict", "-q", "-f", str(config), "-d", str(site)]
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({config}):\n{proc.stdout}\n{proc.stderr}")


def build_bare(tmp: Path) -> Path:
    project = tmp / "bare"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "index.md").write_text(BARE_PAGE, encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: Bare\ntheme:\n  name: material\n  font: false\n", encoding="utf-8"
    )
    mkdocs_build(project / "mkdocs.yml", project / "site", project)
    return project / "site"


# --------------------------------------------------------------------------- serving


COMPRESSIBLE = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".ipynb", ".map"}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; text gzipped on the fly when ``compress`` is set (as GitHub Pages does)."""

    compress = True
    cache: dict[str, bytes] = {}  # noqa: RUF012

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.compress and accepts and path.is_file() and path.suffix in COMPRESSIBLE):
            super().do_GET()
            return
        key = str(path)
        if key not in self.cache:
            self.cache[key] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        data = self.cache[key]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(data)


def serve(directory: Path, compress: bool = True) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler_class = type("Handler", (QuietHandler,), {"compress": compress, "cache": {}})
    handler = functools.partial(handler_class, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def page_paths(site: Path) -> list[str]:
    paths = []
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        paths.append("" if rel == "." else rel + "/")
    return sorted(paths, key=lambda p: (p.startswith("zh/") or p == "zh/", p))


# --------------------------------------------------------------------------- static checks


LINK_RE = re.compile(r"<link\b[^>]*>", re.I)
ATTR_RE = re.compile(r'(\w[\w-]*)="([^"]*)"')


def static_checks(site: Path, path: str, english_description: str | None) -> list[str]:
    problems = []
    text = (site / path / "index.html").read_text(encoding="utf-8")
    for tag in LINK_RE.findall(text):
        attrs = dict(ATTR_RE.findall(tag))
        if attrs.get("rel") == "alternate" and "hreflang" in attrs:
            target = urlsplit(urljoin("http://x/" + path, attrs["href"])).path.lstrip("/")
            if not (site / target / "index.html").is_file() and not (site / target).is_file():
                problems.append(f"hreflang={attrs['hreflang']} → /{target} does not exist")
    match = re.search(r'<meta name="description" content="([^"]*)"', text)
    if not match:
        problems.append("no meta description")
    elif path.startswith("zh/") and english_description and match.group(1) == english_description:
        problems.append("meta description is the English site_description")
    if not re.search(r'<link rel="canonical"', text):
        problems.append("no canonical link (site_url unset)")
    return problems


def sitemap_problems(site: Path) -> list[str]:
    sitemap = site / "sitemap.xml"
    if not sitemap.is_file():
        return ["no sitemap.xml"]
    text = sitemap.read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]*)</loc>", text) + re.findall(
        r'hreflang="[^"]*" href="([^"]*)"', text
    )
    problems = []
    if any(loc.startswith("None") for loc in locs):
        problems.append("sitemap URLs start with 'None' (site_url is not set in mkdocs.yml)")
    # Without a base URL the rest cannot be checked; with one, check every path exists.
    bases = {re.match(r"https?://[^/]+(/[^ ]*?)?", loc) for loc in locs}
    for loc in locs:
        parts = urlsplit(html.unescape(loc))
        if parts.scheme:
            base_path = min((b.group(1) or "/" for b in bases if b), key=len, default="/")
            rel = parts.path[len(base_path) :] if parts.path.startswith(base_path) else parts.path
            if not (site / rel / "index.html").is_file() and not (site / rel).is_file():
                problems.append(f"sitemap link {loc} → no such page")
    return problems


# --------------------------------------------------------------------------- browser


def measure(browser: Any, url: str) -> dict[str, Any]:
    """Load ``url`` in a fresh context (cold cache) and account for every request.

    Wire bytes come from Playwright's ``request.sizes()`` (body as transferred + headers),
    which also sees the search worker's requests; decoded ("raw") bytes from CDP
    ``Network.dataReceived`` on the page target (the worker's few KB are not in it).
    """
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    decoded: dict[str, int] = {}
    cdp.on(
        "Network.dataReceived",
        lambda e: decoded.__setitem__(
            e["requestId"], decoded.get(e["requestId"], 0) + e["dataLength"]
        ),
    )
    finished: list[Any] = []
    bad: list[str] = []
    page.on("requestfinished", lambda r: finished.append(r))
    page.on("requestfailed", lambda r: bad.append(f"failed {r.url}: {r.failure}"))
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console_errors.append(str(e)))
    page.add_init_script(MATH_READY_JS)
    page.goto(url, wait_until="load")
    page.wait_for_function("window.__mathReady !== undefined", timeout=20_000)
    timing = page.evaluate(
        """() => {
          const nav = performance.getEntriesByType('navigation')[0];
          return {math: window.__mathReady, katex: window.__mathCount,
                  dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
                  arithmatex: document.querySelectorAll('.arithmatex').length};
        }"""
    )
    page.wait_for_timeout(500)  # late requests: search index, worker, lunr languages
    by_url: dict[str, int] = {}
    for request in finished:
        if request.url.startswith("data:"):
            continue
        sizes = request.sizes()
        by_url[request.url] = (
            by_url.get(request.url, 0) + sizes["responseBodySize"] + sizes["responseHeadersSize"]
        )
        response = request.response()
        if response is not None and response.status >= 400:
            bad.append(f"{response.status} {request.url}")
    context.close()
    return {
        "bytes": sum(by_url.values()),
        "body_bytes": sum(decoded.values()),
        "requests": len(by_url) + sum(1 for b in bad if b.startswith("failed")),
        "math_ms": round(timing["math"], 1),
        "dcl_ms": round(timing["dcl"], 1),
        "load_ms": round(timing["load"], 1),
        "katex": timing["katex"],
        "arithmatex": timing["arithmatex"],
        "errors": bad,
        "console_errors": console_errors,
        "largest": sorted(by_url.items(), key=lambda kv: -kv[1])[:3],
    }


# --------------------------------------------------------------------------- lighthouse


def ensure_lighthouse() -> None:
    if LH_CLI.is_file():
        return
    LH_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "npm",
            "i",
            "-E",
            f"lighthouse@{LH_VERSION}",
            "--prefix",
            str(LH_DIR),
            "--no-audit",
            "--no-fund",
        ],
        check=True,
    )


def why(audit: dict[str, Any], limit: int = 3) -> str:
    """The first few offending elements/URLs of a failed audit, for the report."""
    items = (audit.get("details") or {}).get("items") or []
    found = []
    for item in items[:limit]:
        if not isinstance(item, dict):
            continue
        node = item.get("node") if isinstance(item.get("node"), dict) else {}
        source = item.get("source") if isinstance(item.get("source"), dict) else {}
        text = next(
            (
                str(v)
                for v in (
                    node.get("selector"),
                    source.get("url"),
                    item.get("url"),
                    item.get("description"),
                    item.get("href"),
                    item.get("source"),
                )
                if v
            ),
            "",
        )
        extra = str(node.get("explanation", "")).split("\n")[-1]
        found.append(f"{text} {extra}".strip()[:160])
    found = [f for f in found if f]
    return f": {'; '.join(found)}" if found else ""


def lighthouse(url: str, out: Path) -> dict[str, Any]:
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    cmd = [
        "node",
        str(LH_CLI),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
    ]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not out.is_file():
        return {"error": (proc.stderr or proc.stdout)[-500:]}
    report = json.loads(out.read_text(encoding="utf-8"))
    problem = report.get("runtimeError") or next(
        (
            report["audits"][a].get("errorMessage") or a
            for a in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time")
            if "numericValue" not in report["audits"][a]
        ),
        None,
    )
    if problem or report["categories"]["performance"]["score"] is None:
        return {"error": str(problem or "no performance score")}
    scores = {c: round((report["categories"][c]["score"] or 0) * 100) for c in CATEGORIES}
    failing = []
    for category in CATEGORIES:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                failing.append(f"{category}: {ref['id']} ({audit['score']:.2f}){why(audit)}")
    metrics = report["audits"]
    return {
        **scores,
        "failing": failing,
        "fcp_ms": round(metrics["first-contentful-paint"]["numericValue"]),
        "lcp_ms": round(metrics["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(metrics["total-blocking-time"]["numericValue"]),
    }


def lighthouse_median(url: str, out: Path, runs: int) -> dict[str, Any]:
    """Lighthouse ``runs`` times; the run with the median performance score, plus every
    run's score. One run's performance score varies by several points (total blocking time
    is simulated from the trace of a real, noisy load); Lighthouse recommends the median."""
    results = [lighthouse(url, out.with_suffix(f".{i}.json")) for i in range(runs)]
    # A run that fails outright (e.g. Chromium reports no paint: NO_FCP) is tried again, once.
    results = [
        lighthouse(url, out.with_suffix(f".{i}.retry.json")) if "error" in r else r
        for i, r in enumerate(results)
    ]
    scored = [r for r in results if "error" not in r]
    if not scored:
        return results[0]
    scored.sort(key=lambda r: r["performance"])
    median = dict(scored[(len(scored) - 1) // 2])
    median["performance_runs"] = [r["performance"] for r in results if "error" not in r]
    return median


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one now)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    parser.add_argument(
        "--lighthouse",
        default="all",
        help="'all', 'none', N (the first N pages per edition) or a comma-separated list of "
        "page paths like '/,/zh/notation/'",
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="Lighthouse runs per page; the median counts (3)"
    )
    parser.add_argument("--only", help="only pages whose path contains this")
    parser.add_argument(
        "--reports",
        type=Path,
        default=Path(__file__).resolve().parent / "results" / "lighthouse",
        help="where to keep the Lighthouse JSON reports (default: benchmarks/results/…)",
    )
    parser.add_argument(
        "--no-gzip", action="store_true", help="serve uncompressed (default: gzip, like Pages)"
    )
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bpd-pages-") as tmp_name:
        tmp = Path(tmp_name)
        site = args.site
        if site is None:
            site = tmp / "site"
            print("building the site …", file=sys.stderr, flush=True)
            mkdocs_build(ROOT / "mkdocs.yml", site, ROOT)
        bare = build_bare(tmp)
        site_server, site_url = serve(site, not args.no_gzip)
        bare_server, bare_url = serve(bare, not args.no_gzip)
        paths = [p for p in page_paths(site) if not args.only or args.only in p]
        english = None
        match = re.search(
            r'<meta name="description" content="([^"]*)"',
            (site / "index.html").read_text(encoding="utf-8"),
        )
        if match:
            english = match.group(1)

        rows: list[dict[str, Any]] = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS[1:])
            for _ in range(2):  # warm-up: the first launch pays for disk caches
                measure(browser, bare_url)
            baseline = {"page": "(bare Material page)", **measure(browser, bare_url)}
            for path in paths:
                row = {"page": "/" + path, **measure(browser, site_url + path)}
                row["vs_bare"] = round(row["bytes"] / baseline["bytes"], 2)
                row["static"] = static_checks(site, path, english)
                rows.append(row)
                print(f"  {row['page']}: {row['bytes']:,} B", file=sys.stderr, flush=True)
            browser.close()

        if args.lighthouse != "none":
            ensure_lighthouse()
            chosen = paths
            if args.lighthouse.isdigit():
                n = int(args.lighthouse)
                chosen = [p for p in paths if not p.startswith("zh")][:n]
                chosen += [p for p in paths if p.startswith("zh")][:n]
            elif args.lighthouse != "all":
                chosen = [p.strip().lstrip("/") for p in args.lighthouse.split(",")]
            args.reports.mkdir(parents=True, exist_ok=True)
            baseline["lighthouse"] = lighthouse_median(
                bare_url, args.reports / "bare.json", args.runs
            )
            for row in rows:
                if row["page"][1:] in chosen:
                    print(f"  lighthouse {row['page']} …", file=sys.stderr, flush=True)
                    name = row["page"].strip("/").replace("/", "_") or "index"
                    row["lighthouse"] = lighthouse_median(
                        site_url + row["page"][1:], args.reports / f"{name}.json", args.runs
                    )
        site_server.shutdown()
        bare_server.shutdown()
        site_problems = sitemap_problems(site)

    report(baseline, rows, site_problems)
    if args.json:
        args.json.write_text(
            json.dumps(
                {"baseline": baseline, "pages": rows, "site_problems": site_problems},
                indent=2,
                ensure_ascii=False,
            )
            + "\n",
            encoding="utf-8",
        )
    ok = all(
        r["vs_bare"] <= BYTES_GOAL
        and not r["errors"]
        and all(r.get("lighthouse", {}).get(c, 100) >= g for c, g in GOALS.items())
        for r in rows
    )
    return 0 if ok else 1


def report(baseline: dict[str, Any], rows: list[dict[str, Any]], site_problems: list[str]) -> None:
    def lh(row: dict[str, Any]) -> str:
        result = row.get("lighthouse")
        if not result:
            return "– | – | – | –"
        if "error" in result:
            return "error | | |"
        cells = [f"{result[c]}{'' if result[c] >= GOALS[c] else ' ✗'}" for c in CATEGORIES]
        runs = result.get("performance_runs", [])
        if len(runs) > 1:
            cells[0] += f" ({'/'.join(map(str, runs))})"
        return " | ".join(cells)

    print(
        f"Chromium {CHROMIUM}; bytes = transferred (incl. headers and worker requests; gzip unless "
        "--no-gzip); raw = decoded bodies; cold cache; goal ≤ 1.5 × bare"
    )
    print()
    print(
        "| page | bytes | × bare | raw bytes | raw × bare | requests | math ready ms | .katex "
        "| perf | a11y | best pr. | SEO |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in [baseline, *rows]:
        ratio = row.get("vs_bare", 1.0)
        raw_ratio = row["body_bytes"] / baseline["body_bytes"]
        flag = "" if ratio <= BYTES_GOAL else " ✗"
        raw_flag = "" if raw_ratio <= BYTES_GOAL else " ✗"
        print(
            f"| {row['page']} | {row['bytes']:,} | {ratio:.2f}{flag} | {row['body_bytes']:,} "
            f"| {raw_ratio:.2f}{raw_flag} | {row['requests']} "
            f"| {row['math_ms']:.0f} | {row['katex']} | {lh(row)} |"
        )
    print()
    problems = []
    for row in [baseline, *rows]:
        for item in row["errors"]:
            problems.append(f"{row['page']}: HTTP {item}")
        for item in row.get("static", []):
            problems.append(f"{row['page']}: {item}")
        for item in row.get("lighthouse", {}).get("failing", []):
            problems.append(f"{row['page']}: lighthouse {item}")
        if row.get("vs_bare", 1) > BYTES_GOAL:
            heavy = ", ".join(f"{urlsplit(u).path} {int(b):,} B" for u, b in row["largest"])
            problems.append(f"{row['page']}: heaviest: {heavy}")
    problems += [f"site: {p}" for p in site_problems]
    if problems:
        print("Problems:")
        for line in problems:
            print(f"- {line}")


if __name__ == "__main__":
    raise SystemExit(main())
