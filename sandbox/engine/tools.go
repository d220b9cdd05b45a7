//go:build tools

// Package tools pins the Pulumi CLI's main package in this module's go.mod and go.sum, so that
// `go build github.com/pulumi/pulumi/pkg/v3/cmd/pulumi` builds the exact version required above.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
