"""Reads the standard environment every Vectora Inbox Lambda gets from the Pulumi program."""

import os
from dataclasses import dataclass
from typing import Mapping, Optional, Sequence

ENVIRONMENTS = ("dev", "stage", "prod")
REQUIRED = ("ENV", "PROJECT_NAME", "CONFIG_BUCKET", "DATA_BUCKET", "LOG_LEVEL")


class SettingsError(RuntimeError):
    """The Lambda was deployed without a variable it needs, or with one from another environment."""


@dataclass(frozen=True)
class Settings:
    env: str
    project: str
    config_bucket: str
    data_bucket: str
    log_level: str
    bedrock_model_id: Optional[str]
    bedrock_region: Optional[str]
    pubmed_api_key_param: Optional[str]
    newsletters_bucket: Optional[str]

    def buckets(self) -> Mapping[str, str]:
        named = {"config": self.config_bucket, "data": self.data_bucket}
        if self.newsletters_bucket:
            named["newsletters"] = self.newsletters_bucket
        return named


def load_settings(environ: Optional[Mapping[str, str]] = None, extra_required: Sequence[str] = ()) -> Settings:
    """Reads ENV and the buckets; refuses a bucket that does not belong to ENV (the incident's lesson)."""
    environ = os.environ if environ is None else environ
    missing = [name for name in (*REQUIRED, *extra_required) if not environ.get(name)]
    if missing:
        raise SettingsError("missing environment variables: " + ", ".join(missing))
    env = environ["ENV"]
    if env not in ENVIRONMENTS:
        raise SettingsError(f"ENV={env!r} is not one of {', '.join(ENVIRONMENTS)}")
    settings = Settings(
        env=env,
        project=environ["PROJECT_NAME"],
        config_bucket=environ["CONFIG_BUCKET"],
        data_bucket=environ["DATA_BUCKET"],
        log_level=environ["LOG_LEVEL"],
        bedrock_model_id=environ.get("BEDROCK_MODEL_ID"),
        bedrock_region=environ.get("BEDROCK_REGION"),
        pubmed_api_key_param=environ.get("PUBMED_API_KEY_PARAM"),
        newsletters_bucket=environ.get("NEWSLETTERS_BUCKET"),
    )
    for role, bucket in settings.buckets().items():
        if not bucket.endswith(f"-{env}"):
            raise SettingsError(f"{role} bucket {bucket!r} does not belong to ENV={env}")
    return settings
