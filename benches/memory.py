#!/usr/bin/env python3
"""The client's memory with the whole 10,000-message thread loaded and expanded, measured in one
process: the demo server runs as its own process (`plannr-tui demo-server`), so the client's
VmRSS/VmHWM hold the client alone (`--demo` would run the server inside the client).

The client runs in a 120x40 pty with default settings (`--config /dev/null`, thread page size 25)
and is driven the way a user would: Mail pane, the huge thread's client (`/` search by name), the
thread's newest message, `g`, then PageDown until every page of the thread has been fetched
(checked in the server's request log, `/__demo/requests`), `o` (expand all), `G`, a few PageUp.
After a short idle the client's VmRSS and VmHWM (peak) are read from /proc/PID/status; the client
is then terminated (SIGTERM to the pids this script started).

Usage: memory.py PATH/TO/plannr-tui [--log-file PATH]    prints  FIGURE plannr_thread_rss_mb ... lines
With MEMORY_DETAIL=1 it also prints, to stderr, where the resident memory is (smaps: binary, heap,
the runtime threads' arenas); MEMORY_SCREEN=1 prints the final screen.
"""
import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
import codecs
import urllib.request

IDLE = 2.0


def status(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024.0  # MB
    return 0.0


def detail(pid):
    """With MEMORY_DETAIL set: where the client's resident memory is (smaps), to stderr."""
    with open("/proc/%d/smaps_rollup" % pid) as f:
        print(f.read(), file=sys.stderr)
    maps, cur = [], None
    with open("/proc/%d/smaps" % pid) as f:
        for line in f:
            if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
                cur = [line.split(None, 5)[-1].strip() if len(line.split()) > 5 else "[anon]", 0]
                maps.append(cur)
            elif line.startswith("Rss:") and cur:
                cur[1] = int(line.split()[1])
    agg = {}
    for name, kb in maps:
        agg[name] = agg.get(name, 0) + kb
    for name, kb in sorted(agg.items(), key=lambda x: -x[1])[:15]:
        print("%8d kB  %s" % (kb, name), file=sys.stderr)
    big = sorted((kb for name, kb in maps if name == "[anon]"), reverse=True)[:12]
    print("largest anonymous mappings (kB): %s" % big, file=sys.stderr)


class Server:
    def __init__(self, exe):
        self.proc = subprocess.Popen([exe, "demo-server"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True)
        self.env = {}
        deadline = time.monotonic() + 30
        # It prints VAR=value lines (Plannr, then Outreach) and comments; read until both are there.
        while time.monotonic() < deadline and "OUTREACH_TOKEN" not in self.env:
            line = self.proc.stdout.readline()
            if not line:
                break
            m = re.match(r"([A-Z_]+)=(\S+)$", line.strip())
            if m:
                self.env[m.group(1)] = m.group(2)
        if "PLANNR_BASE_URL" not in self.env:
            self.stop()
            raise SystemExit("demo-server printed no PLANNR_BASE_URL")
        self.base = self.env["PLANNR_BASE_URL"]

    def get(self, path, api=True):
        req = urllib.request.Request(self.base + path)
        if api:
            req.add_header("Authorization", "Bearer " + self.env["PLANNR_TOKEN"])
            req.add_header("X-PLANNR-ACCOUNT-UUID", self.env["PLANNR_ACCOUNT_UUID"])
            req.add_header("Accept", "application/json")
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.load(r)

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Screen:
    """Just enough of a terminal for ratatui's output: cursor moves (CSI row;col H) and text;
    other escape sequences (colours, modes) are skipped. Rows are read as plain text."""

    def __init__(self, rows=40, cols=120):
        self.rows, self.cols = rows, cols
        self.grid = [[" "] * cols for _ in range(rows)]
        self.y = self.x = 0
        self.dec = codecs.getincrementaldecoder("utf-8")("replace")
        self.pending = ""

    def feed(self, data):
        s = self.pending + self.dec.decode(data)
        self.pending = ""
        i = 0
        while i < len(s):
            c = s[i]
            if c == "\x1b":
                m = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[@-Z\\-_])").match(s, i)
                if not m:
                    self.pending = s[i:]  # cut off mid-sequence: wait for the rest
                    return
                seq = m.group(1)
                if seq.endswith("H") and seq.startswith("["):
                    parts = (seq[1:-1].split(";") + ["", ""])[:2]
                    self.y = max(int(parts[0] or 1), 1) - 1
                    self.x = max(int(parts[1] or 1), 1) - 1
                elif seq == "[2J":
                    self.grid = [[" "] * self.cols for _ in range(self.rows)]
                i = m.end()
                continue
            if c == "\r":
                self.x = 0
            elif c == "\n":
                self.y = min(self.y + 1, self.rows - 1)
            elif c >= " " and self.y < self.rows and self.x < self.cols:
                self.grid[self.y][self.x] = c
                self.x += 1
            i += 1

    def row(self, y):
        return "".join(self.grid[y])

    def text(self):
        return "\n".join(self.row(y) for y in range(self.rows))


class Pty:
    def __init__(self, argv, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.environ.update(env)
            os.environ["TERM"] = "xterm-256color"
            os.execvp(argv[0], argv)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.screen = Screen()

    def pump(self, secs):
        """Read output for SECS seconds (a full pty would block the program)."""
        end = time.monotonic() + secs
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return
            r, _, _ = select.select([self.fd], [], [], min(left, 0.05))
            if r:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                self.screen.feed(chunk)

    def wait_for(self, text, secs=15, row=None):
        """Wait until TEXT is on the screen (on ROW if given)."""
        on = lambda: text in (self.screen.row(row) if row is not None else self.screen.text())
        end = time.monotonic() + secs
        while time.monotonic() < end:
            if on():
                return True
            self.pump(0.05)
        return on()

    def send(self, keys):
        os.write(self.fd, keys.encode() if isinstance(keys, str) else keys)

    def stop(self):
        try:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


ENTER, ESC, PGDN, PGUP = "\r", "\x1b", "\x1b[6~", "\x1b[5~"


def client_name(srv, uuid):
    page = 1
    while True:
        d = srv.get("/api/v1/client?per_page=100&page=%d" % page)
        for c in d["data"]:
            if c.get("uuid") == uuid:
                return c["name"]
        if page >= d["meta"]["last_page"]:
            raise SystemExit("client %s not found" % uuid)
        page += 1


def thread_pages(srv, uuid):
    """(per_page, ancestor pages fetched, descendant pages fetched) for the opened thread."""
    per_page, anc, desc = None, set(), set()
    for r in srv.get("/__demo/requests", api=False):
        if r["method"] != "GET" or r["path"] != "/api/v1/mailboxes/message/" + uuid:
            continue
        q = dict(r["query"])
        pp = int(q.get("per_page", 25))
        if per_page is None and pp > 1:
            per_page = pp
        if pp != per_page:
            continue
        anc.add(int(q.get("page[ancestors]", 1)))
        desc.add(int(q.get("page[descendants]", 1)))
    return per_page, anc, desc


def main():
    exe = os.path.abspath(sys.argv[1])
    log = sys.argv[sys.argv.index("--log-file") + 1] if "--log-file" in sys.argv else os.devnull
    srv = Server(exe)
    app = None
    try:
        fx = srv.get("/__demo/fixtures", api=False)
        n = fx["huge_thread_len"]
        name = client_name(srv, fx["huge_thread_client_uuid"])
        app = Pty([exe, "--config", "/dev/null", "--log-file", log], srv.env)
        if not app.wait_for("Mailboxes (", row=1):
            raise SystemExit("the client never showed its mailboxes")
        app.pump(0.3)
        app.send(ENTER)  # the first mailbox holds the huge thread
        if not app.wait_for("choose a client", row=1):
            raise SystemExit("no client list")
        app.pump(0.3)
        app.send("/" + name)
        app.pump(0.5)
        app.send(ENTER)
        app.pump(0.5)
        app.send(ENTER)
        if not app.wait_for("emails (", row=1):
            raise SystemExit("no email list for %s" % name)
        app.pump(0.5)
        # Walk down the client's emails until one opens the huge thread ("k of 10000" in the title).
        marker = " of %d" % n
        for _ in range(20):
            app.send(ENTER)
            if app.wait_for(marker, 5, row=1):
                break
            app.send(ESC)
            app.pump(0.5)
            app.send("j")
            app.pump(0.3)
        else:
            raise SystemExit("could not open the %d-message thread" % n)
        app.pump(1.0)
        opened = [r["path"].rsplit("/", 1)[1] for r in srv.get("/__demo/requests", api=False)
                  if r["path"].startswith("/api/v1/mailboxes/message/")][-1]
        per_page, _, _ = thread_pages(srv, opened)
        d = srv.get("/api/v1/mailboxes/message/%s?per_page=%d" % (opened, per_page))
        d = d.get("data", d)
        want_anc = d["ancestors"]["meta"]["last_page"] if d["ancestors"]["meta"]["total"] else 0
        want_desc = d["descendants"]["meta"]["last_page"] if d["descendants"]["meta"]["total"] else 0
        app.send("g")
        app.pump(1.0)
        t0 = time.monotonic()
        presses = 0
        while True:
            _, anc, desc = thread_pages(srv, opened)
            if set(range(1, want_anc + 1)) <= anc and set(range(1, want_desc + 1)) <= desc:
                break
            if time.monotonic() - t0 > 300:
                raise SystemExit("thread not loaded after 300 s: %d of %d ancestor pages, %d of %d descendant pages"
                                 % (len(anc), want_anc, len(desc), want_desc))
            for _ in range(10):
                app.send(PGDN)
                presses += 1
                app.pump(0.03)
            app.pump(0.2)
        app.pump(1.0)
        load_s = time.monotonic() - t0
        app.send("o")  # expand all
        app.pump(1.0)
        app.send("G")
        app.pump(0.5)
        for _ in range(5):
            app.send(PGUP)
            app.pump(0.1)
        app.pump(IDLE)
        title = app.screen.row(1)
        collapsed = sum(app.screen.row(y).startswith("▸") for y in range(2, 38))
        if "loaded " in title or collapsed:
            raise SystemExit("not all loaded and expanded: title %r, %d collapsed rows on screen\n%s"
                             % (title.strip(), collapsed, app.screen.text()))
        if os.environ.get("MEMORY_SCREEN"):
            print(app.screen.text(), file=sys.stderr)
        if os.environ.get("MEMORY_DETAIL"):
            detail(app.pid)
        rss, hwm = status(app.pid, "VmRSS"), status(app.pid, "VmHWM")
        srv_rss = status(srv.proc.pid, "VmRSS")
        load = os.getloadavg()[0]
    finally:
        if app:
            app.stop()
        srv.stop()
    print("plannr, demo server in its own process: %d-message thread, every page fetched (%d+%d pages of %d, "
          "%d PageDown presses, %.1f s), all expanded (o), 120x40 pty: client RSS %.1f MB (peak %.1f MB); "
          "demo server RSS %.1f MB; load average %.2f"
          % (n, want_anc, want_desc, per_page, presses, load_s, rss, hwm, srv_rss, load))
    print("FIGURE plannr_thread_rss_mb %.1f" % rss)
    print("FIGURE plannr_thread_peak_rss_mb %.1f" % hwm)
    print("FIGURE plannr_thread_load_avg %.2f" % load)


if __name__ == "__main__":
    main()
