#!/bin/sh
# vmimages/sysroot.sh ARCH DEST PKG... - the cross build's sysroot in the shared cache: Debian's
# PKG... of ARCH unpacked (dpkg -x, never installed) into a tree DEST.d/<id>, <id> naming the
# package files (name, version), and DEST a symlink to it. Every clone shares it, so it is made
# under a lock and switched in whole (a new tree, then one rename of the symlink): a build linking
# against DEST never sees it half made, and a tree of the packages wanted is kept as it is (a clone
# whose scripts are newer rebuilds nothing). Touches DEST/.unpacked, make's stamp. Progress on
# stderr; exit 2 with "sysroot.sh: <what>" on failure.
set -eu
prog=sysroot.sh
CACHE=${KVMGATE_CACHE:-$HOME/.cache/kvmgate}
. "$(dirname "$0")/apt-arch.sh"

[ $# -ge 3 ] || die "usage: sysroot.sh x86_64|arm64 DEST PKG..."
apt_arch "$1"
dest=$2
shift 2
mkdir -p "$dest.d"
exec 7> "$dest.lock" || die "cannot open $dest.lock"
flock 7 || die "cannot lock $dest.lock"
apt_setup
apt_update
debs=$(apt_fetch "$@") || exit 2
id=$(for deb in $debs; do basename "$deb"; done | sort | cksum | cut -d' ' -f1)
tree=$dest.d/$id
if [ ! -e "$tree/.complete" ]; then
	rm -rf "$tree" "$tree.tmp"
	mkdir -p "$tree.tmp"
	for deb in $debs; do
		dpkg -x "$deb" "$tree.tmp" || die "cannot unpack $deb"
	done
	touch "$tree.tmp/.complete"
	mv "$tree.tmp" "$tree" || die "cannot move $tree.tmp to $tree"
	progress "$DEBARCH sysroot unpacked: $(echo $debs | wc -w) package(s) in $tree"
fi
if [ "$(readlink "$dest" 2>/dev/null || true)" != "$tree" ]; then
	[ -L "$dest" ] || rm -rf "$dest"	# a sysroot of the old layout, a plain directory
	ln -sfn "$tree" "$dest.new.$$" || die "cannot link $dest.new.$$"
	mv -T "$dest.new.$$" "$dest" || die "cannot rename $dest.new.$$ to $dest"
fi
touch "$tree/.unpacked"
