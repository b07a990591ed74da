#!/bin/sh
# vmimages/fetch-debs.sh ARCH DEST PKG... - download the Debian packages PKG... of ARCH (x86_64 or
# arm64) into the cache (once) and unpack them all into DEST with dpkg -x (never installed), for
# the guests' root filesystems. Progress on stderr; exit 2 with "fetch-debs.sh: <what>" on failure.
set -eu
prog=fetch-debs.sh
CACHE=${KVMGATE_CACHE:-$HOME/.cache/kvmgate}
. "$(dirname "$0")/apt-arch.sh"

[ $# -ge 3 ] || die "usage: fetch-debs.sh x86_64|arm64 DEST PKG..."
apt_arch "$1"
dest=$2
shift 2
apt_setup
apt_update
mkdir -p "$dest"
debs=$(apt_fetch "$@") || exit 2
for deb in $debs; do
	dpkg -x "$deb" "$dest" || die "cannot unpack $deb"
done
