#!/usr/bin/env python3
"""Write benches/RESULTS.md from the figures benches/results.sh collected.

Usage: results.py OUT_DIR [THREAD_FIGURES]  (OUT_DIR holds html.txt, mail_thread.txt, startup.txt,
render.txt and samples/; THREAD_FIGURES is an optional text file of the thread view's figures).
Every target of issue 13 gets a row: our figure, the peers' figures, pass/miss.
"""
import os
import platform
import re
import subprocess
import sys
import time

out = sys.argv[1]
thread_file = sys.argv[2] if len(sys.argv) > 2 else ""


def read(name):
    try:
        with open(os.path.join(out, name), encoding="utf-8") as f:
            return f.read()
    except OSError:
        return ""


FIG = {}
for name in ["html.txt", "startup.txt", "mail_thread.txt", "render.txt", "conversations.txt"]:
    for line in read(name).splitlines():
        m = re.match(r"FIGURE (\S+) (\S+)", line)
        if m:
            FIG[m.group(1)] = float(m.group(2))


def fig(key, fmt="{:.2f}"):
    return fmt.format(FIG[key]) if key in FIG else "not measured"


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            mem = "%.0f GB RAM" % (kb / 1e6)
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    ver = lambda cmd: (subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines() or ["not installed"])[0]
    try:
        w3m = ver(["w3m", "-version"])
    except OSError:
        w3m = "not installed"
    try:
        lynx = ver(["lynx", "-version"])
    except OSError:
        lynx = "not installed"
    try:
        neomutt = ver(["neomutt", "-v"])
    except OSError:
        neomutt = "not installed"
    return (
        "- %s, %d cores, %s, %s %s; load average %.1f when the report was written\n"
        "- %s; release build\n- peers: %s; %s; %s"
        % (cpu, os.cpu_count() or 0, mem, platform.system(), platform.release(), load, rustc, w3m, lynx, neomutt)
    )


def row(target, ours, peers, ok):
    verdict = {True: "**pass**", False: "**miss**", None: "not measured here"}[ok]
    return "| %s | %s | %s | %s |" % (target, ours, peers, verdict)


def ge(key, limit):
    return FIG[key] >= limit if key in FIG else None


def le(key, limit):
    return FIG[key] <= limit if key in FIG else None


def dur_ms(v, unit):
    return float(v) * {"ns": 1e-6, "µs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1e3}[unit]


# The thread bench's lines: "thread of N (...): open X, load all Y; frame p50 A p99 B max C;
# expand all D; rewrap on resize E; heap F MB loaded, G MB all expanded (peak H MB)".
best = -1
for line in read("mail_thread.txt").splitlines():
    m = re.match(r"thread of (\d+)", line)
    if not m or int(m.group(1)) < best:
        continue
    best = int(m.group(1))
    FIG["thread_n"] = best
    D = r"([\d.]+)(ns|µs|us|ms|s)"
    for key, pat in [("thread_frame_p99_ms", r"p99 " + D), ("thread_expand_all_ms", r"expand all " + D),
                     ("thread_resize_ms", r"rewrap on resize " + D), ("thread_open_ms", r"open " + D)]:
        mm = re.search(pat, line)
        if mm:
            FIG[key] = dur_ms(mm.group(1), mm.group(2))
    mm = re.search(r"([\d.]+) MB all expanded \(peak ([\d.]+) MB\)", line)
    if mm:
        FIG["thread_heap_mb"] = float(mm.group(1))
        FIG["thread_peak_heap_mb"] = float(mm.group(2))

thread_text = ""
if thread_file and os.path.exists(thread_file):
    with open(thread_file, encoding="utf-8") as f:
        thread_text = f.read()
    for line in thread_text.splitlines():
        m = re.match(r"FIGURE (\S+) (\S+)", line)
        if m:
            FIG.setdefault(m.group(1), float(m.group(2)))

# The thread work's own figures (issue 13 items 1-2), when given: its text format.
D = r"([\d.]+)(ns|µs|us|ms|s)"
for line in thread_text.splitlines():
    if "300 ms latency" in line:
        settled = [dur_ms(v, u) for v, u in re.findall(r"settled " + D, line)]
        reqs = [int(r) for r in re.findall(r"(\d+) request\(s\)", line)]
        if settled and reqs:
            FIG["thread_g_ms"], FIG["thread_g_requests"] = max(settled), max(reqs)
    if "every key" in line:
        p99 = [dur_ms(v, u) for v, u in re.findall(r"p99 " + D, line)]
        if p99:
            FIG["thread_key_p99_ms"] = max(p99)
        mm = re.search(r"heap ([\d.]+) MB loaded.*peak ([\d.]+) MB", line)
        if mm:
            FIG["thread_heap_mb"], FIG["thread_peak_heap_mb"] = float(mm.group(1)), float(mm.group(2))
            FIG["thread_n"] = 10000
    mm = re.search(r"ratio p50 ([\d.]+)x", line)
    if mm:
        FIG["thread_frame_ratio"] = float(mm.group(1))

rows = []
rows.append(row(
    "HTML→text ≥ 10× `w3m -dump` (per mail, whole corpus, same run)",
    "%s ms per mail (%s MB/s); **%s×** w3m, %s× lynx" % (fig("html_ours_ms_per_mail", "{:.3f}"), fig("html_ours_mb_s", "{:.1f}"),
                                                      fig("html_ratio_w3m", "{:.1f}"), fig("html_ratio_lynx", "{:.1f}")),
    "w3m %s ms, lynx %s ms per mail" % (fig("html_w3m_ms_per_mail"), fig("html_lynx_ms_per_mail")),
    ge("html_ratio_w3m", 10)))
rows.append(row(
    "HTML text out no bigger than needed (was 86.7 MB from 1.8 MB)",
    "%s MB of text from %s MB of HTML" % (fig("html_out_mb"), fig("html_in_mb")), "—",
    (FIG["html_out_mb"] <= FIG["html_in_mb"]) if "html_out_mb" in FIG and "html_in_mb" in FIG else None))
rows.append(row(
    "Re-layout on a width change (largest mail; off the UI thread, cached)",
    "%s ms new width, %s ms cached" % (fig("html_relayout_ms", "{:.2f}"), fig("html_cache_hit_ms", "{:.3f}")), "—",
    le("html_relayout_ms", 8)))
rows.append(row(
    "`g`/`G` on a 10,000-message thread at 300 ms latency: ≤ 2 requests, < 1 s",
    "%s request(s), settled in %s ms" % (fig("thread_g_requests", "{:.0f}"), fig("thread_g_ms", "{:.0f}")), "—",
    (FIG["thread_g_requests"] <= 2 and FIG["thread_g_ms"] < 1000) if "thread_g_requests" in FIG and "thread_g_ms" in FIG else None))
if "thread_key_p99_ms" in FIG:
    rows.append(row(
        "Every key and resize p99 < 8 ms, 10,000 messages all expanded",
        "worst p99 %s ms (keys and resize; thread figures below)" % fig("thread_key_p99_ms"), "—",
        le("thread_key_p99_ms", 8)))
else:
    worst = max(FIG.get("thread_frame_p99_ms", 0), FIG.get("thread_expand_all_ms", 0), FIG.get("thread_resize_ms", 0))
    rows.append(row(
        "Every key and resize p99 < 8 ms, 10,000 messages all expanded",
        "`mail_thread` bench, thread of %s: frame p99 %s ms while scrolling, expand all %s ms, resize %s ms"
        % (fig("thread_n", "{:.0f}"), fig("thread_frame_p99_ms"), fig("thread_expand_all_ms"), fig("thread_resize_ms")),
        "—", (worst < 8) if "thread_frame_p99_ms" in FIG else None))
rows.append(row(
    "Frame cost 10,000 vs 10 messages ≤ 1.2×",
    fig("thread_frame_ratio", "{:.2f}×"), "—", le("thread_frame_ratio", 1.2)))
rows.append(row(
    "Key→frame p99 under a slow API (300 ms)",
    ("%s ms" % fig("thread_slow_api_p99_ms")) if "thread_slow_api_p99_ms" in FIG else "no bench measures it yet",
    "—", le("thread_slow_api_p99_ms", 8) if "thread_slow_api_p99_ms" in FIG else None))
rows.append(row(
    "Start-up (first screen, 120×40 pty)",
    "%s ms (`--demo`)" % fig("plannr_startup_ms", "{:.0f}"),
    "neomutt on a 10,000-message mbox: %s ms" % fig("neomutt_startup_ms", "{:.0f}"),
    (FIG["plannr_startup_ms"] < FIG.get("neomutt_startup_ms", 1e9)) if "plannr_startup_ms" in FIG else None))
rows.append(row(
    "Idle CPU",
    "%s %%" % fig("plannr_idle_cpu_pct"), "neomutt %s %%" % fig("neomutt_idle_cpu_pct"),
    le("plannr_idle_cpu_pct", 0.5)))
rows.append(row(
    "Peak RSS",
    "%s MB after start-up; heap %s MB with a %s-message thread loaded (peak %s MB)"
    % (fig("plannr_peak_rss_mb", "{:.1f}"), fig("thread_heap_mb", "{:.1f}"), fig("thread_n", "{:,.0f}"),
       fig("thread_peak_heap_mb", "{:.1f}")),
    "neomutt with 10,000 messages: %s MB" % fig("neomutt_peak_rss_mb", "{:.1f}"),
    (max(FIG["plannr_peak_rss_mb"], FIG.get("thread_peak_heap_mb", 0)) <= FIG.get("neomutt_peak_rss_mb", 1e9))
    if "plannr_peak_rss_mb" in FIG else None))

html_txt = "\n".join(l for l in read("html.txt").splitlines() if not l.startswith("FIGURE"))
startup_txt = "\n".join(l for l in read("startup.txt").splitlines() if not l.startswith("FIGURE"))
thread_bench = read("mail_thread.txt").strip()


def sample(kind):
    d = os.path.join(out, "samples")
    name = read(os.path.join("samples", kind + ".name")).strip()
    parts = ["### %s (`benches/corpus/%s`, 72 columns)\n" % (kind.capitalize(), name)]
    for who, f in [("plannr-tui", "ours"), ("w3m -dump", "w3m"), ("lynx -dump", "lynx")]:
        text = read(os.path.join("samples", "%s.%s.txt" % (kind, f)))
        lines = text.splitlines()
        shown = "\n".join(lines[:70])
        more = "\n… (%d more lines)" % (len(lines) - 70) if len(lines) > 70 else ""
        parts.append("<details%s><summary>%s (%d lines)</summary>\n\n```text\n%s%s\n```\n</details>\n"
                     % (" open" if f == "ours" else "", who, len(lines), shown.replace("```", "'''"), more))
    return "\n".join(parts)


print("""# Benchmark results (issue 13)

Generated by `benches/results.sh` on %s — do not edit by hand. Figures are from one run on the
machine below, with the peers measured in the same run; the machine is shared (other builds may
have been running), so absolute times vary between runs and the ratios are what to compare.

%s

## Targets

| target | plannr-tui | peers | verdict |
|---|---|---|---|
%s

## HTML→text (`cargo bench --bench html`)

Corpus: `benches/corpus/`, made by `benches/gen_corpus.py` (newsletters with layout tables, Gmail
and Outlook reply chains, long letters, receipts). Each peer is run once per mail, as a mail reader
would call it (`w3m -dump -T text/html -cols 100`, `lynx -dump -force_html -width=100`); ours is
`render::html::html_to_body(html, 100)` over the same files.

```text
%s
```

## Start-up, idle CPU, RSS (`benches/startup.py`, 120×40 pty)

```text
%s
```

## Thread view (`cargo bench --bench mail_thread`)

```text
%s
```
%s
## Three mails side by side

%s
%s
%s
""" % (
    time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    machine(),
    "\n".join(rows),
    html_txt.strip() or "not run",
    startup_txt.strip() or "not run",
    thread_bench or "not run",
    ("\n## Thread view figures from the thread work (issue 13 items 1–2)\n\n```text\n%s\n```\n" % thread_text.strip()) if thread_text else "",
    sample("newsletter"), sample("gmail"), sample("receipt")))
