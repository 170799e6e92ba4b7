"""Retries: a step that fails once, and succeeds when tried again.

``fetch_rates`` stands for a call to a flaky service: its first attempt raises. Its
``RetryPolicy`` lets the executor run it again (after a short delay), and the run
succeeds. ``context.retry_number`` is 0 on the first attempt, 1 on the first retry, ...

Run it and watch the retry:

    headwater pipeline execute -f examples/retry_flaky.py

A step that still fails after ``max_retries`` retries fails the run with its traceback.
"""

from headwater import RetryPolicy, pipeline, solid


class ServiceUnavailable(Exception):
    """What the pretend service raises when it is having a bad moment."""


@solid(retry_policy=RetryPolicy(max_retries=2, delay=0.1))
def fetch_rates(context) -> dict:
    """Fetch exchange rates; the first attempt fails."""
    if context.retry_number == 0:
        raise ServiceUnavailable("the rates service timed out")
    context.log.info(f"Fetched the rates on attempt {context.retry_number + 1}.")
    return {"EUR": 1.0, "USD": 1.08}


@solid
def convert(context, rates: dict) -> float:
    """Convert 100 EUR to USD."""
    amount = 100 * rates["USD"] / rates["EUR"]
    context.log.info(f"100 EUR is {amount:.2f} USD.")
    return amount


@pipeline
def exchange():
    """Fetch rates (retrying once), then convert."""
    convert(fetch_rates())
