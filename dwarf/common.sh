# common.sh - shared helpers of the atf-sh tests of dwarf/ (sourced, not run).

# The command under test (kyua config variable kvmgate overrides).
kg() {
	atf_config_get kvmgate "$(atf_get_srcdir)/../kvmgate"
}

# The allow file of the kernel's own view.
kernel_allow() {
	echo "$(atf_get_srcdir)/kernel.allow"
}

# The download and header cache: kyua gives each test a HOME of its own, so the default of
# the scripts (~/.cache/kvmgate) is taken from the user's real home, not from HOME.
if [ -z "${KVMGATE_CACHE:-}" ]; then
	KVMGATE_CACHE=$(getent passwd "$(id -u)" | cut -d: -f6)/.cache/kvmgate
	export KVMGATE_CACHE
fi

# headers_tree VERSION ARCH: sets TREE to the headers_install tree of linux-source-VERSION (built
# and cached by kernel-headers.sh on first use); fails the test case when it cannot be built.
headers_tree() {
	TREE=$("$(atf_get_srcdir)/kernel-headers.sh" "$1" "$2" 2>headers.err) ||
		atf_fail "kernel-headers.sh $1 $2: $(tail -n 1 headers.err)"
}

# kernel_pkg ARCH: sets KROOT to the unpacked Debian linux-image-6.1 package of ARCH
# (vmimages/fetch-kernel.sh downloads it once into the cache).
kernel_pkg() {
	KROOT=$("$(atf_get_srcdir)/../vmimages/fetch-kernel.sh" "$1" 2>fetch.err) ||
		atf_fail "fetch-kernel.sh $1: $(tail -n 1 fetch.err)"
	[ -d "$KROOT/boot" ] || atf_fail "fetch-kernel.sh $1 gave no package root ('$KROOT')"
}

# layout_of ARCH [TREE] > FILE: the libclang view (the manifest) of a header set.
layout_of() {
	if [ $# -gt 1 ]; then
		"$(kg)" dump --from headers --arch "$1" "$2"
	else
		"$(kg)" dump --from headers --arch "$1"
	fi
}

# types_and_fields FILE: the layout records of a manifest (what the DWARF view has too).
types_and_fields() {
	grep -E '^(type|field)	' "$1"
}
