"""Reads the standard environment every Vectora Inbox Lambda gets from the Pulumi program."""

import os
from dataclasses import dataclass
from typing import Mapping, Optional, Sequence

ENVIRONMENTS = ("dev", "stage", "prod")
REQUIRED = ("ENV", "PROJECT_NAME", "CONFIG_BUCKET", "DATA_BUCKET", "LOG_LEVEL")

# The environment contract the Pulumi program gives every function (policy/contract/lambdaEnvironment.ts and
# functions/profiles.ts, functionEnvironment): the smoke mode checks a deployed function against it, and
# test/functions/smokeContract.test.ts holds the two languages to the same verdicts.
PROJECT = "vectora-inbox"
STANDARD = (
    "ENV",
    "PROJECT_NAME",
    "CONFIG_BUCKET",
    "DATA_BUCKET",
    "LOG_LEVEL",
    "BEDROCK_MODEL_ID",
    "BEDROCK_REGION",
    "PUBMED_API_KEY_PARAM",
)
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
BUCKET_VARIABLES = {"CONFIG_BUCKET": "config", "DATA_BUCKET": "data", "NEWSLETTERS_BUCKET": "newsletters"}


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


def environment_problems(environ: Mapping[str, str], extra: Sequence[str] = ()) -> list:
    """
    What breaks the environment contract, one sentence per variable: a standard variable (or one of `extra`) that is
    missing, an ENV other than the function's own (the `-<env>` its name ends with, when Lambda sets
    AWS_LAMBDA_FUNCTION_NAME), and a value of the wrong form for ENV (a bucket of another environment, DEBUG outside
    dev, the PubMed parameter of another environment's subtree).
    """
    names = list(dict.fromkeys((*STANDARD, *extra)))
    problems = [f"{name} is missing" for name in names if not environ.get(name)]
    env = environ.get("ENV")
    if env and env not in ENVIRONMENTS:
        problems.append(f"ENV={env!r} is not one of {', '.join(ENVIRONMENTS)}")
        return problems
    function_name = environ.get("AWS_LAMBDA_FUNCTION_NAME")
    if env and function_name and not function_name.endswith(f"-{env}"):
        problems.append(f"ENV={env!r}, but the function {function_name} is not of that environment")
    project = environ.get("PROJECT_NAME")
    if project and project != PROJECT:
        problems.append(f"PROJECT_NAME={project!r}, expected {PROJECT!r}")
    if not env:
        return problems
    for name, role in BUCKET_VARIABLES.items():
        value = environ.get(name)
        expected = f"{PROJECT}-{role}-{env}"
        if name in names and value and value != expected:
            problems.append(f"{name}={value!r}, expected {expected!r}")
    level = environ.get("LOG_LEVEL")
    allowed = LOG_LEVELS if env == "dev" else tuple(lv for lv in LOG_LEVELS if lv != "DEBUG")
    if level and level not in allowed:
        problems.append(f"LOG_LEVEL={level!r} is not allowed in {env} ({', '.join(allowed)})")
    parameter = environ.get("PUBMED_API_KEY_PARAM")
    if parameter and not parameter.startswith(f"/rag-lai/{env}/"):
        problems.append(f"PUBMED_API_KEY_PARAM={parameter!r} is not under /rag-lai/{env}/")
    model = environ.get("BEDROCK_MODEL_ID")
    if model and any(ch.isspace() for ch in model):
        problems.append(f"BEDROCK_MODEL_ID={model!r} holds white space")
    return problems


class LazySettings:
    """
    The settings, read at the first call rather than when the handler is imported: a smoke event must still get a
    report that names a broken environment, where a failed import would only give Lambda's import error.
    """

    def __init__(self, extra_required: Sequence[str] = ()):
        self._extra = tuple(extra_required)
        self._settings: Optional[Settings] = None

    def __call__(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(extra_required=self._extra)
        return self._settings
