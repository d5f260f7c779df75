"""Policy: the call-recording policy as code. Users and roles (:mod:`.access`), the tamper-evident
audit log (:mod:`.audit`), the complaint registry and four-eyes requests (:mod:`.complaints`),
data-subject requests (:mod:`.subjects`), coaching (:mod:`.coaching`), retention
(:mod:`.retention`), what leaves callscribe (:mod:`.outbox`) and customer letters (:mod:`.letters`).
Every action is authorised and audited here, not in an interface."""
