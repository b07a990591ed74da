#!/bin/sh
# vmimages/build-image.sh ARCH OUT GUESTDIR [SERIES] - the boot image of the ARCH guest (x86_64 or
# arm64) with Debian's kernel of SERIES (kernels.txt; default its first) in OUT: the kernel QEMU
# boots (x86: the ELF vmlinux for PVH; arm64: the Image), and initrd.cpio =
#   base: Debian's kyua, atf-c, their libraries and busybox for ARCH, the kernel's KVM and virtio-blk
#         modules, /init (init.sh) -- built once into the cache, keyed by its inputs;
#   tests: GUESTDIR (the conformance programs and Kyuafiles built for ARCH, kvmcheck) as
#         /usr/tests/kvmgate and /usr/libexec/kvmgate.
# OUT/image.env describes the image for run-guest.sh. Progress on stderr; exit 2 on failure.
set -eu
prog=build-image.sh
here=$(cd "$(dirname "$0")" && pwd)
CACHE=${KVMGATE_CACHE:-$HOME/.cache/kvmgate}
. "$here/apt-arch.sh"

[ $# -eq 3 ] || [ $# -eq 4 ] || die "usage: build-image.sh x86_64|arm64 OUT GUESTDIR [SERIES]"
arch=$1 out=$2 guestdir=$3 series=${4:-}
apt_arch "$arch"
[ -d "$guestdir/conformance" ] || die "no guest programs in $guestdir/conformance"
command -v cpio >/dev/null || die "cpio not found (apt-get install cpio)"
t_all=$(now_ms)

# The packages of the base: kyua and atf-c with their run-time closure, busybox for the init.
PKGS="kyua libc6 libgcc-s1 libstdc++6 liblua5.2-0 liblutok3 libsqlite3-0 libatf-c-1 busybox-static"
case "$arch" in
x86_64) MODS="virtio_blk virtio_mmio virtio_pci kvm-amd:nested=1" ;;	# pc or microvm
arm64) MODS="virtio_blk virtio_mmio" ;;	# KVM is built into Debian's arm64 kernel
esac

kroot=$(sh "$here/fetch-kernel.sh" "$arch" $series) || exit 2
kver=$(ls "$kroot/lib/modules")
[ -n "$kver" ] && [ -d "$kroot/lib/modules/$kver" ] || die "no lib/modules/<version> in $kroot"
case "$arch" in
x86_64)
	kernel=$CACHE/boot/$kver/vmlinux
	if [ ! -e "$kernel" ]; then
		t0=$(now_ms)
		mkdir -p "$(dirname "$kernel")"
		sh "$here/extract-vmlinux.sh" "$kroot/boot/vmlinuz-$kver" "$kernel" || exit 2
		progress "extracted the ELF vmlinux of $kver for PVH ($(secs_since "$t0") s)"
	fi ;;
arm64) kernel=$kroot/boot/vmlinuz-$kver ;;	# Debian's arm64 vmlinuz is an uncompressed Image
esac

# mod_path NAME: the .ko of module NAME ('-' and '_' are the same; 6.12's are .ko.xz).
mod_path() {
	pat=$(echo "$1" | sed 's/[-_]/[-_]/g')
	find "$kroot/lib/modules/$kver/kernel" -regex ".*/$pat\.ko\(\.xz\|\.zst\|\.gz\)?" | head -n 1
}

# mod_builtin NAME: true when module NAME is built into the kernel (6.12 amd64: virtio_pci).
mod_builtin() {
	pat=$(echo "$1" | sed 's/[-_]/[-_]/g')
	grep -q "/$pat\.ko\$" "$kroot/lib/modules/$kver/modules.builtin" 2>/dev/null
}

# ko_cat FILE: a module, decompressed (busybox insmod loads plain .ko files).
ko_cat() {
	case "$1" in
	*.xz) xz -dc "$1" ;;
	*.zst) zstd -dc "$1" ;;
	*.gz) gzip -dc "$1" ;;
	*) cat "$1" ;;
	esac
}

# mod_closure NAME PARAMS: print "path params" lines, dependencies first (from .modinfo depends=).
mod_closure() {
	local p deps d
	mod_builtin "$1" && return 0
	p=$(mod_path "$1")
	[ -n "$p" ] || die "module $1 not found in $kroot/lib/modules/$kver"
	deps=$(ko_cat "$p" | tr '\0' '\n' | sed -n 's/^depends=//p' | head -n 1 | tr ',' ' ')
	for d in $deps; do
		mod_closure "$d" ""
	done
	p=${p#"$kroot"}
	echo "${p%.ko*}.ko $2"
}

key=$(printf '%s\n' "$arch" "$kver" "$PKGS" "$MODS" | cat - "$here/init.sh" "$here/build-image.sh" |
	md5sum | cut -c1-16)
base=$CACHE/rootfs/base-$arch-$key.cpio
if [ ! -e "$base" ]; then
	t0=$(now_ms)
	stage=$(mktemp -d "${TMPDIR:-/tmp}/kvmgate-rootfs.XXXXXX")
	trap 'rm -rf "$stage"' EXIT
	sh "$here/fetch-debs.sh" "$arch" "$stage" $PKGS || exit 2
	# What a test run does not need.
	rm -rf "$stage/usr/share/doc" "$stage/usr/share/man" "$stage/usr/share/info" \
		"$stage/usr/share/locale" "$stage/usr/share/lintian" "$stage/usr/share/bug" \
		"$stage"/usr/lib/*-linux-gnu/gconv "$stage/etc/ld.so.conf.d" "$stage/usr/share/gdb"
	[ -x "$stage/usr/bin/kyua" ] || die "kyua missing from the $arch packages"
	[ -x "$stage/bin/busybox" ] || die "busybox missing from the $arch packages"
	ln -sf busybox "$stage/bin/sh"
	mkdir -p "$stage/etc/kvmgate" "$stage/proc" "$stage/sys" "$stage/dev" "$stage/tmp" \
		"$stage/root" "$stage/usr/sbin" "$stage/sbin"
	: > "$stage/etc/kvmgate/modules"
	for m in $MODS; do
		case "$m" in
		*:*) mod_closure "${m%%:*}" "${m#*:}" ;;
		*) mod_closure "$m" "" ;;
		esac
	done > "$stage/etc/kvmgate/modules.all" || exit 2
	awk '!seen[$1]++' "$stage/etc/kvmgate/modules.all" > "$stage/etc/kvmgate/modules"
	rm "$stage/etc/kvmgate/modules.all"
	while read -r m _; do
		mkdir -p "$stage$(dirname "$m")"
		src=$(ls "$kroot$m" "$kroot$m".xz "$kroot$m".zst "$kroot$m".gz 2>/dev/null | head -n 1)
		ko_cat "$src" > "$stage$m" || die "cannot copy $src"
	done < "$stage/etc/kvmgate/modules"
	echo "root:x:0:0:root:/root:/bin/sh" > "$stage/etc/passwd"
	echo "root:x:0:" > "$stage/etc/group"
	install -m 0755 "$here/init.sh" "$stage/init"
	mkdir -p "$CACHE/rootfs"
	(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) > "$base.tmp"
	mv "$base.tmp" "$base"
	rm -rf "$stage"
	trap - EXIT
	progress "$arch base root file system built: $(du -k "$base" | cut -f1) KiB ($(secs_since "$t0") s)"
fi

# The tests part, then the image.
mkdir -p "$out"
stage=$(mktemp -d "${TMPDIR:-/tmp}/kvmgate-tests.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/usr/tests/kvmgate" "$stage/usr/libexec/kvmgate"
cp -R "$guestdir/conformance" "$stage/usr/tests/kvmgate/"
cp "$guestdir/kvmcheck" "$stage/usr/libexec/kvmgate/"
printf '%s\n' '-- Kyuafile - the suite the guest runs.' 'syntax(2)' 'test_suite("kvmgate")' \
	'include("conformance/Kyuafile")' > "$stage/usr/tests/kvmgate/Kyuafile"
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) > "$out/tests.cpio"
rm -rf "$stage"
trap - EXIT
cat "$base" "$out/tests.cpio" > "$out/initrd.cpio.tmp"
mv "$out/initrd.cpio.tmp" "$out/initrd.cpio"
rm -f "$out/tests.cpio"
id=$( (echo "$kernel"; cat "$out/initrd.cpio") | md5sum | cut -c1-16)
cat > "$out/image.env.tmp" <<EOT
ARCH=$arch
KVER=$kver
KERNEL=$kernel
INITRD=$(cd "$out" && pwd)/initrd.cpio
IMAGE_ID=$id
EOT
mv "$out/image.env.tmp" "$out/image.env"
progress "$arch image ready: kernel $kver, initrd $(du -k "$out/initrd.cpio" | cut -f1) KiB ($(secs_since "$t_all") s)"
