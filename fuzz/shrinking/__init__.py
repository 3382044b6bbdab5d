"""Shrinking findings to the smallest case that still shows them, and naming their root cause.

:mod:`.shrinker` shrinks one finding: Hypothesis first, replaying the choices
the campaign drew the case from and shrinking them (its shrinker knows the
generator's structure), then :mod:`.case_reducer` on the case itself, to a
1-minimal case and, where a count is the cause, a named threshold.
:mod:`.root_cause` says in plain words what a shrunk case is a case of, so
findings group by cause, not by the tags of the first example seen; it
reads the case through :mod:`.case_facts` (the pickled function, its module
accesses, the package files' shapes, its signature and origin), never
through the generator's names.
"""
