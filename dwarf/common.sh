# common.sh - shared helpers of the atf-sh tests of dwarf/ (sourced, not run).

# kg (the command under test), headers_tree, host_arch, the cache: the helpers of every folder
KVMGATE_TOP=$(cd "$(atf_get_srcdir)/.." && pwd) && . "$KVMGATE_TOP/bindings/util/shlib.sh"

# The allow file of the kernel's own view.
kernel_allow() {
	echo "$(atf_get_srcdir)/kernel.allow"
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
