#! /usr/bin/env atf-sh
# child_test.sh - the children of dwarf/ (pahole, the compiler of the probe, the decompressors of
# kernel images) run with a time limit, and a signal to kvmgate stops them and removes what they
# were writing: a hung child is an error naming the program and the file, a SIGTERM or SIGINT
# during an unpack leaves nothing in TMPDIR and no child behind.

. "$(atf_get_srcdir)/common.sh"

make_btf() {
	printf 'struct kvm_regs { unsigned long long rax, rbx; };\nstruct kvm_regs r;\n' > t.c
	atf_check -s exit:0 gcc -g -c -o t.o t.c
	atf_check -s exit:0 -o ignore -e ignore pahole -J --btf_encode_detached=t.btf t.o
}

# A fake program that records its pid and hangs.
fake_hang() {
	printf '#!/bin/sh\necho $$ > %s/%s.pid\nexec sleep 60\n' "$PWD" "$2" > "$1"
	chmod +x "$1"
}

gone() {
	! kill -0 "$(cat "$1")" 2>/dev/null
}

atf_test_case pahole_hangs
pahole_hangs_head() {
	atf_set descr 'A pahole that never answers is killed after KVMGATE_CHILD_TIMEOUT seconds: exit 2, one line naming the file and the program'
	atf_set require.progs 'gcc pahole'
	atf_set timeout 60
}
pahole_hangs_body() {
	make_btf
	fake_hang fake-pahole pahole
	atf_check -s exit:2 -o empty -e save:err env KVMGATE_CHILD_TIMEOUT=2 \
		KVMGATE_PAHOLE=$PWD/fake-pahole "$(kg)" dump --from btf t.btf
	[ "$(wc -l < err)" -eq 1 ] || atf_fail "not one line: $(cat err)"
	atf_check -o ignore grep '^kvmgate: t.btf: .*fake-pahole: no answer after 2 s, killed' err
	gone pahole.pid || atf_fail "the hung pahole was left running"
}

atf_test_case gen_pahole_hangs
gen_pahole_hangs_head() {
	atf_set descr 'gen whose DWARF check meets a pahole that never answers: exit 2 after the limit naming pahole, no OUTDIR, nothing in TMPDIR (it hung for ever)'
	atf_set require.progs gcc
	atf_set timeout 60
}
gen_pahole_hangs_body() {
	mkdir tmp
	fake_hang fake-pahole pahole
	atf_check -s exit:2 -o empty -e save:err env TMPDIR=$PWD/tmp KVMGATE_CHILD_TIMEOUT=2 \
		KVMGATE_PAHOLE=$PWD/fake-pahole "$(kg)" gen --arch x86_64 -o out
	[ "$(wc -l < err)" -eq 1 ] || atf_fail "not one line: $(cat err)"
	atf_check -o ignore grep 'fake-pahole: no answer after 2 s, killed' err
	[ ! -e out ] || atf_fail "gen left out/"
	[ -z "$(ls -A tmp)" ] || atf_fail "left in TMPDIR: $(ls -A tmp)"
	gone pahole.pid || atf_fail "the hung pahole was left running"
}

atf_test_case decompressor_hangs
decompressor_hangs_head() {
	atf_set descr 'An xz that never answers on a bzImage payload is killed after the limit: exit 2 naming the image and xz, nothing left in TMPDIR'
	atf_set timeout 60
}
decompressor_hangs_body() {
	mkdir bin tmp
	fake_hang bin/xz xz
	atf_check -s exit:2 -o empty -e save:err env PATH=$PWD/bin:$PATH TMPDIR=$PWD/tmp \
		KVMGATE_CHILD_TIMEOUT=2 "$(kg)" dump --from btf "$KVMGATE_TOP/fuzz/corpus/fuzz_kfile/bzImage-xz"
	atf_check -o ignore grep 'bzImage-xz: xz -dc: no answer after 2 s, killed' err
	[ -z "$(ls -A tmp)" ] || atf_fail "left in TMPDIR: $(ls -A tmp)"
	gone xz.pid || atf_fail "the hung xz was left running"
}

atf_test_case signal_during_unpack
signal_during_unpack_head() {
	atf_set descr 'SIGTERM, SIGINT or SIGHUP while a kernel image is unpacked: kvmgate dies of it, its xz is stopped, TMPDIR is empty'
	atf_set timeout 120
}
signal_during_unpack_body() {
	mkdir bin tmp
	fake_hang bin/xz xz
	for sig in TERM INT HUP; do
		rm -f xz.pid
		# signals at their defaults: a shell starts a background job with SIGINT ignored
		$SIG_DEFAULTS PATH=$PWD/bin:$PATH TMPDIR=$PWD/tmp "$(kg)" \
			dump --from btf "$KVMGATE_TOP/fuzz/corpus/fuzz_kfile/bzImage-xz" >/dev/null 2>&1 &
		pid=$!
		n=0
		until [ -s xz.pid ]; do
			n=$((n + 1))
			[ $n -lt 500 ] || atf_fail "xz never started"
			sleep 0.02
		done
		[ -n "$(ls -A tmp)" ] || atf_fail "no temporary directory while unpacking: the case proves nothing"
		kill -$sig $pid
		wait $pid
		st=$?
		case $sig:$st in
		TERM:143|INT:130|HUP:129) ;;
		*) atf_fail "SIG$sig: exit $st" ;;
		esac
		[ -z "$(ls -A tmp)" ] || atf_fail "SIG$sig left in TMPDIR: $(ls -A tmp)"
		gone xz.pid || atf_fail "SIG$sig left xz running"
	done
}

atf_init_test_cases() {
	atf_add_test_case pahole_hangs
	atf_add_test_case gen_pahole_hangs
	atf_add_test_case decompressor_hangs
	atf_add_test_case signal_during_unpack
}
