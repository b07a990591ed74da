#!/bin/sh
# run.sh - `make fuzz`: run each libFuzzer target for SECONDS on a scratch corpus (its seeds
# under fuzz/corpus/<target>/, and the folders fuzz/seed-dirs.txt adds, are read, never written),
# one after another, and print per target
# the runs, the coverage reached (libFuzzer's cov: edges and ft: features) and the corpus size.
#   sh fuzz/run.sh OUTDIR SECONDS TARGET...
# A crash, leak or timeout leaves OUTDIR/<target>/crash-* (or leak-*, timeout-*) and makes the
# exit status 1; keep such an input as a regression seed in fuzz/corpus/<target>/ once fixed.
set -u
out=$1 secs=$2
shift 2
top=$(cd "$(dirname "$0")/.." && pwd)
KVMGATE_TOP=$top && . "$top/bindings/util/shlib.sh"
mkdir -p "$out" || exit 2
rc=0
for t in "$@"; do
	rm -rf "$out/$t" && mkdir -p "$out/$t/corpus" || exit 2
	log=$out/$t.log
	# TMPDIR private to the run: what the unpackers leave behind is seen (fuzz_kfile checks)
	mkdir -p "$out/$t/tmp"
	# shellcheck disable=SC2046
	TMPDIR=$out/$t/tmp "$top/fuzz/$t" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$out/$t/" \
		"$out/$t/corpus" $(fuzz_seed_dirs "$t") >"$log" 2>&1
	st=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	cov=$(printf '%s\n' "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(printf '%s\n' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(printf '%s\n' "$last" | sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p')
	found=$(ls "$out/$t" | grep -E '^(crash|leak|timeout|oom|slow-unit)-' | tr '\n' ' ')
	if [ "$st" -ne 0 ] || [ -n "$found" ]; then
		rc=1
		echo "fuzz $t: FAILED (exit $st) after ${runs:-?} runs: ${found:-see $log}"
		grep -m 3 -E 'ERROR|SUMMARY|runtime error' "$log" | sed 's/^/    /'
	else
		echo "fuzz $t: ${runs:-?} runs in ${secs}s, cov: ${cov:-?} ft: ${ft:-?}, corpus ${corp:-?}"
	fi
	rm -rf "$out/$t/tmp"
done
exit $rc
