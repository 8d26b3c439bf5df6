"""Pagefind services started by a small helper process, not by the build itself.

Starting a process from Python (fork or vfork, then exec) gives the child the build's page tables
until it has become Pagefind. For that moment its RSS is the build's: 300–400 MB at 5 000 entries.
The build starts one service for every `PART_PAGES` pages (search/stream.py), each while Python
is at its largest, and a sampler that catches such a moment counts the build twice. Measured:
14 of 30 starts from a 300 MB process were seen at over 200 MB.

So the index starts one helper (a bare Python, ≈ 10 MB) when it starts. The helper starts every
service and hands the build the ends of the service's pipes over a Unix socket (SCM_RIGHTS). To
the build, a service is then a process like any other: `_Child` has what search/stream.py uses of
`subprocess.Popen`. When the build ends, its end of the socket closes and the helper exits. A
service whose build has gone sees its input close and ends too.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

# The helper: one byte in → one service started → its pid and pipe ends out. It waits for each
# service as soon as it ends, so a finished service's pid is gone (not a zombie: `_Child.poll`),
# and the service's CPU time and peak memory count in the helper's, hence in the build's
# (getrusage, wait4, `time`: bench/run.py). Leaving it to the kernel (SIGCHLD ignored) lost them:
# the benchmark's CPU time left out Pagefind's (docs/performance.md, round nine). The pipes and
# the socket are close-on-exec: a service gets only its own stdin and stdout.
_HELPER = r"""
import os, signal, socket, sys
def reap(*_):
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                return
        except ChildProcessError:
            return
signal.signal(signal.SIGCHLD, reap)
os.set_inheritable(int(sys.argv[1]), False)
sock = socket.socket(fileno=int(sys.argv[1]))
binary = sys.argv[2]
while sock.recv(1):
    in_r, in_w = os.pipe()
    out_r, out_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.dup2(in_r, 0)
            os.dup2(out_w, 1)
            os.dup2(out_w, 2)
            os.execv(binary, [binary, "--service"])
        finally:
            os._exit(127)
    os.close(in_r)
    os.close(out_w)
    socket.send_fds(sock, [str(pid).encode()], [in_w, out_r])
    os.close(in_w)
    os.close(out_r)
"""


class _Child:
    """A service started by the helper: stdin, stdout, poll, terminate, kill, wait."""

    def __init__(self, pid: int, stdin: int, stdout: int) -> None:
        self.pid = pid
        self.stdin = os.fdopen(stdin, "wb")
        self.stdout = os.fdopen(stdout, "rb")
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0  # (its exit status went to the helper)
            except PermissionError:
                pass
        return self.returncode

    def _signal(self, sig: int) -> None:
        if self.poll() is None:
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                pass

    def terminate(self) -> None:
        self._signal(signal.SIGTERM)

    def kill(self) -> None:
        self._signal(signal.SIGKILL)

    def wait(self, timeout: float | None = None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
        return self.returncode


class Launcher:
    """Starts `binary --service` processes through the helper (see the module docstring)."""

    def __init__(self, binary: Path, env: dict[str, str], background: bool) -> None:
        mine, theirs = socket.socketpair()
        try:
            self._helper = subprocess.Popen(
                [sys.executable, "-I", "-c", _HELPER, str(theirs.fileno()), str(binary)],
                pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL,
                preexec_fn=(lambda: os.nice(19)) if background else None)
        except BaseException:
            mine.close()
            raise
        finally:
            theirs.close()
        self._socket = mine
        self._lock = threading.Lock()

    def start(self) -> _Child:
        """A new service; OSError if the helper cannot start one."""
        with self._lock:
            self._socket.sendall(b"+")
            message, fds, _, _ = socket.recv_fds(self._socket, 64, 2)
        if len(fds) != 2 or not message:
            for fd in fds:
                os.close(fd)
            raise OSError("hjelpeprosessen startet ikke Pagefind")
        return _Child(int(message), fds[0], fds[1])

    def close(self) -> None:
        self._socket.close()  # the helper reads the end of its input and exits
        try:
            self._helper.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._helper.kill()
            self._helper.wait()
