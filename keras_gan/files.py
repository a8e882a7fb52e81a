"""Durable file writes: written aside, fsynced, renamed into place, the folder fsynced."""

import os


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


def write_text_atomic(path, text):
    """Writes `text` to `path` so that a reader sees the old file or the new one, never half of
    one."""
    folder = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(folder, f".{os.path.basename(path)}.tmp-{os.getpid()}")
    try:
        with open(tmp, "w") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    fsync_dir(folder)
    return path


def write_json(path, value, indent=1):
    """Writes `value` as JSON to `path` atomically (`write_text_atomic`), making its folder
    first."""
    import json

    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    write_text_atomic(path, json.dumps(value, indent=indent))
