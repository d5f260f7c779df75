"""Redaction: Presidio's analyzer on a Dutch spaCy pipeline, with the rule files of
``redaction_rules/`` (:mod:`.rules`), word lists and the name gazetteer (:mod:`.lexicon`), the
Python recognizers of :mod:`.nl` and the engine that merges, links and replaces (:mod:`.engine`).

Importing this package loads nothing heavy; :func:`.engine.get_redactor` loads the model.
"""
