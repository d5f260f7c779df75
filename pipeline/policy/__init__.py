"""Policy: the call-recording policy as code. Who acts (:mod:`.identity`), users, roles and
permissions (:mod:`.access`), the tamper-evident audit log (:mod:`.audit`), the one four-eyes
workflow (:mod:`.four_eyes`) behind the complaint registry and transcript/listen-back requests
(:mod:`.complaints`) and data-subject requests (:mod:`.subjects`), coaching (:mod:`.coaching`),
starting transcriptions (:mod:`.transcribing`), retention (:mod:`.retention`), what leaves
callscribe (:mod:`.outbox`) and customer letters (:mod:`.letters`). Every action is authorised
and audited here, not in an interface."""
