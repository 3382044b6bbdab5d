"""The submodule detectors under test, and deliberately buggy or equivalent ones.

``legacy`` is cloudpickle's ``sys.modules`` scan (up to 3.1.x), ``proposed``
the bytecode scan of upstream issue 576 / PR 582, transcribed bugs included;
``bytecode_v2`` is this project's replacement; ``planted`` holds detectors
with one known bug each (or none), which the fuzzer must kill (or pass).
"""
