#! /usr/bin/env atf-sh
# conformance/mutation_test.sh - a wrong binding fails a named live case. Each case copies the
# installed UAPI headers of an arch into a headers tree, mutates one fact in the copy (two
# kvm_regs fields swapped; kvm_regs grown, so KVM_GET_REGS/KVM_SET_REGS encode another size; an
# exit reason's value; two kvm_segment fields, two kvm_sregs control registers swapped; arm64:
# user_pt_regs.pc and .pstate swapped, .sp and .pc swapped, .sp moved before .regs[], a changed
# KVM_REG_ARM_CORE), builds the conformance programs against the bindings of the copy and of the
# unmutated copy (make BINDINGS_<arch>=TREE in a scratch build dir, the guest build of the
# programs), runs both through kyua on the host's /dev/kvm or in a guest booted from a scratch
# image (vmimages/), and requires the named case to pass with the unmutated bindings and to fail
# with the mutated ones.

TOP=$(cd "$(atf_get_srcdir)/.." && pwd)
# the guests boot the first kernel series of vmimages/kernels.txt (6.1): guest <arch>_<series>
SERIES=$(sed -n '/^[0-9]/{s/\t.*//p;q}' "$TOP/vmimages/kernels.txt")

# tree ARCH DIR: the installed UAPI headers of ARCH as a headers_install tree
tree() {
	case $1 in
	x86_64) inc=/usr/include asm=/usr/include/x86_64-linux-gnu/asm ;;
	arm64) inc=/usr/aarch64-linux-gnu/include asm=/usr/aarch64-linux-gnu/include/asm ;;
	esac
	mkdir -p "$2/include" || atf_fail "mkdir $2/include"
	cp -r "$inc/linux" "$inc/asm-generic" "$2/include/" && cp -r "$asm" "$2/include/asm" ||
		atf_fail "cannot copy the $1 headers"
}

# mutate NAME DIR: one wrong fact in the tree DIR
mutate() {
	case $1 in
	regs_swap)	# x86_64 kvm_regs: rax and rbx trade places
		f=asm/kvm.h e='s/^\t__u64 rax, rbx, rcx, rdx;$/\t__u64 rbx, rax, rcx, rdx;/' ;;
	regs_grown)	# x86_64 kvm_regs 8 bytes longer: _IOR(KVMIO, 0x81, struct kvm_regs) changes
		f=asm/kvm.h e='s/^\t__u64 rip, rflags;$/&\n\t__u64 kvmgate_grown;/' ;;
	exit_io)	# KVM_EXIT_IO 2 -> 127
		f=linux/kvm.h e='s/^\(#define KVM_EXIT_IO  *\)2$/\1127/' ;;
	pc_pstate)	# arm64 user_pt_regs: pc and pstate trade places
		f=asm/ptrace.h e='s/^\t__u64\t\tpc;$/\t__u64\t\tPSTATE_TMP;/; s/^\t__u64\t\tpstate;$/\t__u64\t\tpc;/; s/PSTATE_TMP/pstate/' ;;
	seg_g_avl)	# x86_64 kvm_segment: g and avl trade places
		f=asm/kvm.h e='s/^\t__u8  present, dpl, db, s, l, g, avl;$/\t__u8  present, dpl, db, s, l, avl, g;/' ;;
	sregs_cr2_cr8)	# x86_64 kvm_sregs (not kvm_sregs2): cr2 and cr8 trade places
		f=asm/kvm.h e='0,/^\t__u64 cr0, cr2, cr3, cr4, cr8;$/s//\t__u64 cr0, cr8, cr3, cr4, cr2;/' ;;
	sp_pc)		# arm64 user_pt_regs: sp and pc trade places
		f=asm/ptrace.h e='s/^\t__u64\t\tsp;$/\t__u64\t\tSP_TMP;/; s/^\t__u64\t\tpc;$/\t__u64\t\tsp;/; s/SP_TMP/pc/' ;;
	reg_arm_core)	# arm64 KVM_REG_ARM_CORE 0x0010 -> 0x0011 (KVM_REG_ARM_DEMUX's coprocessor)
		f=asm/kvm.h e='s/^\(#define KVM_REG_ARM_CORE[[:space:]]*(\)0x0010\( << KVM_REG_ARM_COPROC_SHIFT)\)$/\10x0011\2/' ;;
	regs_sp)	# arm64 user_pt_regs: sp moves before regs[31], so x<n> is x<n+1>
		f=asm/ptrace.h e='s/^\t__u64\t\tregs\[31\];$/\t__u64\t\tSP_TMP;/; s/^\t__u64\t\tsp;$/\t__u64\t\tregs[31];/; s/SP_TMP/sp/' ;;
	exit_mmio)	# KVM_EXIT_MMIO 6 -> 126
		f=linux/kvm.h e='s/^\(#define KVM_EXIT_MMIO  *\)6$/\1126/' ;;
	*) atf_fail "unknown mutation $1" ;;
	esac
	cp "$2/include/$f" orig.h
	sed -i "$e" "$2/include/$f"
	[ "$(diff orig.h "$2/include/$f" | grep -c '^>')" -ge 1 ] || atf_fail "mutation $1 did not apply to $f"
	diff orig.h "$2/include/$f" | sed "s|^|$1 $f: |"
	rm -f orig.h
}

# build ARCH TREE BDIR [image]: the guest build of the conformance programs against the
# bindings of TREE, in the scratch build dir BDIR (the generator is the tree's); with "image", the
# guest image of those programs too
build() {
	arch=$1 t=$2 bdir=$3
	progs=$(sed -n '/-- host only/d; s/.*atf_test_program{name="\([^"]*\)".*/\1/p' \
		"$TOP/conformance/Kyuafile")
	# the x86_64-only programs, listed in the Kyuafile's loop
	[ "$arch" = x86_64 ] && progs="$progs $(grep -o '"x86_[a-z0-9_]*_test"' \
		"$TOP/conformance/Kyuafile" | tr -d '"')"
	targets="$bdir/guest/$arch/conformance/Kyuafile"
	for p in $progs; do
		targets="$targets $bdir/guest/$arch/conformance/$p"
	done
	[ "${4:-}" = image ] && targets="$targets $bdir/vmimages/${arch}_$SERIES/image.env"
	(unset MAKEFLAGS MFLAGS MAKELEVEL; make -C "$TOP" -j2 B="$bdir" KVMGATE_BIN="$TOP/kvmgate" \
		BINDINGS_$arch="$t" $targets) > "$bdir.build.log" 2>&1 ||
		atf_fail "build against $t failed: $(grep -v '^make' "$bdir.build.log" | tail -n 3)"
	grep -q "^#include <linux/types.h>" "$bdir/abi/$arch/kvm_abi.h" ||
		atf_fail "no kvm_abi.h in $bdir/abi/$arch"
}

# host_result BDIR PROG CASE: kyua's result line of PROG:CASE run on this host
host_result() {
	(cd "$1/guest/x86_64/conformance" && rm -f results.db &&
	 kyua test --results-file="$PWD/results.db" "$2:$3" > /dev/null 2>&1
	 kyua report --results-file="$PWD/results.db" \
		--results-filter=passed,skipped,xfail,broken,failed > report.txt 2>&1
	 kyua report --results-file="$PWD/results.db" --verbose > verbose.txt 2>&1)
	grep -F "$2:$3  ->  " "$1/guest/x86_64/conformance/report.txt" | head -n 1
}

# guest_result ARCH BDIR PROG CASE: the same, from a boot of the ARCH guest of BDIR's image that
# runs PROG alone (kvmgate.only: a mutated guest's cases may each run to KVM_RUN's watchdog, and
# the whole suite would not finish); one boot per program. A guest that did not run it answers
# its host-status (the caller's "no result" then says why).
guest_result() {
	res=$2/results-$3
	[ -d "$res" ] || KVMGATE_GUEST_APPEND="kvmgate.only=conformance/$3" \
		KVMGATE_BOOT_TIMEOUT=${KVMGATE_BOOT_TIMEOUT:-600} \
		bash "$TOP/vmimages/run-guest.sh" "$1" "$2/vmimages/${1}_$SERIES" "$res" 2> "$2.boot.log"
	if [ "$(cat "$res/host-status" 2>/dev/null)" != ok ]; then
		echo "$1 guest of $2 did not run conformance/$3: $(cat "$res/host-status" 2>/dev/null)"
		return
	fi
	grep -F "conformance/$3:$4  ->  " "$res/cases.txt" | head -n 1
}

# expect WHERE GOOD BAD PROG CASE: PROG:CASE passes on the unmutated build GOOD, fails on BAD
expect() {
	where=$1 good=$2 bad=$3 prog=$4 case=$5
	if [ "$where" = host ]; then
		g=$(host_result "$good" "$prog" "$case")
		b=$(host_result "$bad" "$prog" "$case")
	else
		g=$(guest_result "$where" "$good" "$prog" "$case")
		b=$(guest_result "$where" "$bad" "$prog" "$case")
	fi
	echo "unmutated: $g"
	echo "mutated:   $b"
	# the mutated run's check failures, as kyua recorded them
	awk -v id="===> $([ "$where" = host ] || echo conformance/)$prog:$case" '
		$0 == id { on = 1; next }
		on && /^===> / { exit }
		on && /^\*\*\* / { print "  mutated: " $0 }' \
		"$([ "$where" = host ] && echo "$bad/guest/x86_64/conformance/verbose.txt" ||
		   echo "$bad/results-$prog/report.txt")" | head -n 8
	case $g in
	*"  ->  passed"*) ;;
	*) atf_fail "$prog:$case does not pass with the unmutated bindings: ${g:-no result}" ;;
	esac
	case $b in
	*"  ->  failed"*) ;;
	*) atf_fail "$prog:$case did not fail with the mutated bindings: ${b:-no result}" ;;
	esac
}

# mutant ARCH NAME [image]: scratch builds good/ and bad/ of ARCH, bad/ with mutation NAME
mutant() {
	ma=$1
	tree "$ma" good-tree
	tree "$ma" bad-tree
	mutate "$2" "$PWD/bad-tree"
	shift 2
	build "$ma" "$PWD/good-tree" "$PWD/good" "${1:-}"
	build "$ma" "$PWD/bad-tree" "$PWD/bad" "${1:-}"
}

host_case() {
	mutant x86_64 "$1"
	shift
	for c in "$@"; do
		expect host "$PWD/good" "$PWD/bad" kvm_basic_test "$c"
	done
}

guest_case() {
	arch=$1 m=$2
	shift 2
	mutant "$arch" "$m" image
	for c in "$@"; do
		expect "$arch" "$PWD/good" "$PWD/bad" kvm_basic_test "$c"
	done
}

# sregs_host_case MUTATION CASE...: the x86_regs_test cases on /dev/kvm
sregs_host_case() {
	mutant x86_64 "$1"
	shift
	for c in "$@"; do
		expect host "$PWD/good" "$PWD/bad" x86_regs_test "$c"
	done
}

# guest_prog_case ARCH MUTATION PROG CASE...: guest_case for the cases of another program
guest_prog_case() {
	arch=$1 m=$2 prog=$3
	shift 3
	mutant "$arch" "$m" image
	for c in "$@"; do
		expect "$arch" "$PWD/good" "$PWD/bad" "$prog" "$c"
	done
}

host_head() {
	atf_set descr "$1"
	atf_set require.files /dev/kvm
	atf_set require.progs "gcc kyua"
	atf_set timeout 300
}

guest_head() {
	atf_set descr "$2"
	atf_set require.progs "$1 kyua"
	atf_set timeout 900
}

atf_test_case host_regs_swap
host_regs_swap_head() { host_head 'kvm_regs with rax/rbx swapped fails kvm_basic_test:regs_guest_add on /dev/kvm'; }
host_regs_swap_body() { host_case regs_swap regs_guest_add; }

atf_test_case host_regs_grown
host_regs_grown_head() { host_head 'kvm_regs grown by 8 bytes (KVM_GET_REGS/KVM_SET_REGS encode 152) fails kvm_basic_test:regs_guest_add and run_exit_decode on /dev/kvm'; }
host_regs_grown_body() { host_case regs_grown regs_guest_add run_exit_decode; }

atf_test_case host_exit_io
host_exit_io_head() { host_head 'KVM_EXIT_IO changed from 2 to 127 fails kvm_basic_test:run_exit_decode on /dev/kvm'; }
host_exit_io_body() { host_case exit_io run_exit_decode; }

atf_test_case host_segment_swap
host_segment_swap_head() { host_head 'kvm_segment with g/avl swapped fails x86_regs_test:sregs_guest_view and sregs2_guest_view on /dev/kvm'; }
host_segment_swap_body() { sregs_host_case seg_g_avl sregs_guest_view sregs2_guest_view; }

atf_test_case host_sregs_cr_swap
host_sregs_cr_swap_head() { host_head 'kvm_sregs with cr2/cr8 swapped fails x86_regs_test:sregs_guest_view on /dev/kvm'; }
host_sregs_cr_swap_body() { sregs_host_case sregs_cr2_cr8 sregs_guest_view; }

atf_test_case guest_x86_64_sregs_swaps
guest_x86_64_sregs_swaps_head() { guest_head qemu-system-x86_64 'x86_64 guest: kvm_segment with g/avl swapped fails x86_regs_test:sregs_guest_view and sregs2_guest_view, kvm_sregs with cr2/cr8 swapped fails sregs_guest_view'; }
guest_x86_64_sregs_swaps_body() {
	tree x86_64 good-tree
	tree x86_64 seg-tree
	tree x86_64 cr-tree
	mutate seg_g_avl "$PWD/seg-tree"
	mutate sregs_cr2_cr8 "$PWD/cr-tree"
	build x86_64 "$PWD/good-tree" "$PWD/good" image
	build x86_64 "$PWD/seg-tree" "$PWD/seg" image
	build x86_64 "$PWD/cr-tree" "$PWD/cr" image
	expect x86_64 "$PWD/good" "$PWD/seg" x86_regs_test sregs_guest_view
	expect x86_64 "$PWD/good" "$PWD/seg" x86_regs_test sregs2_guest_view
	expect x86_64 "$PWD/good" "$PWD/cr" x86_regs_test sregs_guest_view
}

atf_test_case guest_x86_64_regs_swap
guest_x86_64_regs_swap_head() { guest_head qemu-system-x86_64 'x86_64 guest: kvm_regs with rax/rbx swapped fails kvm_basic_test:regs_guest_add'; }
guest_x86_64_regs_swap_body() { guest_case x86_64 regs_swap regs_guest_add; }

atf_test_case guest_arm64_pc_pstate
guest_arm64_pc_pstate_head() { guest_head qemu-system-aarch64 'arm64 guest: user_pt_regs with pc/pstate swapped fails kvm_basic_test:run_exit_decode and regs_guest_add'; }
guest_arm64_pc_pstate_body() { guest_case arm64 pc_pstate run_exit_decode regs_guest_add; }

atf_test_case guest_arm64_regs_sp
guest_arm64_regs_sp_head() { guest_head qemu-system-aarch64 'arm64 guest: user_pt_regs with sp before regs[] (every x<n> id off by one) fails kvm_basic_test:regs_guest_add'; }
guest_arm64_regs_sp_body() { guest_case arm64 regs_sp regs_guest_add; }

atf_test_case guest_arm64_exit_mmio
guest_arm64_exit_mmio_head() { guest_head qemu-system-aarch64 'arm64 guest: KVM_EXIT_MMIO changed from 6 to 126 fails kvm_basic_test:run_exit_decode'; }
guest_arm64_exit_mmio_body() { guest_case arm64 exit_mmio run_exit_decode; }

atf_test_case guest_arm64_sp_pc
guest_arm64_sp_pc_head() { guest_head qemu-system-aarch64 'arm64 guest: user_pt_regs with sp/pc swapped fails arm64_regs_test:core_regs and sysregs'; }
guest_arm64_sp_pc_body() { guest_prog_case arm64 sp_pc arm64_regs_test core_regs sysregs; }

atf_test_case guest_arm64_reg_arm_core
guest_arm64_reg_arm_core_head() { guest_head qemu-system-aarch64 'arm64 guest: KVM_REG_ARM_CORE changed from 0x0010 to 0x0011 (coprocessor field) fails arm64_regs_test:core_regs and arm64_vcpu_test:psci_cpu_on'; }
guest_arm64_reg_arm_core_body() {
	guest_prog_case arm64 reg_arm_core arm64_regs_test core_regs
	expect arm64 "$PWD/good" "$PWD/bad" arm64_vcpu_test psci_cpu_on
}

atf_init_test_cases() {
	atf_add_test_case host_regs_swap
	atf_add_test_case host_regs_grown
	atf_add_test_case host_exit_io
	atf_add_test_case host_segment_swap
	atf_add_test_case host_sregs_cr_swap
	atf_add_test_case guest_x86_64_regs_swap
	atf_add_test_case guest_x86_64_sregs_swaps
	atf_add_test_case guest_arm64_pc_pstate
	atf_add_test_case guest_arm64_regs_sp
	atf_add_test_case guest_arm64_exit_mmio
	atf_add_test_case guest_arm64_sp_pc
	atf_add_test_case guest_arm64_reg_arm_core
}
