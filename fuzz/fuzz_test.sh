#! /usr/bin/env atf-sh
# fuzz_test.sh - a short run of each libFuzzer harness (fuzz/README.md) inside `make check`:
# every seed of fuzz/corpus/<target>/ (regression seeds included) and of the folders
# fuzz/seed-dirs.txt adds (bindings/rust/testdata/ for fuzz_rust) is run first, then a few seconds
# of new inputs (FUZZ_CHECK_SECONDS, default 3; the kyua config variable fuzz_seconds overrides).
# A crash, a sanitizer report, a leak or a file left in TMPDIR fails the case.

KVMGATE_TOP=$(cd "$(atf_get_srcdir)/.." && pwd) && . "$KVMGATE_TOP/bindings/util/shlib.sh"

fuzz_one() {
	t=$1
	prog=$KVMGATE_TOP/fuzz/$t
	[ -x "$prog" ] || atf_skip "fuzz/$t not built: clang-19 and libclang-rt-19-dev are needed (fuzz/deps.txt)"
	secs=$(atf_config_get fuzz_seconds "${FUZZ_CHECK_SECONDS:-3}")
	mkdir corpus tmp
	dirs=$(fuzz_seed_dirs "$t")
	for d in $dirs; do
		[ -n "$(ls "$d")" ] || atf_fail "$d: no seeds"
	done
	# shellcheck disable=SC2086
	if ! TMPDIR=$PWD/tmp "$prog" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
		-artifact_prefix="$PWD/" corpus $dirs >log 2>&1; then
		grep -m 5 -E 'ERROR|SUMMARY|runtime error|left behind' log
		atf_fail "fuzz/$t failed: $(grep -m 1 -E 'ERROR|runtime error|left behind' log)"
	fi
	# every seed was run: libFuzzer counts the files of all the folders, and prints INITED after
	# the whole seed corpus
	# shellcheck disable=SC2086
	n=$(find $dirs -type f | wc -l)
	grep -q "^INFO: seed corpus: files: $n " log ||
		atf_fail "fuzz/$t did not read the $n seeds of $(echo $dirs): $(grep -m 1 'seed corpus' log)"
	grep -q 'INITED' log || atf_fail "fuzz/$t did not run its seeds: $(tail -n 1 log)"
	[ -z "$(ls tmp)" ] || atf_fail "fuzz/$t left $(ls tmp | head -n 3) in TMPDIR"
	grep -E '^#[0-9]+.*(DONE|pulse)' log | tail -n 1
}

for t in manifest rust allow pahole elf kfile macro; do
	eval "atf_test_case $t
${t}_head() { atf_set descr 'fuzz_$t: its seeds and a few seconds of new inputs, no crash'; atf_set timeout 120; }
${t}_body() { fuzz_one fuzz_$t; }"
done

atf_init_test_cases() {
	for t in manifest rust allow pahole elf kfile macro; do
		atf_add_test_case $t
	done
}
