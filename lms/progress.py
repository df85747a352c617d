"""A seam for "this person's learning progress changed".

Apps that record progress (a passed quiz, an accepted task) call `progress_changed(user)`; apps that
derive something from progress (course completion, certificates) register a listener at start-up in
their AppConfig.ready(). It is a plain function registry rather than a signal so the flow stays
explicit and can be read in one place.
"""

from __future__ import annotations

from collections.abc import Callable

Listener = Callable[..., None]
_listeners: list[Listener] = []


def register(listener: Listener) -> Listener:
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def progress_changed(user, *, source: object = None) -> None:
    """Tell every registered listener that `user` made progress; `source` is the object that changed."""
    for listener in list(_listeners):
        listener(user, source=source)
