"""Policy: the call-recording policy as code. Who acts (:mod:`.identity`), users, roles and
permissions (:mod:`.access`), web accounts, passwords and sessions (:mod:`.accounts`), the
tamper-evident audit log (:mod:`.audit`, read page by page through :mod:`.audit_view`), the one
four-eyes workflow (:mod:`.four_eyes`) behind the complaint registry and transcript/listen-back
requests (:mod:`.complaints`), the review of a transcript before release (:mod:`.review`) and
data-subject requests (:mod:`.subjects`), coaching (:mod:`.coaching`), starting transcriptions for
a purpose (:mod:`.transcribing`), retention (:mod:`.retention`) and legal holds (:mod:`.holds`),
what leaves callscribe (:mod:`.outbox`), customer letters (:mod:`.letters`) and their downloads
(:mod:`.downloads`), and the manager's operations report (:mod:`.reports`). Every action is
authorised and audited here, not in an interface."""
