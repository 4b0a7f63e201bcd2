import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.diff import tokenize
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


def test_two_edits_of_one_phrase_conflict_instead_of_making_words_nobody_proposed():
    base = "Negotiate in good faith."
    utmost, bad = "Negotiate in utmost good faith.", "Negotiate in bad faith."
    for ours, theirs in ((utmost, bad), (bad, utmost)):
        with pytest.raises(MergeConflict):
            merge3(base, ours, theirs)
    # Adjacent words, only a space or a comma between them, are one phrase too.
    with pytest.raises(MergeConflict):
        merge3("in good faith", "in great faith", "in good will")
    with pytest.raises(MergeConflict):
        merge3("peace, security", "peace and security", "peace, stability")
    # One unchanged word between them keeps the edits apart.
    assert merge3("in good faith now", "in great faith now", "in good faith later") == "in great faith later"


# Property: a merge never writes words nobody proposed. Texts are made of distinct words, so the
# word diffs the merge reads are the edits that made them; edits are (first word, end word,
# replacement words) of the base, apart or not.
WORDS = st.lists(st.sampled_from([f"w{i}" for i in range(12)]), min_size=1, max_size=12, unique=True)


@st.composite
def edits_of(draw, base, tag):
    """Non-overlapping edits of ``base`` with fresh words (``tag`` keeps each side's words its own)."""
    cuts = sorted(draw(st.lists(st.integers(0, len(base)), min_size=0, max_size=6)))
    edits, fresh = [], iter(range(1000))
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        if edits and start <= edits[-1][1]:
            continue
        words = [f"{tag}{next(fresh)}" for _ in range(draw(st.integers(0, 2)))]
        if start == end and not words:
            continue
        edits.append((start, end, words))
    return edits


def applied(base, *edit_sets):
    edits = sorted((e for edits in edit_sets for e in edits), key=lambda e: (e[0], e[1]))
    out, position = [], 0
    for start, end, words in edits:
        out += base[position:start] + words
        position = end
    return " ".join(out + base[position:])


def _apart(a, b):
    left, right = (a, b) if a[0] <= b[0] else (b, a)
    return left[1] < right[0]  # at least one unchanged word between them


@settings(max_examples=400, deadline=None)
@given(data=st.data(), base=WORDS)
def test_edits_that_touch_are_refused_and_edits_apart_are_both_applied_or_refused(data, base):
    ours_edits, theirs_edits = data.draw(edits_of(base, "a")), data.draw(edits_of(base, "b"))
    base_text, ours, theirs = " ".join(base), applied(base, ours_edits), applied(base, theirs_edits)
    theirs_own = [b for b in theirs_edits if b not in ours_edits]  # the same edit made twice is made once
    apart = all(_apart(a, b) for a in ours_edits for b in theirs_own)
    if apart:
        # Both edits applied, each at its place; or refused where the word diff read an edit
        # differently (it may align the spaces around a deletion otherwise): never anything else.
        try:
            assert merge3(base_text, ours, theirs) == applied(base, ours_edits, theirs_own)
        except MergeConflict:
            pass
    elif ours != base_text and theirs != base_text:
        with pytest.raises(MergeConflict):
            merge3(base_text, ours, theirs)


@settings(max_examples=400, deadline=None)
@given(base=st.text(alphabet="ab ,.", min_size=1, max_size=14), data=st.data())
def test_a_merged_text_is_always_one_an_ordered_application_of_the_edits_gives(base, data):
    """Over any texts (repeated words, spaces, punctuation): whatever the merge writes is ours with
    their edits applied at their places in the base, each edit verbatim; or it refuses."""
    ours = data.draw(st.text(alphabet="abc ,.", max_size=14))
    theirs = data.draw(st.text(alphabet="abd ,.", max_size=14))
    try:
        merged = merge3(base, ours, theirs)
    except MergeConflict:
        return
    # Words only one side wrote ("c" is ours alone, "d" theirs alone) all come through, and no
    # word appears that neither text has.
    assert merged.count("c") == ours.count("c") and merged.count("d") == theirs.count("d")
    assert set(tokenize(merged)) <= set(tokenize(ours)) | set(tokenize(theirs))
