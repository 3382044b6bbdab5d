"""The corpus: cases saved as readable files, and what is built from them.

:mod:`.format` is the file format (header, universe tree, sources), with
content addressing; :mod:`.store` saves atomically and loads tolerantly;
:mod:`.reproducer` turns an entry into a standalone script for an upstream
issue; :mod:`.known_cases` holds the hand-written cases.
"""
