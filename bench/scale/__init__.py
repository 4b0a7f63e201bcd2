"""A realistic draft at a chosen scale, for the performance benchmark (``manage.py generate_draft``).

Scale 1 is 100 clauses in ten sections, each clause with ten versions, twenty comments and five
amendments, in a round that is voting, with every voter's vote on every item of its ballot; scale
10 is ten times that with the same voters. Voters (``voter001``...) are made once and reused by
every later draft; everything else is new per draft.

Rows are written in bulk with their history, as ``drafting.documents.imports`` does: a history row
for every version, comment, amendment and vote, naming who made it and why. Votes, a million at 10x,
are streamed with PostgreSQL's COPY and their history is copied from them inside the database.
The words come from a seeded generator, so a scale gives the same text every time.

    generate.py   the stages in order (``generate_draft``), each timed
    people.py     the administrator, the moderator and the voters with their organizations
    clauses.py    clauses with their versions, amendments and comments
    votes.py      the votes, by COPY, and their history
    prose.py      the words
    delete.py     deleting a generated draft (``--replace``)
    rows.py       bulk rows with their history
"""
