# shlib.sh - shell helpers of kvmgate's scripts and atf-sh tests (sourced, not run). The caller
# sets KVMGATE_TOP to the top of the tree first, e.g. in a test of bindings/rust/:
#   KVMGATE_TOP=$(cd "$(atf_get_srcdir)/../.." && pwd) && . "$KVMGATE_TOP/bindings/util/shlib.sh"
# The arch facts here (compilers, bindgen's target and include directories) are the scripts'
# side of the arch table in bindings/model/arch.c: change both together.

# kg: the command under test (the kyua config variable kvmgate overrides); tests only.
kg() {
	atf_config_get kvmgate "$KVMGATE_TOP/kvmgate"
}

# The download and header cache: kyua gives each test a HOME of its own, so the default of the
# scripts (~/.cache/kvmgate) is taken from the user's real home, not from HOME.
if [ -z "${KVMGATE_CACHE:-}" ]; then
	KVMGATE_CACHE=$(getent passwd "$(id -u)" | cut -d: -f6)/.cache/kvmgate
	export KVMGATE_CACHE
fi

# $SIG_DEFAULTS CMD ARGS... &: CMD with SIGHUP, SIGINT and SIGTERM at their defaults (a shell
# starts a background job with SIGINT ignored, and kvmgate keeps an ignored signal ignored, as
# nohup expects), for the tests that send them; a command word, not a function, so that $! is
# the pid of CMD itself (env execs it).
SIG_DEFAULTS="env --default-signal=HUP,INT,TERM"

# $VALGRIND CMD ARGS...: CMD under memcheck as the tests run it: any error or definite/indirect
# leak exits 99; bindings/valgrind.supp has the suppressions, each with its reason.
VALGRIND="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
--error-exitcode=99 --suppressions=$KVMGATE_TOP/bindings/valgrind.supp"

# fuzz_seed_dirs TARGET: the seed folders of a fuzz target, one a line, absolute:
# fuzz/corpus/TARGET, then those fuzz/seed-dirs.txt names for it.
fuzz_seed_dirs() {
	echo "$KVMGATE_TOP/fuzz/corpus/$1"
	awk -F '\t' -v t="$1" -v top="$KVMGATE_TOP" '!/^#/ && $1 == t { print top "/" $2 }' \
		"$KVMGATE_TOP/fuzz/seed-dirs.txt"
}

# arch_cc ARCH: the C compiler of an arch (KVMGATE_CC_<arch> overrides, as for kvmgate).
arch_cc() {
	case $1 in
	x86_64) echo "${KVMGATE_CC_x86_64:-gcc}" ;;
	arm64) echo "${KVMGATE_CC_arm64:-aarch64-linux-gnu-gcc}" ;;
	riscv64) echo "${KVMGATE_CC_riscv64:-riscv64-linux-gnu-gcc}" ;;
	esac
}

# arch_triple ARCH: the target triple of an arch (of clang and gcc; Debian's cross headers of
# linux-libc-dev-<arch>-cross are under /usr/TRIPLE/include).
arch_triple() {
	case $1 in
	x86_64) echo x86_64-linux-gnu ;;
	arm64) echo aarch64-linux-gnu ;;
	riscv64) echo riscv64-linux-gnu ;;
	esac
}

# host_arch: the arch of this machine, or nothing when it is none of the table's.
host_arch() {
	case $(uname -m) in
	x86_64) echo x86_64 ;;
	aarch64 | arm64) echo arm64 ;;
	riscv64) echo riscv64 ;;
	esac
}

# manifest_isystem MANIFEST: -isystem flags of the header directories a manifest was made from
# (its "meta source headers DIR:DIR" line).
manifest_isystem() {
	sed -n 's/^meta\tsource\theaders //p' "$1" | tr ':' '\n' | sed 's/^/-isystem /' | tr '\n' ' '
}

# bindgen_args ARCH [HEADERS]: bindgen's arguments with kvm-bindings' flags on linux/kvm.h of
# the installed headers of ARCH, or of a headers_install tree.
bindgen_args() {
	flags="--impl-debug --with-derive-default --with-derive-partialeq --impl-partialeq"
	t=$(arch_triple "$1")
	case "$1:${2:-}" in
	x86_64:) echo "/usr/include/linux/kvm.h $flags -- -I/usr/include -I/usr/include/x86_64-linux-gnu" ;;
	x86_64:*) echo "$2/include/linux/kvm.h $flags -- -nostdinc -I$2/include" ;;
	*:) echo "/usr/$t/include/linux/kvm.h $flags -- --target=$t -nostdinc -I/usr/$t/include" ;;
	*) echo "$2/include/linux/kvm.h $flags -- --target=$t -nostdinc -I$2/include" ;;
	esac
}

# headers_tree VERSION ARCH: sets TREE to the headers_install tree of linux-source-VERSION (built
# and cached by dwarf/kernel-headers.sh on first use); fails the test case when it cannot be built.
headers_tree() {
	TREE=$("$KVMGATE_TOP/dwarf/kernel-headers.sh" "$1" "$2" 2>headers.err) ||
		atf_fail "kernel-headers.sh $1 $2: $(tail -n 1 headers.err)"
}
