#!/usr/bin/env python3
"""Key press to changed screen, for promdeck's TUI running in tmux.

usage: keylat.py SOCKET PRESSES   (the session is "s", on the built-in
                                   overview, as tests/bench/scale.sh starts it)

For each kind of input it sends PRESSES keys (or resizes), one at a time,
and polls capture-pane until the screen shows that input's own effect, so
that a panel refresh landing meanwhile does not count as the answer:

  view switch   Tab and Shift-Tab: the highlighted tab (line 0 with its
                attributes, digits left out as the counters there move)
  resize        200x50 and 180x45 in turn: line 0 redrawn to the new width
  focus         j and k on the overview: which panel has the heavy border
  scroll        PgDn and PgUp on the targets view: the selection and the
                rows in sight (times and counts left out)
  explore       typing an expression, then erasing it: the prompt line

It prints p50, p90, p99 and the slowest per kind, and what one
capture-pane takes: a poll's cost, which every figure includes. A press that shows no effect within 5 s
counts as 5 s. Nothing here passes or fails.
"""
import re
import subprocess
import sys
import time

SOCK, PRESSES = sys.argv[1], int(sys.argv[2])
TM = ["tmux", "-L", SOCK, "-f", "/dev/null"]
TIMEOUT = 5.0
HEAVY = set("┏┓┗┛━┃")
EXPR = "sum(rate(up[1m]))"


def tmux(*args):
    return subprocess.run(TM + list(args), capture_output=True,
                          text=True).stdout


def screen(escapes=False):
    return tmux("capture-pane", "-p", "-t", "s",
                *(["-e"] if escapes else [])).split("\n")


def tabs():
    """Line 0 with attributes: the highlighted tab, counters left out."""
    return re.sub(r"[0-9]", "", screen(True)[0])


def heavy():
    """Where the focused panel's heavy border is."""
    return frozenset((y, x) for y, line in enumerate(screen())
                     for x, ch in enumerate(line) if ch in HEAVY)


def targets_rows():
    """The targets in sight and the selection highlight; the figures a
    refresh changes (times, durations, counts) left out."""
    lines = screen(True)[1:]
    text = "\n".join(lines)
    return (tuple(re.findall(r"127\.0\.0\.1:[0-9]+", text)),
            tuple(re.sub(r"[0-9.]+ ?(µs|ms|s|m|h)?", "", line)
                  for line in lines))


def prompt():
    for line in screen():
        if line.startswith(">"):
            return line[1:].strip()
    return None


def header_width():
    return len(screen()[0].rstrip())


def view_key(name):
    """The digit that shows a view, from the tabs on line 0."""
    m = re.search(r"([1-9]) " + name, screen()[0])
    return m.group(1) if m else None


def timed(send, done):
    """Seconds from send() until done() holds."""
    t0 = time.monotonic()
    send()
    while not done() and time.monotonic() - t0 < TIMEOUT:
        time.sleep(0.002)
    ms = (time.monotonic() - t0) * 1000
    time.sleep(0.3)
    return ms


def changed(probe):
    """A press whose effect is that probe() differs from before it."""
    def run(keys):
        before = probe()
        return timed(lambda: tmux("send-keys", "-t", "s", *keys),
                     lambda: probe() != before)
    return run


def switch_views():
    press = changed(tabs)
    return [press([("Tab", "BTab")[i % 2]]) for i in range(PRESSES)]


def resize():
    lat = []
    for i in range(PRESSES):
        w, h = ((180, 45), (200, 50))[i % 2]
        # The last token of line 0 is right-aligned: once it ends at the
        # new width, the screen was drawn for it (tmux alone cuts or
        # pads the old lines).
        token = screen()[0].split()[-1]

        def drawn(w=w, token=token):
            line = screen()[0].rstrip()
            return line.endswith(token) and w - 3 <= len(line) <= w
        lat.append(timed(lambda w=w, h=h: tmux("resize-window", "-t", "s",
                                               "-x", str(w), "-y", str(h)),
                         drawn))
    tmux("resize-window", "-t", "s", "-x", "200", "-y", "50")
    time.sleep(1)
    return lat


def focus():
    press = changed(heavy)
    keys = ["j", "j", "k", "k"]
    return [press([keys[i % 4]]) for i in range(PRESSES)]


def scroll():
    key = view_key("targets")
    if key is None:
        return []
    tmux("send-keys", "-t", "s", key)
    time.sleep(1)
    press = changed(targets_rows)
    keys = ["NPage", "NPage", "PPage", "PPage"]
    lat = [press([keys[i % 4]]) for i in range(PRESSES)]
    tmux("send-keys", "-t", "s", "1")
    time.sleep(1)
    return lat


def explore():
    key = view_key("explore")
    if key is None:
        return []
    tmux("send-keys", "-t", "s", key)
    time.sleep(1)
    lat, typed = [], ""
    for i in range(PRESSES):
        if i // len(EXPR) % 2 == 0:
            want = typed + EXPR[len(typed)]
            keys = ["-l", EXPR[len(typed)]]
        else:
            want = typed[:-1]
            keys = ["BSpace"]
        lat.append(timed(lambda keys=keys: tmux("send-keys", "-t", "s",
                                                *keys),
                         lambda want=want: prompt() == want))
        typed = want
    tmux("send-keys", "-t", "s", "1")
    time.sleep(1)
    return lat


def report(what, lat):
    if not lat:
        print("  %-32s not measured (no such view)" % what)
        return
    lat = sorted(lat)

    def pct(p):
        return lat[min(len(lat) - 1, int(len(lat) * p / 100))]
    print("  %-32s p50 %4.0f  p90 %4.0f  p99 %4.0f  max %4.0f ms"
          % (what, pct(50), pct(90), pct(99), lat[-1]))


def capture_ms():
    """What one capture-pane costs: the floor under every figure."""
    lat = []
    for _ in range(20):
        t0 = time.monotonic()
        screen()
        lat.append((time.monotonic() - t0) * 1000)
    return sorted(lat)[10]


print("key press -> screen while the panels refresh (%d presses each;"
      " one capture-pane takes %.0f ms, the floor of each figure):"
      % (PRESSES, capture_ms()))
report("view switch (Tab, Shift-Tab)", switch_views())
report("focus on the overview (j, k)", focus())
report("resize (180x45, 200x50)", resize())
report("scroll the targets (PgDn, PgUp)", scroll())
report("explore prompt (typing, BSpace)", explore())
