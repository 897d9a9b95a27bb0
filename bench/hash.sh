#!/usr/bin/env bash
# Compare gostsig's GOST hashes with OpenSSL's gost provider, measured in the
# same run on one core, and print a markdown table with the ratios.
#
#   bench/hash.sh                 # REPEAT=3 rounds, 1 s per measurement
#   REPEAT=5 SECS=2 bench/hash.sh
#
# Each round runs OpenSSL and Go one after the other; the table keeps the
# best measurement of each (on a shared machine the best is the one least
# disturbed by others). Throughput is in MB/s (10^6 bytes per second).
# Needs openssl with the gost provider (Debian: libengine-gost-openssl).
set -euo pipefail
cd "$(dirname "$0")/.."

repeat=${REPEAT:-3}
secs=${SECS:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! openssl speed -provider gostprov -provider default -seconds 1 -bytes 64 -evp md_gost12_256 >/dev/null 2>&1; then
	echo "bench/hash.sh: OpenSSL's gost provider is not available (apt-get install libengine-gost-openssl)" >&2
	exit 1
fi

# Build the benchmark binaries once, so compilation is not part of a round.
go test -c -o "$tmp/streebog.test" ./gostsig/streebog
go test -c -tags purego -o "$tmp/streebog-purego.test" ./gostsig/streebog
go test -c -o "$tmp/gost341194.test" ./gostsig/gost341194

# Go runs each benchmark five times for a fifth of the time OpenSSL gets per
# size, and the table keeps the best: short runs are less likely to be hit by
# other work on a shared machine.
gobench() { # binary, benchmark regexp
	GOMAXPROCS=1 "$1" -test.run '^$' -test.bench "$2" -test.benchtime "$(awk -v s="$secs" 'BEGIN { print s / 5 }')s" \
		-test.count 5 -test.cpu 1
}

for ((r = 1; r <= repeat; r++)); do
	echo "round $r/$repeat" >&2
	for md in md_gost12_256 md_gost12_512 md_gost94; do
		openssl speed -provider gostprov -provider default -seconds "$secs" -evp "$md" 2>/dev/null |
			awk -v md="$md" '$1 == md {
				# Columns: 16, 64, 256, 1024, 8192, 16384 bytes, in 1000s of bytes/s.
				# A run too short to time prints "infk"; such a value is skipped.
				n = split("3 64 5 1024 6 8192 7 16384", c, " ")
				for (i = 1; i < n; i += 2) {
					v = $(c[i]); sub(/k$/, "", v)
					if (v ~ /^[0-9]+(\.[0-9]+)?$/) print "openssl", md, c[i+1], v / 1000
				}
			}' >>"$tmp/results"
	done
	for impl in asm purego; do
		bin="$tmp/streebog.test"
		[ "$impl" = purego ] && bin="$tmp/streebog-purego.test"
		gobench "$bin" '^BenchmarkSum(256|512)$/^(64B|1KiB|8KiB|16KiB)$' |
			awk -v impl="$impl" '/^BenchmarkSum/ {
				split($1, a, "/"); md = (a[1] ~ /256/) ? "md_gost12_256" : "md_gost12_512";
				size = a[2]; sub(/B$/, "", size); if (size ~ /Ki$/) { sub(/Ki$/, "", size); size *= 1024 }
				for (i = 2; i < NF; i++) { if ($(i+1) == "MB/s") mbs = $i; if ($(i+1) == "ns/op") ns = $i }
				print impl, md, size, mbs, ns }' >>"$tmp/results"
	done
	gobench "$tmp/gost341194.test" '^BenchmarkSum$/^(64B|1KiB|8KiB|16KiB)$' |
		awk '/^BenchmarkSum/ {
			split($1, a, "/"); size = a[2]; sub(/B$/, "", size); if (size ~ /Ki$/) { sub(/Ki$/, "", size); size *= 1024 }
			for (i = 2; i < NF; i++) { if ($(i+1) == "MB/s") mbs = $i; if ($(i+1) == "ns/op") ns = $i }
			print "purego", "md_gost94", size, mbs, ns; print "asm", "md_gost94", size, mbs, ns }' >>"$tmp/results"
done

echo
echo "Best of $repeat rounds, ${secs} s per measurement, one core. $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)."
echo "Go: $(go version | cut -d' ' -f3), OpenSSL: $(openssl version | cut -d' ' -f2) with the gost provider."
echo
awk '
	{ key = $2 " " $3; if (!(($1, key) in best) || $4 > best[$1, key]) { best[$1, key] = $4; ns[$1, key] = $5 }; keys[key] = 1 }
	END {
		split("md_gost12_256 md_gost12_512 md_gost94", mds, " "); split("64 1024 8192 16384", sizes, " ")
		name["md_gost12_256"] = "Streebog-256"; name["md_gost12_512"] = "Streebog-512"; name["md_gost94"] = "GOST R 34.11-94 (CryptoPro)"
		print "| hash | message | OpenSSL MB/s | gostsig MB/s | ratio | gostsig pure Go MB/s | ratio |"
		print "|---|---:|---:|---:|---:|---:|---:|"
		for (m = 1; m <= 3; m++) for (s = 1; s <= 4; s++) {
			key = mds[m] " " sizes[s]; o = best["openssl", key]; a = best["asm", key]; p = best["purego", key]
			label = sizes[s] " B"; if (sizes[s] >= 1024) label = sizes[s] / 1024 " KiB"
			if (o > 0) printf "| %s | %s | %.1f | %.1f | %.2fx | %.1f | %.2fx |\n", name[mds[m]], label, o, a, a / o, p, p / o
			else printf "| %s | %s | n/a | %.1f | n/a | %.1f | n/a |\n", name[mds[m]], label, a, p
		}
		print ""
		o = best["openssl", "md_gost12_256 64"]
		printf "One 64-byte message, Streebog-256: gostsig %.0f ns (pure Go %.0f ns), OpenSSL %s (from its 64-byte throughput).\n",
			ns["asm", "md_gost12_256 64"], ns["purego", "md_gost12_256 64"], (o > 0) ? sprintf("%.0f ns", 64000 / o) : "n/a"
	}' "$tmp/results"
