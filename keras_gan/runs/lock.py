"""One writer per run directory: an advisory lock held for a training's life."""

import datetime
import fcntl
import os
import socket
import sys

from keras_gan.runs.directory import RunError

LOCK_FILE = ".lock"


class RunLock:
    """An exclusive `fcntl.flock` on `RUN_DIR/.lock`, held by the process that trains the run.

    A second `keras-gan train` on the same directory is refused at once, naming the process that
    holds it. The lock file says who holds it (pid, host, start time, command); the system
    releases the lock when the holder exits, however it exits, so a stale file never blocks.
    Readers (`sample`, `evaluate`, `export`) take no lock: checkpoints and `model.keras` are
    replaced atomically.

    Args:
        path: the run directory (created if missing; removed again by `release` if the run left
            nothing else in it).

    Example:

    >>> with RunLock("runs/gan-ring8"):
    ...     pass  # train
    """

    def __init__(self, path):
        self.path = os.fspath(path)
        self.file = os.path.join(self.path, LOCK_FILE)
        self._created = not os.path.exists(self.path)
        if os.path.exists(self.path) and not os.path.isdir(self.path):
            raise RunError(f"{self.path} is a file, not a run directory. Choose another --out.")
        try:
            os.makedirs(self.path, exist_ok=True)
            self._fd = os.open(self.file, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise RunError(
                f"Run directory {self.path} is not writable ({e.strerror}). Choose another --out."
            ) from e
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(self._fd, 1000, 0).decode(errors="replace").strip()
            os.close(self._fd)
            raise RunError(
                f"{self.path} is being trained by another process ({holder or 'unknown'}). Wait "
                "for it to finish or stop it, or choose another --out."
            ) from None
        started = datetime.datetime.now().isoformat(timespec="seconds")
        who = f"pid {os.getpid()} on {socket.gethostname()} since {started}: {' '.join(sys.argv)}"
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, who.encode(), 0)

    def release(self):
        """Releases the lock; removes the directory again if this lock created it and nothing
        else was written (a run refused before it started)."""
        if self._fd is None:
            return
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None
        if self._created and os.listdir(self.path) == [LOCK_FILE]:
            os.remove(self.file)
            os.rmdir(self.path)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()
