#!/usr/bin/env bash
# Runs every fuzz target in the module for a short time (FUZZTIME, default 10s
# each), as CI does. Targets are discovered, not listed, so a new FuzzXxx is
# fuzzed without editing this file. A crasher fails the run and is left in the
# package's testdata/fuzz directory for `go test` to replay.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-10s}
status=0
for pkg in $(go list ./...); do
	targets=$(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true)
	for t in $targets; do
		echo "-- $pkg $t ($fuzztime)"
		# -fuzzminimizetime bounds the minimisation of new inputs, which
		# otherwise looks like a stall under load.
		if ! go test -run '^$' -fuzz "^${t}\$" -fuzztime "$fuzztime" -fuzzminimizetime 2s "$pkg" >/tmp/fuzz-$t.log 2>&1; then
			tail -30 /tmp/fuzz-$t.log
			status=1
		fi
	done
done
exit $status
