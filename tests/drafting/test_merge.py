import pytest

from drafting.merge import MergeConflict, merge3

BASE = "States should not knowingly allow their territory to be used for wrongful acts."


def test_edits_to_different_words_are_both_applied():
    ours = "States should not knowingly allow their territory to be used for internationally wrongful acts."
    theirs = "States must not knowingly allow their territory to be used for wrongful acts."
    assert merge3(BASE, ours, theirs) == (
        "States must not knowingly allow their territory to be used for internationally wrongful acts."
    )


def test_edits_to_the_same_words_conflict():
    ours = "States shall not knowingly allow their territory to be used for wrongful acts."
    theirs = "States must not knowingly allow their territory to be used for wrongful acts."
    with pytest.raises(MergeConflict):
        merge3(BASE, ours, theirs)


def test_an_insertion_inside_the_other_change_conflicts():
    ours = "States should not allow their territory to be used for wrongful acts."  # drops "knowingly"
    theirs = "States should not knowingly and wilfully allow their territory to be used for wrongful acts."
    with pytest.raises(MergeConflict):
        merge3(BASE, ours, theirs)


def test_unchanged_sides_and_identical_edits():
    theirs = "States must not knowingly allow their territory to be used for wrongful acts."
    assert merge3(BASE, BASE, theirs) == theirs
    assert merge3(BASE, theirs, BASE) == theirs
    assert merge3(BASE, theirs, theirs) == theirs


def test_deletion_merges_with_a_distant_edit():
    ours = "In all cases, " + BASE
    theirs = "States should not knowingly allow their territory to be used."
    assert merge3(BASE, ours, theirs) == "In all cases, States should not knowingly allow their territory to be used."
