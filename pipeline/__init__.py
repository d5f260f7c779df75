"""The callscribe library: everything callscribe does, without Prefect, a command line or a web
server. Four domains, each a subpackage; dependencies point down this list only:

- :mod:`~callscribe.pipeline.policy`: who may do what, under four eyes, audited (users, audit log,
  complaints and requests, data-subject requests, coaching, retention, the outbox, letters);
- :mod:`~callscribe.pipeline.storage`: the catalogue's schema and recordings, the transcript folders;
- :mod:`~callscribe.pipeline.redaction`: Presidio with Dutch recognizers and spaCy NER;
- :mod:`~callscribe.pipeline.speech`: audio decoding, Whisper models and transcription.

:mod:`~callscribe.pipeline.process` composes speech and redaction for one file or transcript;
``errors``, ``types``, ``settings`` and ``atomic`` are shared by all. See ARCHITECTURE.md.
"""
