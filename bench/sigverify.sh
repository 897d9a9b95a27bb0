#!/usr/bin/env bash
# sigverify.sh: GOST R 34.10 signature verification, gostsig vs OpenSSL 3 +
# gost engine, measured in the same run and reported as ratios.
#
#   bench/sigverify.sh                 # REPEAT=3 rounds, SECS=1 per curve and round
#   REPEAT=5 SECS=2 bench/sigverify.sh # steadier
#
# Each round runs the C harness (bench/sigverify/engine_verify.c, built here
# with cc against libcrypto) and then BenchmarkVerify of gostsig/gost3410,
# both on one core (GOMAXPROCS=1, one thread in C), on a pre-hashed digest
# with a fresh key per curve. The best round of each is kept. Both sides
# report wall-clock and thread-CPU time per verification; on a machine
# shared with other work the CPU-time ratio is the steadier one.
# Needs: go, cc, libssl-dev (headers), libengine-gost-openssl.
set -euo pipefail
cd "$(dirname "$0")/.."

REPEAT=${REPEAT:-3}
SECS=${SECS:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cc -O2 -Wall -o "$tmp/engine_verify" bench/sigverify/engine_verify.c -lcrypto
go test -c -o "$tmp/gost3410.test" ./gostsig/gost3410
# The harness loads the engine itself; keep any OPENSSL_CONF from loading it twice.
export OPENSSL_CONF=/dev/null

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((round = 1; round <= REPEAT; round++)); do
	"$tmp/engine_verify" "$SECS" | awk -v r="$round" '{print "engine", r, $1, $3, $4}' >>"$tmp/raw"
	GOMAXPROCS=1 "$tmp/gost3410.test" -test.run '^$' -test.bench '^BenchmarkVerify$' \
		-test.benchtime "${SECS}s" -test.cpu 1 |
		awk -v r="$round" '/^BenchmarkVerify\// {
			name = $1; sub(/^BenchmarkVerify\//, "", name); sub(/-[0-9]+$/, "", name)
			impl = "gostsig"
			if (name ~ /\/precomputed$/) { impl = "gostsig-pre"; sub(/\/precomputed$/, "", name) }
			wall = $3; cpu = ""
			for (i = 4; i < NF; i++) if ($(i+1) == "cpu-ns/op") cpu = $i
			print impl, r, name, wall, cpu
		}' >>"$tmp/raw"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

cpu_model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
echo "Best of $REPEAT rounds, ${SECS} s per curve and round, one core."
echo "CPU: $cpu_model; load average before: $load_before, after: $load_after."
echo "$(go version | cut -d' ' -f3), $(openssl version | cut -d' ' -f1-2) with the gost engine."
echo
awk '
BEGIN {
	split("CryptoPro-A CryptoPro-B CryptoPro-C tc26-256-A tc26-512-A tc26-512-B tc26-512-C", order, " ")
	target["CryptoPro-A"] = 2.5; target["CryptoPro-B"] = 2.5; target["CryptoPro-C"] = 2.5
	target["tc26-256-A"] = 1.5; target["tc26-512-A"] = 2; target["tc26-512-B"] = 2; target["tc26-512-C"] = 1.3
}
{
	k = $1 SUBSEP $3
	if (!(k in wall) || $4 < wall[k]) wall[k] = $4
	if ($5 != "" && (!(k in cpu) || $5 < cpu[k])) cpu[k] = $5
}
function rate(ns) { return ns > 0 ? 1e9 / ns : 0 }
END {
	print "| curve | gost-engine verify/s | gostsig verify/s | ratio | gostsig, precomputed key | ratio | target | CPU-time ratio (engine / gostsig) | met (CPU time) |"
	print "|---|---:|---:|---:|---:|---:|---:|---:|:-:|"
	for (i = 1; i <= 7; i++) {
		c = order[i]
		e = wall["engine" SUBSEP c]; g = wall["gostsig" SUBSEP c]; p = wall["gostsig-pre" SUBSEP c]
		ec = cpu["engine" SUBSEP c]; gc = cpu["gostsig" SUBSEP c]
		rc = (gc > 0) ? ec / gc : 0
		printf "| %s | %.0f | %.0f | %.2fx | %.0f | %.2fx | %.1fx | %.2fx | %s |\n", c, rate(e), rate(g), (g > 0 ? e / g : 0), rate(p), (p > 0 ? e / p : 0), target[c], rc, (rc >= target[c] ? "yes" : "NO")
	}
}' "$tmp/raw"
