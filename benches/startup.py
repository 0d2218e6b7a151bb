#!/usr/bin/env python3
"""Start-up time, idle CPU and RSS of a terminal program, measured in a pseudo-terminal (120x40).

Start-up: from spawn to the first screen that shows MARKER. Then the program is left alone for
IDLE seconds: idle CPU = CPU time used / wall time. RSS: VmRSS after the idle period, and VmHWM
(peak). The program is then terminated (SIGTERM to the pid this script started).

Usage: startup.py NAME MARKER -- COMMAND...       prints  FIGURE NAME_startup_ms ... lines
       startup.py --mbox PATH N                   writes an mbox of N messages (for neomutt)
"""
import os
import pty
import select
import signal
import struct
import sys
import time
import fcntl
import termios

IDLE = 3.0
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / TICK


def status(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024.0  # MB
    return 0.0


def measure(name, marker, argv):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execvp(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    t0 = time.monotonic()
    buf = b""
    started = None
    deadline = t0 + 30
    while time.monotonic() < deadline:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
            if marker.encode() in buf:
                started = time.monotonic() - t0
                break
    if started is None:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        print("%s: never showed %r" % (name, marker))
        return
    # Drain output while idle (a full pty would block the program).
    c0, w0 = cpu_seconds(pid), time.monotonic()
    end = w0 + IDLE
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                os.read(fd, 65536)
            except OSError:
                break
    idle = (cpu_seconds(pid) - c0) / (time.monotonic() - w0) * 100
    rss, hwm = status(pid, "VmRSS"), status(pid, "VmHWM")
    os.kill(pid, signal.SIGTERM)
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    print("%s: start-up %.0f ms, idle CPU %.2f %%, RSS %.1f MB (peak %.1f MB)" % (name, started * 1e3, idle, rss, hwm))
    print("FIGURE %s_startup_ms %.1f" % (name, started * 1e3))
    print("FIGURE %s_idle_cpu_pct %.2f" % (name, idle))
    print("FIGURE %s_rss_mb %.1f" % (name, rss))
    print("FIGURE %s_peak_rss_mb %.1f" % (name, hwm))


def mbox(path, n):
    with open(path, "w") as f:
        for i in range(n):
            f.write("From sender%d@example.com Mon Nov 30 12:00:00 2026\n" % (i % 50))
            f.write("From: Sender %d <sender%d@example.com>\nTo: you@example.com\n" % (i % 50, i % 50))
            f.write("Subject: Re: thread message %d\nDate: Mon, 30 Nov 2026 12:%02d:00 +0000\n" % (i, i % 60))
            f.write("Message-ID: <m%d@example.com>\n" % i)
            if i:
                f.write("In-Reply-To: <m%d@example.com>\nReferences: <m0@example.com>\n" % (i - 1))
            f.write("\nBody of message %d. A line or two of ordinary text, as a reply would have.\n"
                    "> quoted line from the message before\n\n" % i)


if __name__ == "__main__":
    if sys.argv[1] == "--mbox":
        mbox(sys.argv[2], int(sys.argv[3]))
    else:
        name, marker = sys.argv[1], sys.argv[2]
        argv = sys.argv[sys.argv.index("--") + 1:]
        measure(name, marker, argv)
