"""A program in a real terminal: one detached tmux session at a fixed size.

Owns: the session on a private socket (made, read, typed into, resized, killed) and the
pids of what runs in it. Does not own: what the program is or what its screen should say.
"""
import os
import subprocess
import time


class Tmux:
    """One detached tmux session running argv as its pane's process; the socket is private
    to this object, so sessions of parallel runs never meet. Closes on `with` exit."""

    def __init__(self, argv, width=80, height=24, name="rt"):
        self.socket = f"{name}{os.getpid()}{int(time.monotonic() * 1000) % 100000}"
        self.session = "s"
        subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", "new-session", "-d", "-s", self.session,
                        "-x", str(width), "-y", str(height), *argv], check=True)
        subprocess.run(["tmux", "-L", self.socket, "set-option", "-g", "window-size", "manual"], check=False)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def pane_pid(self):
        """The pid of the pane's process (argv[0] of the constructor)."""
        return int(subprocess.run(["tmux", "-L", self.socket, "display-message", "-p", "-t", self.session,
                                   "#{pane_pid}"], capture_output=True, text=True, check=True).stdout)

    def program_pid(self):
        """The pid of the command the pane's process runs (when that is a shell)."""
        children = subprocess.run(["pgrep", "-P", str(self.pane_pid())], capture_output=True, text=True).stdout.split()
        return int(children[0])

    def close(self):
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)

    def screen(self):
        return subprocess.run(["tmux", "-L", self.socket, "capture-pane", "-p", "-t", self.session],
                              capture_output=True, text=True).stdout

    def keys(self, *keys):
        subprocess.run(["tmux", "-L", self.socket, "send-keys", "-t", self.session, *keys], check=True)

    def resize(self, width, height):
        subprocess.run(["tmux", "-L", self.socket, "resize-window", "-t", self.session, "-x", str(width),
                        "-y", str(height)], check=True)

    def wait_for(self, predicate, what, timeout=20):
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.screen()
            if predicate(text):
                return text
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}; screen was:\n{text}")

    def wait_text(self, needle, timeout=20):
        return self.wait_for(lambda t: needle in t, repr(needle), timeout)
