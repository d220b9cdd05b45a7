"""Seeds a moto server with the "legacy layer in stage" incident, through boto3 (the real AWS SDK for Python).

usage: seed.py ENDPOINT [incident|large]

incident (eu-west-3 unless said):
  - legacy layers: approche-b-dev versions 1-9, yaml-fix-dev, yaml-minimal-dev, dependencies versions 1-2; a
    look-alike of ours, vectora-inbox-vectora-core-dev2; dev's vectora-core versions 1-2;
  - the stage code bucket, its layers published from it (vectora-core 1.2.0-1.2.7 as versions 1-8,
    common-deps 1.0.5), the legacy key layers/vectora-core-v42.zip, then layers/vectora-core-1.2.7.zip
    overwritten with other bytes (the version 8 was published from is now noncurrent), and the functions' zips
    (lambdas/ingest-v2-1.5.0.zip uploaded twice, the function made from the second);
  - stage functions: ingest-v2 on approche-b-dev:9 (legacy), normalize-score-v2 whose published version 1, behind
    the alias "live", runs vectora-core-stage:2 while $LATEST runs :8, newsletter-v2 on dev's own vectora-core:2
    (cross-environment); a dev function on yaml-fix-dev; another team's function "billing-report" on
    vectora-inbox-dependencies:2; an empty dev code bucket;
  - in eu-west-1: a common-deps-stage layer that another team's function "analytics-export" runs.
large: one layer of ours with 1,000 versions and 1,100 versions of one zip in the stage code bucket (S3 lists
1,000 per page; moto's Lambda lists everything in one page, so only S3's paging is exercised across pages).
"""

import io
import json
import sys
import zipfile

import boto3

ENDPOINT, SCENARIO = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "incident")


def clients(region):
    kw = dict(endpoint_url=ENDPOINT, region_name=region, aws_access_key_id="test", aws_secret_access_key="test")
    return boto3.client("lambda", **kw), boto3.client("s3", **kw), boto3.client("iam", **kw)


lam, s3, iam = clients("eu-west-3")
STAGE_BUCKET = "vectora-inbox-lambda-code-stage"


def zipped(text):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("python/marker.txt", text)
    return buf.getvalue()


def layer(name, description, client=None):
    """A layer version uploaded directly (not from the code bucket): the legacy layers, dev's, other teams'."""
    return (client or lam).publish_layer_version(
        LayerName=name, Description=description, Content={"ZipFile": zipped(name + description)}, CompatibleRuntimes=["python3.12"]
    )["LayerVersionArn"]


def layer_from(name, key, description):
    """A layer version published from a zip of the stage code bucket, as the program publishes ours."""
    return lam.publish_layer_version(
        LayerName=name, Description=description, Content={"S3Bucket": STAGE_BUCKET, "S3Key": key}, CompatibleRuntimes=["python3.12"]
    )["LayerVersionArn"]


def role(name, client=None):
    return (client or iam).create_role(
        RoleName=name + "-role",
        AssumeRolePolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
        ),
    )["Role"]["Arn"]


def function(name, layers, code=None, client=None, iam_client=None):
    (client or lam).create_function(
        FunctionName=name, Runtime="python3.12", Role=role(name, iam_client), Handler="handler.lambda_handler",
        Code=code or {"ZipFile": zipped(name)}, Layers=layers,
    )


def bucket(name, region="eu-west-3"):
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})


def put(key, body):
    s3.put_object(Bucket=STAGE_BUCKET, Key=key, Body=body)


SHA = "0123456789abcdef"
if SCENARIO == "incident":
    legacy = [layer("vectora-inbox-vectora-core-approche-b-dev", f"approche b {i}") for i in range(1, 10)]
    yaml_fix = layer("vectora-inbox-yaml-fix-dev", "yaml fix")
    layer("vectora-inbox-yaml-minimal-dev", "yaml minimal")
    layer("vectora-inbox-dependencies", "deps")
    dependencies = layer("vectora-inbox-dependencies", "deps again")
    layer("vectora-inbox-vectora-core-dev2", f"vectora-core 1.2.9 sha256:{SHA}")
    dev_core = [layer("vectora-inbox-vectora-core-dev", f"vectora-core 1.2.{i} sha256:{SHA}") for i in (8, 9)]

    bucket(STAGE_BUCKET)
    bucket("vectora-inbox-lambda-code-dev")
    core = []
    for i in range(8):
        put(f"layers/vectora-core-1.2.{i}.zip", zipped(f"vectora-core 1.2.{i}"))
        core.append(layer_from("vectora-inbox-vectora-core-stage", f"layers/vectora-core-1.2.{i}.zip", f"vectora-core 1.2.{i} sha256:{SHA}"))
    put("layers/common-deps-1.0.5.zip", zipped("common-deps 1.0.5"))
    deps = layer_from("vectora-inbox-common-deps-stage", "layers/common-deps-1.0.5.zip", f"common-deps 1.0.5 sha256:{SHA}")
    # The key version 8 was published from, overwritten since with other bytes: by name it is "the current zip".
    put("layers/vectora-core-1.2.7.zip", zipped("vectora-core 1.2.7, rebuilt by hand"))
    put("layers/vectora-core-v42.zip", zipped("v42"))
    put("lambdas/ingest-v2-1.5.0.zip", zipped("ingest-v2 1.5.0 first upload"))
    put("lambdas/ingest-v2-1.5.0.zip", zipped("ingest-v2 1.5.0"))
    put("lambdas/newsletter-v2-1.7.0.zip", zipped("newsletter-v2 1.7.0"))
    put("lambdas/normalize-score-v2-2.1.0.zip", zipped("normalize-score-v2 2.1.0"))
    s3.put_object(Bucket=STAGE_BUCKET, Key="canonical/scopes/x.yaml", Body=b"a: 1\n")

    function("vectora-inbox-ingest-v2-stage", [legacy[8], deps], {"S3Bucket": STAGE_BUCKET, "S3Key": "lambdas/ingest-v2-1.5.0.zip"})
    # Version 1 (alias live) runs vectora-core-stage:2; $LATEST moves on to :8.
    function("vectora-inbox-normalize-score-v2-stage", [core[1], deps], {"S3Bucket": STAGE_BUCKET, "S3Key": "lambdas/normalize-score-v2-2.1.0.zip"})
    lam.publish_version(FunctionName="vectora-inbox-normalize-score-v2-stage")
    lam.create_alias(FunctionName="vectora-inbox-normalize-score-v2-stage", Name="live", FunctionVersion="1")
    lam.update_function_configuration(FunctionName="vectora-inbox-normalize-score-v2-stage", Layers=[core[7], deps])
    function("vectora-inbox-newsletter-v2-stage", [dev_core[1]])
    function("vectora-inbox-ingest-v2-dev", [yaml_fix])
    function("billing-report", [dependencies])

    lam_ireland, _, iam_ireland = clients("eu-west-1")
    ireland = layer("vectora-inbox-common-deps-stage", f"common-deps 1.0.4 sha256:{SHA}", lam_ireland)
    function("analytics-export", [ireland], client=lam_ireland, iam_client=iam_ireland)
elif SCENARIO == "large":
    for i in range(1000):
        layer("vectora-inbox-common-deps-stage", f"common-deps 1.0.{i} sha256:{SHA}")
    bucket(STAGE_BUCKET)
    for i in range(1100):
        put("layers/common-deps-1.0.999.zip", str(i).encode())
else:
    sys.exit(f"unknown scenario {SCENARIO}")
