"""vectora-inbox-normalize-score-v2: normalises and scores ingested items with Bedrock."""

from vectora_core import LazySettings, configure_logging, is_smoke_event, run_smoke

ARTIFACT = "normalize-score-v2"
EXTRA_REQUIRED = ("BEDROCK_MODEL_ID", "BEDROCK_REGION")
CALLS_BEDROCK = True
SETTINGS = LazySettings(extra_required=EXTRA_REQUIRED)


def lambda_handler(event, context):
    if is_smoke_event(event):
        return run_smoke(
            event, context, artifact=ARTIFACT, handler_file=__file__, extra_required=EXTRA_REQUIRED, calls_bedrock=CALLS_BEDROCK
        )
    settings = SETTINGS()
    log = configure_logging(settings.log_level)
    client_id = (event or {}).get("client_id", "lai_weekly")
    log.info(
        "normalize-score start env=%s client=%s data=s3://%s model=%s region=%s",
        settings.env, client_id, settings.data_bucket, settings.bedrock_model_id, settings.bedrock_region,
    )
    return {"env": settings.env, "client_id": client_id, "data_bucket": settings.data_bucket, "model": settings.bedrock_model_id}
