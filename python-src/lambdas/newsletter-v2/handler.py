"""vectora-inbox-newsletter-v2: writes a client's newsletter from scored items."""

from vectora_core import configure_logging, load_settings

SETTINGS = load_settings(extra_required=("NEWSLETTERS_BUCKET", "BEDROCK_MODEL_ID"))
LOG = configure_logging(SETTINGS.log_level)


def lambda_handler(event, context):
    client_id = (event or {}).get("client_id", "lai_weekly")
    LOG.info(
        "newsletter start env=%s client=%s data=s3://%s newsletters=s3://%s",
        SETTINGS.env, client_id, SETTINGS.data_bucket, SETTINGS.newsletters_bucket,
    )
    return {"env": SETTINGS.env, "client_id": client_id, "newsletters_bucket": SETTINGS.newsletters_bucket}
