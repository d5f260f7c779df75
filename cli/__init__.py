"""The ``callscribe`` command line: a thin interface over the library and the flows. Parsing and
printing only; the library authorises, audits and does the work."""
