"""Durable file writes: written aside, fsynced, renamed into place, the folder fsynced."""

import errno
import os
import shutil


def check_free_space(folder, needed, what):
    """Refuses a write of about `needed` bytes into `folder` when the disk holds less, before
    anything is written (h5py can crash the process on a full disk instead of raising).

    Raises:
        OSError: `ENOSPC`, naming `what` and the folder.
    """
    free = shutil.disk_usage(folder).free
    if free < needed:
        raise OSError(
            errno.ENOSPC,
            f"No space left on device: {what} needs about {needed / 2**20:.1f} MiB, "
            f"{free / 2**20:.1f} MiB are free",
            folder,
        )


def fsync_dir(path):
    """Makes a rename or removal in folder `path` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(path):
    """fsyncs every file and folder under `path`, so a crash after a rename leaves no empty file."""
    for root, _, names in os.walk(path):
        for name in names:
            with open(os.path.join(root, name), "rb") as f:
                os.fsync(f.fileno())
        fsync_dir(root)


def write_bytes_atomic(path, data):
    """Writes `data` (bytes) to `path` so that a reader sees the old file or the new one, never
    half of one; a failed write (e.g. a full disk) leaves no temporary file."""
    folder = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(folder, f".{os.path.basename(path)}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:  # name the file asked for, not the temporary one beside it
        raise OSError(e.errno, e.strerror, path) from e
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    fsync_dir(folder)
    return path


def write_text_atomic(path, text):
    """Writes `text` to `path` so that a reader sees the old file or the new one, never half of
    one."""
    return write_bytes_atomic(path, text.encode())


def write_json(path, value, indent=1):
    """Writes `value` as JSON to `path` atomically (`write_text_atomic`), making its folder
    first."""
    import json

    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    write_text_atomic(path, json.dumps(value, indent=indent))
