"""vectora-inbox-ingest-v2: ingests a client's sources into the data bucket."""

from vectora_core import configure_logging, load_settings

SETTINGS = load_settings(extra_required=("PUBMED_API_KEY_PARAM",))
LOG = configure_logging(SETTINGS.log_level)


def lambda_handler(event, context):
    client_id = (event or {}).get("client_id", "lai_weekly")
    LOG.info(
        "ingest start env=%s client=%s config=s3://%s/canonical/clients/%s.yaml data=s3://%s pubmed_key_param=%s",
        SETTINGS.env, client_id, SETTINGS.config_bucket, client_id, SETTINGS.data_bucket, SETTINGS.pubmed_api_key_param,
    )
    return {"env": SETTINGS.env, "client_id": client_id, "config_bucket": SETTINGS.config_bucket, "data_bucket": SETTINGS.data_bucket}
