#! /usr/bin/env atf-sh
# fuzz_test.sh - a short run of each libFuzzer harness (fuzz/README.md) inside `make check`:
# every seed of fuzz/corpus/<target>/ (regression seeds included) is run first, then a few seconds
# of new inputs (FUZZ_CHECK_SECONDS, default 3; the kyua config variable fuzz_seconds overrides).
# A crash, a sanitizer report, a leak or a file left in TMPDIR fails the case.

KVMGATE_TOP=$(cd "$(atf_get_srcdir)/.." && pwd) && . "$KVMGATE_TOP/bindings/util/shlib.sh"

fuzz_one() {
	t=$1
	prog=$KVMGATE_TOP/fuzz/$t
	[ -x "$prog" ] || atf_skip "fuzz/$t not built: clang-19 and libclang-rt-19-dev are needed (fuzz/deps.txt)"
	secs=$(atf_config_get fuzz_seconds "${FUZZ_CHECK_SECONDS:-3}")
	mkdir corpus tmp
	[ -n "$(ls "$KVMGATE_TOP/fuzz/corpus/$t")" ] || atf_fail "fuzz/corpus/$t has no seeds"
	if ! TMPDIR=$PWD/tmp "$prog" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
		-artifact_prefix="$PWD/" corpus "$KVMGATE_TOP/fuzz/corpus/$t" >log 2>&1; then
		grep -m 5 -E 'ERROR|SUMMARY|runtime error|left behind' log
		atf_fail "fuzz/$t failed: $(grep -m 1 -E 'ERROR|runtime error|left behind' log)"
	fi
	# every seed was run (libFuzzer prints INITED after the whole seed corpus)
	grep -q 'INITED' log || atf_fail "fuzz/$t did not run its seeds: $(tail -n 1 log)"
	[ -z "$(ls tmp)" ] || atf_fail "fuzz/$t left $(ls tmp | head -n 3) in TMPDIR"
	grep -E '^#[0-9]+.*(DONE|pulse)' log | tail -n 1
}

for t in manifest rust allow pahole elf kfile; do
	eval "atf_test_case $t
${t}_head() { atf_set descr 'fuzz_$t: its seeds and a few seconds of new inputs, no crash'; atf_set timeout 120; }
${t}_body() { fuzz_one fuzz_$t; }"
done

atf_init_test_cases() {
	for t in manifest rust allow pahole elf kfile; do
		atf_add_test_case $t
	done
}
