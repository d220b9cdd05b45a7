"""vectora-inbox-ingest-v2: ingests a client's sources into the data bucket."""

from vectora_core import LazySettings, configure_logging, is_smoke_event, run_smoke

ARTIFACT = "ingest-v2"
EXTRA_REQUIRED = ("PUBMED_API_KEY_PARAM",)
CALLS_BEDROCK = False
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
        "ingest start env=%s client=%s config=s3://%s/canonical/clients/%s.yaml data=s3://%s pubmed_key_param=%s",
        settings.env, client_id, settings.config_bucket, client_id, settings.data_bucket, settings.pubmed_api_key_param,
    )
    return {"env": settings.env, "client_id": client_id, "config_bucket": settings.config_bucket, "data_bucket": settings.data_bucket}
