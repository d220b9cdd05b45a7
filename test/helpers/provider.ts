/** Type tokens and a program's function, for the simulated provider's own tests. */
export const FN = "aws:lambda/function:Function";
export const OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2";

/** A function as a program declares it: its code at b/k. */
export const FUNCTION_PROGRAM: Readonly<Record<string, unknown>> = {
    name: "f-dev",
    role: "arn:aws:iam::123456789012:role/r-dev",
    runtime: "python3.12",
    handler: "h.h",
    s3Bucket: "b",
    s3Key: "k",
};
