"""Seeds a moto server with the "legacy layer in stage" incident, through boto3 (the real AWS SDK for Python).

usage: seed.py ENDPOINT [incident|large]

incident: the legacy layers (approche-b-dev versions 1-9, yaml-fix-dev, yaml-minimal-dev, dependencies), eight
versions of our stage vectora-core layer, two of dev's, the stage code bucket with its zips (the old
layers/vectora-core-v42.zip among them), a stage function still on approche-b-dev:9, another on an old version
of our layer, and a dev function on yaml-fix-dev.
large: one layer of ours with 1,000 versions and 1,100 versions of one zip in the stage code bucket (S3 lists
1,000 per page; moto's Lambda lists everything in one page, so only S3's paging is exercised across pages).
"""

import io
import json
import sys
import zipfile

import boto3

ENDPOINT, SCENARIO = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "incident")
KW = dict(endpoint_url=ENDPOINT, region_name="eu-west-3", aws_access_key_id="test", aws_secret_access_key="test")
lam, s3, iam = boto3.client("lambda", **KW), boto3.client("s3", **KW), boto3.client("iam", **KW)


def zipped(text):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("python/marker.txt", text)
    return buf.getvalue()


def layer(name, description):
    return lam.publish_layer_version(
        LayerName=name, Description=description, Content={"ZipFile": zipped(name + description)}, CompatibleRuntimes=["python3.12"]
    )["LayerVersionArn"]


def function(name, layers, tags):
    role = iam.create_role(
        RoleName=name + "-role",
        AssumeRolePolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
        ),
    )["Role"]["Arn"]
    lam.create_function(
        FunctionName=name, Runtime="python3.12", Role=role, Handler="handler.lambda_handler",
        Code={"ZipFile": zipped(name)}, Layers=layers, Tags=tags,
    )


def bucket(name):
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})


SHA = "0123456789abcdef"
if SCENARIO == "incident":
    legacy = [layer("vectora-inbox-vectora-core-approche-b-dev", f"approche b {i}") for i in range(1, 10)]
    yaml_fix = layer("vectora-inbox-yaml-fix-dev", "yaml fix")
    layer("vectora-inbox-yaml-minimal-dev", "yaml minimal")
    layer("vectora-inbox-dependencies", "deps")
    layer("vectora-inbox-dependencies", "deps again")
    core = [layer("vectora-inbox-vectora-core-stage", f"vectora-core 1.2.{i} sha256:{SHA}") for i in range(8)]
    deps = layer("vectora-inbox-common-deps-stage", f"common-deps 1.0.5 sha256:{SHA}")
    layer("vectora-inbox-vectora-core-dev", f"vectora-core 1.2.8 sha256:{SHA}")
    layer("vectora-inbox-vectora-core-dev", f"vectora-core 1.2.9 sha256:{SHA}")
    bucket("vectora-inbox-lambda-code-stage")
    keys = [f"layers/vectora-core-1.2.{i}.zip" for i in range(8)] + [
        "layers/common-deps-1.0.5.zip",
        "layers/vectora-core-v42.zip",
        "lambdas/ingest-v2-1.5.0.zip",
        "lambdas/ingest-v2-1.5.0.zip",
        "lambdas/newsletter-v2-1.7.0.zip",
    ]
    for key in keys:
        s3.put_object(Bucket="vectora-inbox-lambda-code-stage", Key=key, Body=zipped(key))
    s3.put_object(Bucket="vectora-inbox-lambda-code-stage", Key="canonical/scopes/x.yaml", Body=b"a: 1\n")
    function("vectora-inbox-ingest-v2-stage", [legacy[8], deps], {"Component": "ingest-v2", "Version": "1.5.0"})
    function("vectora-inbox-normalize-score-v2-stage", [core[1], deps], {"Component": "normalize-score-v2", "Version": "2.1.0"})
    function("vectora-inbox-ingest-v2-dev", [yaml_fix], {"Component": "ingest-v2", "Version": "1.5.0"})
elif SCENARIO == "large":
    for i in range(1000):
        layer("vectora-inbox-common-deps-stage", f"common-deps 1.0.{i} sha256:{SHA}")
    bucket("vectora-inbox-lambda-code-stage")
    for i in range(1100):
        s3.put_object(Bucket="vectora-inbox-lambda-code-stage", Key="layers/common-deps-1.0.999.zip", Body=str(i).encode())
else:
    sys.exit(f"unknown scenario {SCENARIO}")
