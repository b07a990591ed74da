#! /usr/bin/env atf-sh
# outset_test.sh - `kvmgate gen -o OUTDIR` replaces its output set as a whole or not at all
# (bindings/util/outset.h): SIGINT and SIGTERM sent at many points of a gen, and while the set
# is put in place, leave OUTDIR wholly the old set or wholly the new one, nothing beside it and
# nothing in TMPDIR; a failed write leaves no OUTDIR behind.

KVMGATE_TOP=$(cd "$(atf_get_srcdir)/.." && pwd) && . "$KVMGATE_TOP/bindings/util/shlib.sh"

SET="bindings.rs kvm_abi.h layout layout.dwarf layout.h"

# bg_gen ARGS...: gen in the background with SIGINT and SIGTERM at their defaults (a shell starts
# a background job with SIGINT ignored, and kvmgate keeps an ignored signal ignored); PID = its pid
bg_gen() {
	$SIG_DEFAULTS TMPDIR=$PWD/tmp "$(kg)" gen "$@" 2>log &
	PID=$!
}

# check_whole DIR: every file of the set names the same kernel label (old or new), the set is
# complete and nothing else is in DIR but what the test put there (keep.txt); LABEL = the label.
check_whole() {
	names=$(ls -A "$1" | tr '\n' ' ')
	[ "$names" = "bindings.rs keep.txt kvm_abi.h layout layout.dwarf layout.h " ] ||
		atf_fail "$1 holds '$names'"
	labels=$(for f in $SET; do grep -o 'set-old\|set-new' "$1/$f" | head -n 1; done | sort -u)
	[ "$labels" = set-old ] || [ "$labels" = set-new ] ||
		atf_fail "$1 is a mix: $(for f in $SET; do printf '%s=%s ' $f $(grep -o 'set-old\|set-new' "$1/$f" | head -n 1); done)"
	[ "$(cat "$1/keep.txt")" = kept ] || atf_fail "$1/keep.txt was lost"
	LABEL=$labels
}

# check_clean: no staging directory beside OUTDIR, nothing left in TMPDIR
check_clean() {
	left=$(ls -A | grep -v '^out$\|^tmp$\|^log$\|^err$' || true)
	[ -z "$left" ] || atf_fail "left beside OUTDIR: $left"
	[ -z "$(ls -A tmp)" ] || atf_fail "left in TMPDIR: $(ls -A tmp | head -n 3)"
}

old_set() {
	mkdir -p tmp
	atf_check -s exit:0 -e ignore env TMPDIR=$PWD/tmp "$(kg)" gen --arch x86_64 --kernel set-old -o out
	echo kept > out/keep.txt
}

atf_test_case gen_signal_sweep
gen_signal_sweep_head() {
	atf_set descr 'SIGINT and SIGTERM at 40 points of a gen (DWARF check included): OUTDIR wholly old or wholly new, nothing left in TMPDIR or beside OUTDIR'
	atf_set require.progs 'gcc pahole'
	atf_set timeout 600
}
gen_signal_sweep_body() {
	old_set
	kg=$(kg)
	# how long one gen takes here: the sweep spreads its signals over it (and a little past)
	t0=$(date +%s%N)
	env TMPDIR=$PWD/tmp "$kg" gen --arch x86_64 --kernel set-old -o out 2>/dev/null ||
		atf_fail "gen failed"
	span=$(( ($(date +%s%N) - t0) / 1000 * 12 / 10 ))	# µs, +20%
	old=0 new=0
	for sig in INT TERM; do
		for k in $(seq 0 19); do
			rm -rf out && old_set
			d=$(( span * k / 19 ))
			bg_gen --arch x86_64 --kernel set-new -o out
			pid=$PID
			sleep "$(printf '%d.%06d' $((d / 1000000)) $((d % 1000000)))"
			kill -$sig $pid 2>/dev/null
			wait $pid
			st=$?
			check_whole out
			check_clean
			label=$LABEL
			case $st:$label in
			0:set-new) new=$((new + 1)) ;;
			130:set-old|143:set-old) old=$((old + 1)); eval "old_$sig=1" ;;
			130:set-new|143:set-new) new=$((new + 1)) ;;	# arrived in the commit: held, then died
			*) atf_fail "SIG$sig after ${d}us: exit $st with the $label set ($(cat log))" ;;
			esac
		done
	done
	echo "40 signals: $old left the old set, $new the new one"
	[ -n "${old_INT:-}" ] && [ -n "${old_TERM:-}" ] ||
		atf_fail "SIGINT or SIGTERM never arrived before the commit: the sweep proves nothing"
}

atf_test_case gen_signal_in_commit
gen_signal_in_commit_head() {
	atf_set descr 'SIGINT or SIGTERM while the set is put in place (a test hook stretches that window): held until the new set is whole, then the process dies of it'
	atf_set require.progs 'gcc pahole'
}
gen_signal_in_commit_body() {
	kg=$(kg)
	for sig in INT TERM; do
		for fresh in no yes; do
			rm -rf out
			if [ $fresh = no ]; then old_set; else mkdir -p tmp; fi
			export KVMGATE_TEST_COMMIT_DELAY_MS=1500
			bg_gen --arch x86_64 --kernel set-new -o out
			unset KVMGATE_TEST_COMMIT_DELAY_MS
			pid=$PID
			# the staging directory complete: the commit is under way
			n=0
			until ls .out.kvmgate-*/layout.dwarf >/dev/null 2>&1; do
				n=$((n + 1))
				[ $n -lt 500 ] || atf_fail "no staging directory appeared"
				sleep 0.02
			done
			sleep 0.2
			kill -$sig $pid
			wait $pid
			st=$?
			[ $st -eq 130 ] || [ $st -eq 143 ] || atf_fail "SIG$sig in the commit: exit $st ($(cat log))"
			[ $fresh = yes ] && echo kept > out/keep.txt
			check_whole out
			[ "$LABEL" = set-new ] || atf_fail "SIG$sig in the commit: not the new set"
			check_clean
		done
	done
}

atf_test_case gen_signal_at_each_syscall
gen_signal_at_each_syscall_head() {
	atf_set descr 'strace injects SIGINT, SIGTERM or SIGHUP at the Nth rename, link, unlink, mkdir, rmdir or chmod of a gen (N = 1..8): OUTDIR wholly old or wholly new, nothing left'
	atf_set require.progs 'gcc pahole strace'
	atf_set timeout 600
}
gen_signal_at_each_syscall_body() {
	kg=$(kg)
	calls=rename,renameat,renameat2,link,linkat,unlink,unlinkat,mkdir,mkdirat,rmdir,chmod,fchmodat
	hits=0
	for sig in INT TERM HUP; do
		for n in 1 2 3 4 5 6 7 8; do
			rm -rf out && old_set
			TMPDIR=$PWD/tmp strace -o /dev/null -e trace=$calls \
				-e inject=$calls:signal=SIG$sig:when=$n \
				"$kg" gen --arch x86_64 --kernel set-new -o out 2>log
			st=$?
			check_whole out
			check_clean
			case $st:$LABEL in
			0:set-new) ;;
			129:*|130:*|143:*) hits=$((hits + 1)) ;;
			*) atf_fail "SIG$sig at call $n: exit $st with the $LABEL set ($(tail -n 1 log))" ;;
			esac
		done
	done
	echo "24 runs, $hits ended by the signal"
	[ $hits -gt 0 ] || atf_fail "no injected signal arrived: the case proves nothing"
}

atf_test_case gen_write_fails
gen_write_fails_head() {
	atf_set descr 'A write that fails (file size limit: EFBIG): exit 2, one line naming the file; a new OUTDIR is not left behind, an old one is untouched'
}
gen_write_fails_body() {
	kg=$(kg)
	mkdir tmp
	# SIGXFSZ ignored, so that write(2) fails with EFBIG instead of killing the process
	atf_check -s exit:2 -o empty -e save:err sh -c "trap '' XFSZ; ulimit -f 64; TMPDIR=$PWD/tmp exec '$kg' gen --arch x86_64 --no-dwarf -o out"
	[ "$(wc -l < err)" -eq 1 ] || atf_fail "not one line: $(cat err)"
	grep -q '^kvmgate: .*out/[a-z._]*: cannot write: File too large$' err || atf_fail "$(cat err)"
	[ ! -e out ] || atf_fail "a new OUTDIR was left behind: $(ls -A out)"
	check_clean
	atf_check -s exit:0 -e ignore env TMPDIR=$PWD/tmp "$kg" gen --arch x86_64 --kernel set-old -o out
	echo kept > out/keep.txt
	atf_check -s exit:2 -o empty -e ignore sh -c "trap '' XFSZ; ulimit -f 64; TMPDIR=$PWD/tmp exec '$kg' gen --arch x86_64 --kernel set-new -o out"
	check_whole out
	[ "$LABEL" = set-old ] || atf_fail "the old set was touched"
	check_clean
}

atf_test_case gen_outdir_forms
gen_outdir_forms_head() {
	atf_set descr 'OUTDIR as the working directory and through a symlink: replaced in place, what else it holds is kept, a name of the set this run does not write (layout.dwarf with --no-dwarf) is dropped'
}
gen_outdir_forms_body() {
	kg=$(kg)
	mkdir tmp
	old_set
	mkdir out/sub && echo s > out/sub/f
	atf_check -s exit:0 -e ignore sh -c "cd out && TMPDIR=$PWD/tmp exec '$kg' gen --arch x86_64 --no-dwarf --kernel set-new -o ."
	[ "$(ls -A out | tr '\n' ' ')" = "bindings.rs keep.txt kvm_abi.h layout layout.h sub " ] ||
		atf_fail "out holds $(ls -A out | tr "\n" " ")"
	[ "$(cat out/sub/f)" = s ] || atf_fail "out/sub lost"
	grep -q set-new out/layout || atf_fail "not replaced"
	ln -s out link
	atf_check -s exit:0 -e ignore env TMPDIR=$PWD/tmp "$kg" gen --arch x86_64 --kernel set-old -o link
	[ -L link ] || atf_fail "the symlink was replaced by a directory"
	grep -q set-old out/layout.dwarf || atf_fail "not written through the symlink"
	[ "$(cat out/sub/f)" = s ] || atf_fail "out/sub lost"
	rm link
	check_clean
}

atf_init_test_cases() {
	atf_add_test_case gen_signal_sweep
	atf_add_test_case gen_signal_in_commit
	atf_add_test_case gen_signal_at_each_syscall
	atf_add_test_case gen_write_fails
	atf_add_test_case gen_outdir_forms
}
