from .drafts import (  # noqa: F401
    clause_detail,
    clause_edit,
    clause_revert,
    draft_create,
    draft_detail,
    draft_manage,
    home,
)
from .outcomes import (  # noqa: F401
    comment_disposition,
    compare,
    console,
    draft_export,
    draft_import,
    export_job,
    results,
    snapshot_detail,
    snapshots,
)
from .participation import (  # noqa: F401
    amend,
    amendment_detail,
    amendment_withdraw,
    comment_edit,
    comment_hide,
    comment_post,
    comment_restore,
    propose,
    round_move,
    rounds,
    vote,
)
