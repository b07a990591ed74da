#!/bin/sh
# dwarf/kernel-headers.sh VERSION ARCH - turn Debian's linux-source-VERSION package
# (/usr/src/linux-source-VERSION.tar.xz) into a `make headers_install` tree for ARCH (x86_64,
# arm64 or riscv64) under ${KVMGATE_CACHE:-$HOME/.cache/kvmgate}/headers/VERSION/ARCH, and print that path.
# Incremental: only the parts of the source that headers_install reads are unpacked (once per
# version), and a tree already installed from the same tarball is reused. Progress on stderr;
# exit 2 with "kernel-headers.sh: <what>" on failure.
set -eu
prog=kernel-headers.sh
die() { echo "$prog: $*" >&2; exit 2; }
now() { date +%s.%N; }
secs() { echo "$(now) $1" | awk '{ printf "%.1f", $1 - $2 }'; }

[ $# -eq 2 ] || die "usage: kernel-headers.sh VERSION x86_64|arm64|riscv64"
ver=$1 arch=$2
case $arch in
x86_64) karch=x86 ;;
arm64) karch=arm64 ;;
riscv64) karch=riscv ;;
*) die "unknown arch '$arch' (x86_64, arm64 or riscv64)" ;;
esac
CACHE=${KVMGATE_CACHE:-$HOME/.cache/kvmgate}
tarball=${KVMGATE_LINUX_SOURCE_DIR:-/usr/src}/linux-source-$ver.tar.xz
[ -r "$tarball" ] || die "$tarball not found (apt-get install linux-source-$ver)"
for t in make gcc tar xz flock; do
	command -v $t >/dev/null || die "$t not found (make deps)"
done

out=$CACHE/headers/$ver/$arch
stamp=$(stat -L -c '%s %Y' "$tarball")
mkdir -p "$CACHE/headers" "$CACHE/src"
exec 9>"$CACHE/headers/.lock"
flock 9		# concurrent tests share the cache
if [ -f "$out/.installed" ] && [ "$(cat "$out/.installed")" = "$stamp" ]; then
	echo "$out"
	exit 0
fi

top=linux-source-$ver
src=$CACHE/src/$top
if [ ! -f "$src/.extracted" ] || [ "$(cat "$src/.extracted")" != "$stamp" ]; then
	t0=$(now)
	rm -rf "$src"
	# What headers_install reads: the top Makefile and Kbuild, scripts/ (host tools), the UAPI
	# headers, the arch trees (their Makefiles and generated syscall headers), tools/include
	# (x86's relocs host tool), usr/.
	tar -xJf "$tarball" -C "$CACHE/src" --wildcards "$top/Makefile" "$top/Kbuild" \
		"$top/scripts/*" "$top/include/*" "$top/arch/x86/*" "$top/arch/arm64/*" \
		"$top/arch/riscv/*" \
		"$top/tools/include/*" "$top/usr/*" ||
		die "cannot unpack $tarball"
	[ -f "$src/Makefile" ] || die "$tarball: no $top/Makefile"
	echo "$stamp" > "$src/.extracted"
	echo "$prog: unpacked $top ($(secs "$t0") s)" >&2
fi
if [ ! -f "$src/arch/$karch/Makefile" ]; then
	# a tree unpacked before this arch was added to the list above
	t0=$(now)
	tar -xJf "$tarball" -C "$CACHE/src" --wildcards "$top/arch/$karch/*" ||
		die "cannot unpack arch/$karch of $tarball"
	echo "$prog: unpacked $top/arch/$karch ($(secs "$t0") s)" >&2
fi

t0=$(now)
rm -rf "$out.tmp"
log=$CACHE/headers/$ver-$arch.log
make -C "$src" -s headers_install ARCH=$karch INSTALL_HDR_PATH="$out.tmp" >"$log" 2>&1 ||
	die "headers_install ARCH=$karch of $top failed (see $log)"
[ -f "$out.tmp/include/linux/kvm.h" ] || die "headers_install of $top left no include/linux/kvm.h"
echo "$stamp" > "$out.tmp/.installed"
rm -rf "$out"
mv "$out.tmp" "$out"
rm -f "$log"
echo "$prog: headers_install $top ARCH=$karch ($(secs "$t0") s)" >&2
echo "$out"
