#!/bin/sh
# vmimages/fetch-kernel.sh ARCH - download Debian's unsigned kernel package for ARCH (x86_64 or
# arm64) into the cache and unpack it there with dpkg -x (never installed). The version is resolved
# through the linux-image-<debarch> metapackage (override: KVMGATE_KERNEL_META). Incremental: an
# unpacked package is reused. Progress on stderr; on stdout one line, the unpacked root directory
# (holding boot/vmlinuz-* and lib/modules/*). Exit 2 with "fetch-kernel.sh: <what>" on failure.
set -eu
prog=fetch-kernel.sh
CACHE=${KVMGATE_CACHE:-$HOME/.cache/kvmgate}
. "$(dirname "$0")/apt-arch.sh"

[ $# -eq 1 ] || die "usage: fetch-kernel.sh x86_64|arm64"
apt_arch "$1"
command -v apt-get >/dev/null || die "apt-get not found"
command -v dpkg >/dev/null || die "dpkg not found"
apt_setup
apt_update

meta=${KVMGATE_KERNEL_META:-linux-image-$DEBARCH}
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
