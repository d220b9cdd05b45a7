"""What the handlers' tests share: vectora_core importable from the repository, and stage's standard environment."""

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "layers" / "vectora-core"))

# The variables the Pulumi program gives a stage function (functions/profiles.ts, functionEnvironment).
STAGE = {
    "ENV": "stage",
    "PROJECT_NAME": "vectora-inbox",
    "CONFIG_BUCKET": "vectora-inbox-config-stage",
    "DATA_BUCKET": "vectora-inbox-data-stage",
    "LOG_LEVEL": "INFO",
    "BEDROCK_MODEL_ID": "anthropic.claude-3-5-sonnet-20240620-v1:0",
    "BEDROCK_REGION": "us-east-1",
    "PUBMED_API_KEY_PARAM": "/rag-lai/stage/pubmed/api-key",
}
