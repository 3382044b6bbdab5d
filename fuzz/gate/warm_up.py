"""The gate's first verdicts, while the campaign's workers start: a short search in a process of its own.

pytest-xdist takes seconds to start a campaign's workers (a Python, pytest and
its plugins each, then the sides), so with an empty corpus a gate judged
nothing for its first two to five seconds. This process is up in about one:
it builds the sides, then searches a shard of its own (seeded apart from the
campaign's, :func:`warm_up_shard`) until the gate writes the time the
campaign judged its first case into a stop file, and writes its verdicts
where the campaign's workers write theirs. The gate reads them as the
campaign's: generated cases with the choices they were drawn from (a failure
shrinks like any other), each failure saved to the findings directory before
anything else. It runs the campaign's own shard code
(:func:`fuzz.gate.campaign.test_campaign_shard`), so it judges exactly as a
worker does.

``python -m fuzz.gate.warm_up JOB.json``; the job holds the campaign's own
:class:`~fuzz.gate.campaign_plugin.CampaignOptions` (``options``, as JSON),
whose deadline file is the warm-up's stop file, and the global shard it
searches (``shard``).
"""

from __future__ import annotations

import os

from fuzz.gate.campaign_plugin import SEED_STRIDE, Campaign, CampaignOptions, shard_seed
from fuzz.workers.job_file import exit_with_job, helper_lifetime

#: The name of the warm-up's results file in the campaign's results directory.
RESULTS_NAME = "warm-up.jsonl"


def warm_up_shard(shard_of: tuple[int, int]) -> int:
    """The global shard the warm-up of run ``K/N`` searches: counted down from the top, so never a campaign's."""
    return SEED_STRIDE - shard_of[0]


def run(job: dict) -> int:
    """Build the sides, then search until the stop file says the campaign is judging (or the deadline)."""
    from fuzz.gate.campaign import test_campaign_shard
    from fuzz.isolation.pool import Isolation
    from fuzz.model.records import ResultsWriter
    from fuzz.oracle.sides import make_sides

    options, shard = CampaignOptions.from_json(job["options"]), job["shard"]
    writer = ResultsWriter(os.path.join(options.results, RESULTS_NAME))
    # No worker file: nothing watches the warm-up's pickles (the gate stops it by its stop file, or kills it).
    with helper_lifetime(options.timeout, None) as guard:
        try:
            sides = make_sides(options.baseline, options.candidate, guard)
            with Isolation(options.isolation, timeout=options.timeout) as isolation:
                campaign = Campaign(
                    deadline=options.deadline,
                    examples=0,
                    seed=shard_seed(options.seed, shard, options.round),
                    writer=writer,
                    corpus=options.corpus,
                    failing=options.failing,
                    shard=shard,
                    inputs=options.inputs,
                    deadline_file=options.deadline_file,
                )
                test_campaign_shard(campaign, sides, isolation)
        finally:
            writer.close()
    return 0


if __name__ == "__main__":
    exit_with_job("fuzz.gate.warm_up", run)
