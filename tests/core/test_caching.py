"""`drawn`: a drawing is kept until its stamp changes, in the shared cache and as an object
in this process (a repeat load then unpickles nothing)."""

from unittest import mock

from django.core.cache import cache

from apps.core import caching


def test_a_drawing_is_drawn_again_only_when_its_stamp_changes():
    draws = []

    def draw():
        draws.append(1)
        return {"rows": len(draws)}

    first = caching.drawn("k", "s1", draw, seconds=60)
    again = caching.drawn("k", "s1", draw, seconds=60)
    changed = caching.drawn("k", "s2", draw, seconds=60)

    assert (first, again, changed) == ({"rows": 1}, {"rows": 1}, {"rows": 2})
    assert cache.get("k") == ("s2", {"rows": 2})


def test_a_repeat_in_this_process_does_not_read_the_shared_cache():
    caching.drawn("k", "s1", lambda: ["drawn"], seconds=60)

    with mock.patch.object(caching.cache, "get") as get:
        assert caching.drawn("k", "s1", lambda: ["again"], seconds=60) == ["drawn"]
    get.assert_not_called()


def test_another_process_finds_the_drawing_in_the_shared_cache():
    caching.drawn("k", "s1", lambda: ["drawn"], seconds=60)
    caching.drawn_forget()  # as a second worker would start

    assert caching.drawn("k", "s1", lambda: ["again"], seconds=60) == ["drawn"]


def test_this_process_keeps_a_bounded_number_of_drawings():
    for i in range(caching.LOCAL_ENTRIES + 1):
        caching.drawn(f"k{i}", "s", lambda: "x", seconds=60)

    with mock.patch.object(caching.cache, "get", return_value=("s", "x")) as get:
        caching.drawn(f"k{caching.LOCAL_ENTRIES}", "s", lambda: "x", seconds=60)  # the newest
        get.assert_not_called()
        caching.drawn("k0", "s", lambda: "x", seconds=60)  # the oldest, let go
        get.assert_called_once()
