"""The Bedrock models and regions the functions may call: a cost and data-handling decision, reviewed like code.

The same list as the policy pack's default allowlist (policy/contract/bedrock.ts, DEFAULT_BEDROCK_MODELS and
DEFAULT_BEDROCK_REGIONS); test/functions/smokeContract.test.ts fails when the two differ. The pack refuses a deploy
with another model; the smoke test catches a function whose model was changed by hand after the deploy.
"""

ALLOWED_MODELS = ("anthropic.claude-3-5-sonnet-20240620-v1:0",)
ALLOWED_REGIONS = ("us-east-1",)


def model_problems(model_id, region):
    """What is wrong with a function's model and region, as sentences (none when both are allowed)."""
    problems = []
    if model_id not in ALLOWED_MODELS:
        problems.append(f"BEDROCK_MODEL_ID {model_id!r} is not on vectora_core's allowlist ({', '.join(ALLOWED_MODELS)})")
    if region not in ALLOWED_REGIONS:
        problems.append(f"BEDROCK_REGION {region!r} is not an allowed Bedrock region ({', '.join(ALLOWED_REGIONS)})")
    return problems
