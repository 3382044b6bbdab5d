"""Generating cases outside a test run: Hypothesis driven for the fuzzer's own commands.

:mod:`.seeded_draws` is the settings recipe and the seeded sample every
command draws from; :mod:`.search` looks for one failing case;
:mod:`.input_coverage` says which values of the input space the drawn cases
reached. The strategies themselves live in the top-level ``strategies``
package.
"""
