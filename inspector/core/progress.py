"""Helpers to split one progress callback across the steps of a long job."""

from __future__ import annotations

from inspector.core.errors import Progress


def report(progress: Progress | None, done: int, total: int) -> None:
    """Call ``progress`` if given (it may raise :class:`~inspector.core.errors.Cancelled`)."""
    if progress is not None:
        progress(done, total)


def sub_progress(progress: Progress | None, start: int, span: int, total: int = 100) -> Progress | None:
    """Map a step's own ``(done, total)`` onto ``[start, start + span]`` of the parent's ``total``.

    Parameters
    ----------
    progress
        The parent callback, or ``None``.
    start, span
        Where the step sits in the parent's range.
    total
        The parent's range.
    """
    if progress is None:
        return None
    parent = progress

    def step(done: int, step_total: int) -> None:
        frac = done / step_total if step_total else 1.0
        parent(start + int(round(span * min(max(frac, 0.0), 1.0))), total)

    return step
