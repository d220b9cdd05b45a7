"""vectora-inbox-newsletter-v2: writes a client's newsletter from scored items."""

from vectora_core import LazySettings, configure_logging, is_smoke_event, run_smoke

ARTIFACT = "newsletter-v2"
EXTRA_REQUIRED = ("NEWSLETTERS_BUCKET", "BEDROCK_MODEL_ID")
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
        "newsletter start env=%s client=%s data=s3://%s newsletters=s3://%s",
        settings.env, client_id, settings.data_bucket, settings.newsletters_bucket,
    )
    return {"env": settings.env, "client_id": client_id, "newsletters_bucket": settings.newsletters_bucket}
