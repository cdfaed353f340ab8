"""The watcher's stability tracker, driven by a fake clock and a fake file system.

A case is taken only when no event touched it for `delay` seconds and every
file it saw kept its size and mtime; a file still being copied holds its case back.
"""
from __future__ import annotations

from kezdocs.service.stability import StabilityTracker


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def tracker(files: dict, delay: float = 2.0) -> tuple[StabilityTracker, Clock]:
    clock = Clock()
    return StabilityTracker(lambda: delay, clock, lambda folder, rel: files.get((folder, rel))), clock


def test_a_case_is_taken_only_after_the_delay():
    files = {("A", "скан.pdf"): (100, 1)}
    t, clock = tracker(files)
    t.touch("A", "скан.pdf", (100, 1))
    clock.now += 1.9
    assert t.take() == {}
    clock.now += 0.1
    assert t.take() == {"A": ["скан.pdf"]}
    assert t.take() == {} and len(t) == 0  # taken once, then forgotten


def test_every_event_restarts_the_delay():
    files = {("A", "a.pdf"): (1, 1), ("A", "b.pdf"): (1, 1)}
    t, clock = tracker(files)
    t.touch("A", "a.pdf", (1, 1))
    clock.now += 1.5
    t.touch("A", "b.pdf", (1, 1))
    clock.now += 1.5
    assert t.take() == {}
    clock.now += 0.5
    assert t.take() == {"A": ["a.pdf", "b.pdf"]}


def test_a_file_still_growing_holds_its_case_back_until_it_stops():
    files = {("A", "скан.pdf"): (100, 1)}
    t, clock = tracker(files)
    t.touch("A", "скан.pdf", (100, 1))
    clock.now += 2
    files[("A", "скан.pdf")] = (5000, 2)  # the copy went on without a new event (polling observer)
    assert t.take() == {}
    clock.now += 1.9
    assert t.take() == {}  # another full delay from the look that saw it change
    clock.now += 0.1
    assert t.take() == {"A": ["скан.pdf"]}


def test_a_vanished_temporary_file_does_not_hold_the_case():
    t, clock = tracker({})
    t.touch("A", "~$договор.docx", (10, 1))
    clock.now += 2
    assert t.take() == {"A": ["~$договор.docx"]}


def test_cases_settle_independently_and_the_delay_is_read_each_time():
    files = {("A", "x.pdf"): (1, 1), ("B", "y.pdf"): (1, 1)}
    delay = [2.0]
    clock = Clock()
    t = StabilityTracker(lambda: delay[0], clock, lambda folder, rel: files.get((folder, rel)))
    t.touch("A", "x.pdf", (1, 1))
    clock.now += 1
    t.touch("B", "y.pdf", (1, 1))
    clock.now += 1
    assert t.take() == {"A": ["x.pdf"]}
    delay[0] = 5.0  # settings reloaded with a longer delay
    clock.now += 1
    assert t.take() == {}
    clock.now += 3
    assert t.take() == {"B": ["y.pdf"]}


def test_an_event_without_a_file_still_makes_the_case_pending():
    t, clock = tracker({})
    t.touch("A")
    clock.now += 2
    assert t.take() == {"A": []}
