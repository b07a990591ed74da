#!/bin/sh
# vmimages/fetch-kernel.sh ARCH [SERIES] - download Debian's unsigned kernel package for ARCH
# (x86_64 or arm64) into the cache and unpack it there with dpkg -x (never installed). The version
# is resolved through the metapackage of SERIES in kernels.txt (6.1: linux-image-<debarch>, 6.12:
# linux-image-6.12-<debarch> from bookworm-security; default: its first line; override:
# KVMGATE_KERNEL_META), and must be of that series. Incremental: an unpacked package is reused. Progress on stderr; on stdout one line, the unpacked root directory
# (holding boot/vmlinuz-* and lib/modules/*). Exit 2 with "fetch-kernel.sh: <what>" on failure.
set -eu
prog=fetch-kernel.sh
CACHE=${KVMGATE_CACHE:-$HOME/.cache/kvmgate}
. "$(dirname "$0")/apt-arch.sh"

[ $# -eq 1 ] || [ $# -eq 2 ] || die "usage: fetch-kernel.sh x86_64|arm64 [SERIES]"
apt_arch "$1"
kernels=$(dirname "$0")/kernels.txt
series=${2:-$(sed -n '/^[0-9]/{s/\t.*//p;q}' "$kernels")}
meta=$(awk -F'\t' -v s="$series" '$1 == s { print $2 }' "$kernels" | sed "s/@DEBARCH@/$DEBARCH/")
[ -n "$meta" ] || die "no kernel series '$series' in $kernels (expected one of: $(sed -n 's/^\([0-9][^\t]*\)\t.*/\1/p' "$kernels" | tr '\n' ' ' | sed 's/ $//'))"
meta=${KVMGATE_KERNEL_META:-$meta}
command -v apt-get >/dev/null || die "apt-get not found"
command -v dpkg >/dev/null || die "dpkg not found"
apt_setup
apt_update

# The resolution is kept until the lists change (apt-cache on the private state takes a second).
resolved=$APT_DIR/resolved-$meta
if [ -s "$resolved" ] && [ "$resolved" -nt "$APT_DIR/lists/stamp" ]; then
	read -r pkg ver < "$resolved"
else
	dep=$(apt_field "$meta" Depends | sed 's/[ ,(].*//')
	[ -n "$dep" ] || die "package $meta not found for $DEBARCH (sources: $APT_DIR/etc/sources.list)"
	case "$dep" in
	*-unsigned) pkg=$dep ;;
	*) pkg=$dep-unsigned ;;
	esac
	ver=$(apt_field "$pkg" Version)
	[ -n "$ver" ] || die "package $pkg (from $meta) not found for $DEBARCH"
	case "$pkg" in
	linux-image-"$series".*) ;;
	*) [ -n "${KVMGATE_KERNEL_META:-}" ] ||
		die "$meta resolves to $pkg, which is not of the $series series" ;;
	esac
	echo "$pkg $ver" > "$resolved"
fi

root=$CACHE/kernel/${pkg}_$(echo "$ver" | tr ':~' '__')
if [ ! -e "$root/.unpacked" ]; then
	deb=$(apt_fetch "$pkg")
	t0=$(now_ms)
	rm -rf "$root.tmp"
	mkdir -p "$root.tmp"
	dpkg -x "$deb" "$root.tmp" || die "cannot unpack $deb"
	ls "$root.tmp"/boot/vmlinuz-* >/dev/null 2>&1 || die "$deb holds no boot/vmlinuz-*"
	touch "$root.tmp/.unpacked"
	rm -rf "$root"
	mv "$root.tmp" "$root"
	progress "unpacked $pkg $ver ($(secs_since "$t0") s)"
fi
echo "$root"
