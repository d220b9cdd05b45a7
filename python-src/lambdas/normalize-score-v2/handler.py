"""vectora-inbox-normalize-score-v2: normalises and scores ingested items with Bedrock."""

from vectora_core import configure_logging, load_settings

SETTINGS = load_settings(extra_required=("BEDROCK_MODEL_ID", "BEDROCK_REGION"))
LOG = configure_logging(SETTINGS.log_level)


def lambda_handler(event, context):
    client_id = (event or {}).get("client_id", "lai_weekly")
    LOG.info(
        "normalize-score start env=%s client=%s data=s3://%s model=%s region=%s",
        SETTINGS.env, client_id, SETTINGS.data_bucket, SETTINGS.bedrock_model_id, SETTINGS.bedrock_region,
    )
    return {"env": SETTINGS.env, "client_id": client_id, "data_bucket": SETTINGS.data_bucket, "model": SETTINGS.bedrock_model_id}
