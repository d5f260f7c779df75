"""Storage: every table of the catalogue (:mod:`.schema`), recordings and their ingest
(:mod:`.catalogue`), and the managed transcript folders under the home folder (:mod:`.transcripts`).
Storage knows nothing of roles or policy."""
