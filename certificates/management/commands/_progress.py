"""A one-line progress bar for the bulk commands (no extra dependency)."""


def bar(stdout, done: int, total: int, width: int = 30) -> None:
    filled = width if not total else int(width * done / total)
    stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
    stdout.flush()
