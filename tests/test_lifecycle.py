"""Status lifecycles: every listed transition is allowed, everything else is a named error."""

from __future__ import annotations

import itertools

import pytest

from bot.records.lifecycle import CANDIDATE, DWELLING, IllegalTransitionError

# The lifecycles, written out: a change to bot/records/lifecycle.py must change this too.
CANDIDATE_PATHS = {
    "aangemeld": {"voorgedragen", "gepauzeerd", "teruggetrokken"},
    "voorgedragen": {"gematcht", "aangemeld", "gepauzeerd", "teruggetrokken"},
    "gematcht": {"verhuisd", "aangemeld", "teruggetrokken"},
    "verhuisd": {"nazorg_afgerond", "teruggevallen", "doorgestroomd"},
    "gepauzeerd": {"aangemeld", "teruggetrokken"},
    "teruggevallen": {"aangemeld", "teruggetrokken"},
    "nazorg_afgerond": set(),
    "teruggetrokken": set(),
    "doorgestroomd": set(),
}
DWELLING_PATHS = {
    "beschikbaar": {"voorgedragen", "ingetrokken"},
    "voorgedragen": {"toegewezen", "beschikbaar", "ingetrokken"},
    "toegewezen": {"verhuurd", "beschikbaar", "ingetrokken"},
    "verhuurd": set(),
    "ingetrokken": set(),
}


@pytest.mark.parametrize(
    ("lifecycle", "paths"),
    [(CANDIDATE, CANDIDATE_PATHS), (DWELLING, DWELLING_PATHS)],
    ids=["kandidaat", "woning"],
)
def test_the_lifecycles_are_exactly_these(lifecycle, paths):
    assert set(lifecycle.labels) == set(paths)
    for current, new in itertools.product(paths, repeat=2):
        if new in paths[current]:
            lifecycle.check(current, new)
        else:
            with pytest.raises(IllegalTransitionError, match="kan niet naar"):
                lifecycle.check(current, new)


@pytest.mark.parametrize("lifecycle", [CANDIDATE, DWELLING], ids=["kandidaat", "woning"])
def test_every_pair_of_statuses_is_allowed_exactly_when_listed(lifecycle):
    for current, new in itertools.product(lifecycle.labels, repeat=2):
        if new in lifecycle.transitions[current]:
            lifecycle.check(current, new)
        else:
            with pytest.raises(IllegalTransitionError, match="kan niet naar"):
                lifecycle.check(current, new)


def test_the_main_paths_exist():
    path = ["aangemeld", "voorgedragen", "gematcht", "verhuisd", "nazorg_afgerond"]
    for current, new in itertools.pairwise(path):
        CANDIDATE.check(current, new)
    for current, new in itertools.pairwise(
        ["beschikbaar", "voorgedragen", "toegewezen", "verhuurd"]
    ):
        DWELLING.check(current, new)


def test_end_states_are_final_and_unknown_states_go_nowhere():
    assert CANDIDATE.next_statuses("nazorg_afgerond") == []
    assert DWELLING.next_statuses("verhuurd") == []
    with pytest.raises(IllegalTransitionError):
        CANDIDATE.check("onzin", "aangemeld")
