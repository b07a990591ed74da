#! /usr/bin/env atf-sh
# vmimages/guest_test.sh - template of vmimages/guest_<arch>_<kernel>_test (build.mk fills in
# @ARCH@, @KERNEL@, @KERNELS@, @TOP@, @B@, @CACHE@ and @PROGS@): the conformance suite as run
# inside the @ARCH@ guest with Debian's @KERNEL@ kernel, one host test case per guest test case,
# named <program>__<case>; the program's name, every description and every message carry the arch
# and the kernel (and the release the guest ran, once it ran). A kernel series not in
# KVMGATE_GUEST_KERNELS (@KERNELS@) is not booted: its cases are skipped, saying so. The case list
# is the conformance programs' own (listed natively, which needs no /dev/kvm); a program of this
# arch only that is not built natively (arm64's on an x86_64 host) gives the ATF_TP_ADD_TC lines of
# its source. The guest boots once: `make check` boots it before kyua runs (make vmimages-run);
# otherwise the first case boots it, under a lock, and the others read its results. A guest that
# did not run the suite (boot failure, panic, timeout, no /dev/kvm) fails every case, with the
# console's last lines on stderr.
ARCH=@ARCH@
KERNEL=@KERNEL@
KERNELS="@KERNELS@"
TOP=@TOP@
B=@B@
PROGS="@PROGS@"
# kyua gives each test case its own HOME: the cache is the one the build used.
export KVMGATE_CACHE=${KVMGATE_CACHE:-@CACHE@}
IMG=$B/vmimages/${ARCH}_$KERNEL
RES=${KVMGATE_GUEST_RESULTS:-$IMG/results}
# "x86_64 guest, Linux 6.12": how messages name this guest; with the release once it is known
GUEST="$ARCH guest, Linux $KERNEL"

case "$ARCH" in
x86_64) QEMU=qemu-system-x86_64 ;;
arm64) QEMU=qemu-system-aarch64 ;;
esac

# guest_results: make sure $RES holds results of the current image, booting the guest if not.
guest_results()
{
	case " $KERNELS " in
	*" $KERNEL "*) ;;
	*) atf_skip "$GUEST: not booted (KVMGATE_GUEST_KERNELS=\"$KERNELS\")" ;;
	esac
	if [ -r "$IMG/build-status" ] && [ "$(cat "$IMG/build-status")" != ok ]; then
		echo "$GUEST image build, last lines ($IMG/build.log):" >&2
		tail -n 20 "$IMG/build.log" >&2
		atf_fail "$GUEST: $(sed 's/^fail: //' "$IMG/build-status")"
	fi
	[ -r "$IMG/image.env" ] || atf_fail "no $GUEST image in $IMG (make vmimages)"
	id=$(sed -n 's/^IMAGE_ID=//p' "$IMG/image.env")
	exec 9> "$IMG/lock"
	flock 9 || atf_fail "cannot lock $IMG/lock"
	if [ "$(cat "$RES/image-id" 2>/dev/null)" != "$id" ]; then
		bash "$TOP/vmimages/run-guest.sh" "$ARCH" "$IMG" "$RES"
	fi
	exec 9>&-
	[ -r "$RES/host-status" ] || atf_fail "$GUEST: no results in $RES"
	[ -s "$RES/kernel-release" ] && GUEST="$GUEST ($(cat "$RES/kernel-release"))"
}

# case_report PROG CASE: the verbose kyua report of one guest case.
case_report()
{
	awk -v id="===> conformance/$1:$2" '
		$0 == id { on = 1; next }
		on && /^===> / { exit }
		on { print }' "$RES/report.txt" 2>/dev/null
}

guest_head()
{
	descr=
	[ -x "$TOP/conformance/$1" ] && descr=$("$TOP/conformance/$1" -l 2>/dev/null | awk -v c="$2" '
		$1 == "ident:" { cur = $2 }
		cur == c && $1 == "descr:" { sub(/^descr: /, ""); print; exit }')
	atf_set descr "$ARCH guest, Linux $KERNEL: ${descr:-conformance/$1:$2}"
	atf_set require.progs "$QEMU"
	atf_set timeout 600
}

guest_body()
{
	guest_results
	st=$(cat "$RES/host-status")
	if [ "$st" != ok ]; then
		echo "$GUEST console, last lines ($RES/console.log):" >&2
		tail -n 40 "$RES/console.log" >&2
		atf_fail "$GUEST did not run conformance/$1:$2: ${st#fail: }"
	fi
	line=$(grep -F "conformance/$1:$2  ->  " "$RES/cases.txt" | head -n 1)
	[ -n "$line" ] || atf_fail "$GUEST did not run conformance/$1:$2 (not in its kyua results)"
	res=${line#*  ->  }
	res=${res% \[*\]}
	res=$(echo "$res" | sed 's/[[:space:]]*$//')
	case "$res" in
	passed) ;;
	skipped*) atf_skip "$GUEST: ${res#skipped: }" ;;
	expected_failure*)
		atf_expect_fail "$GUEST: ${res#expected_failure: }"
		atf_fail "expected failure" ;;
	*)
		case_report "$1" "$2" >&2
		atf_fail "$GUEST: $res" ;;
	esac
}

list_failed_head() { atf_set descr "the conformance programs list their cases"; }
list_failed_body() { atf_fail "cannot list the cases of conformance/{$PROGS} (run make)"; }

atf_init_test_cases()
{
	for p in $PROGS; do
		if [ -x "$TOP/conformance/$p" ]; then
			cases=$("$TOP/conformance/$p" -l 2>/dev/null | sed -n 's/^ident: //p')
		else	# another arch's program, not built here: the cases its source registers
			cases=$(sed -n 's/^[[:space:]]*ATF_TP_ADD_TC(tp, *\([A-Za-z0-9_]*\));.*/\1/p' \
				"$TOP/conformance/$p.c" 2>/dev/null)
		fi
		if [ -z "$cases" ]; then
			atf_add_test_case list_failed
			continue
		fi
		for c in $cases; do
			eval "${p}__${c}_head() { guest_head $p $c; }"
			eval "${p}__${c}_body() { guest_body $p $c; }"
			atf_add_test_case "${p}__${c}"
		done
	done
}
