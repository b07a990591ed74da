#!/bin/bash
# vmimages/run-guest.sh ARCH IMAGEDIR RESULTDIR - boot the ARCH guest of IMAGEDIR (build-image.sh)
# once under QEMU's TCG with a hard timeout, keep its console, and collect what it hands back on its
# results disk into RESULTDIR: status (the guest's: "ok" or "nokvm: ..."), cases.txt, report.txt,
# junit.xml, results.db, coverage/ (the programs' coverage records), btf/, kernel-release,
# dmesg.txt (the guest kernel's log at every level), and the host's view of the boot:
#   host-status  "ok", or "fail: <why>" (timeout, panic, init died, no results)
#   console.log  the serial console;  timing  "first_test=<s> total=<s>" from QEMU's start
#   image-id     the IMAGE_ID the results belong to.
# RESULTDIR is replaced atomically. One progress line on stderr. Exit 0 when the guest ran the
# suite (whatever its results), 1 when it did not, 2 on bad input.
# Environment: KVMGATE_BOOT_TIMEOUT (seconds, default 180), KVMGATE_GUEST_FAULT (exit, hang or
# nokvm: passed to the guest's init, for tests of the failure paths), KVMGATE_GUEST_APPEND (more
# kernel command line), KVMGATE_X86_MACHINE (pc, the default, or microvm), QEMU_SYSTEM_X86_64 / QEMU_SYSTEM_AARCH64 (the QEMU binaries).
set -u
prog=run-guest.sh
die() { echo "$prog: $*" >&2; exit 2; }
[ $# -eq 3 ] || die "usage: run-guest.sh x86_64|arm64 IMAGEDIR RESULTDIR"
arch=$1 imagedir=$2 resdir=$3
[ -r "$imagedir/image.env" ] || die "no image in $imagedir (build it: make vmimages)"
. "$imagedir/image.env"
[ "$ARCH" = "$arch" ] || die "$imagedir holds a $ARCH image, not $arch"
timeout=${KVMGATE_BOOT_TIMEOUT:-180}
fault=${KVMGATE_GUEST_FAULT:-}

cmdline="panic=-1 quiet loglevel=4${fault:+ kvmgate.fault=$fault} ${KVMGATE_GUEST_APPEND:-}"
case "$arch" in
x86_64)
	qemu=${QEMU_SYSTEM_X86_64:-qemu-system-x86_64}
	# SVM on an AMD model, so that the guest's kvm_amd has something to run on. qboot and the PVH
	# entry of the ELF vmlinux skip SeaBIOS, the real-mode set-up and the decompression.
	# KVMGATE_X86_MACHINE=microvm boots 0.7 s faster, but hung silently in early boot in 5 of 11
	# runs here (QEMU 7.2, loaded 2-core host), so pc stays the default.
	# no_timer_check: with four guests on two loaded cores, 6.1's check that the IO-APIC timer
	# ticks failed once here ("IO-APIC + timer doesn't work!", a panic); it is for real hardware.
	args=(-accel tcg -cpu EPYC,+svm -smp 1 -m 512 -append "console=ttyS0 no_timer_check $cmdline")
	if [ "${KVMGATE_X86_MACHINE:-pc}" = microvm ]; then
		args+=(-machine microvm -device virtio-blk-device,drive=res)
	else
		args+=(-machine pc -device virtio-blk-pci,drive=res,romfile=)
		[ -r /usr/share/qemu/qboot.rom ] && args+=(-bios /usr/share/qemu/qboot.rom)
	fi
	;;
arm64)
	qemu=${QEMU_SYSTEM_AARCH64:-qemu-system-aarch64}
	# EL2 for the guest's KVM; impdef pointer authentication is 3x faster under TCG than QARMA.
	args=(-accel tcg -machine virt,virtualization=on,gic-version=3 -cpu max,pauth-impdef=on
	      -smp 1 -m 512 -append "console=ttyAMA0 $cmdline" -device virtio-blk-device,drive=res)
	;;
*) die "unknown arch '$arch'" ;;
esac
command -v "$qemu" >/dev/null || die "$qemu not found (apt-get install qemu-system-x86 qemu-system-arm)"

tmp=$resdir.tmp.$$
rm -rf "$tmp"
mkdir -p "$tmp" || die "cannot create $tmp"
trap 'rm -rf "$tmp"' EXIT
truncate -s 64M "$tmp/disk.img" || die "cannot create $tmp/disk.img"

# Boot. The console goes through a reader that notes the host time of the suite's start.
# timeout stays in our process group (--foreground; by default it makes one of its own), so that
# a signal to the group (kvmgate gate stops its children's groups so) reaches QEMU too.
start=$EPOCHREALTIME
timeout --foreground --kill-after=5 "$timeout" "$qemu" -nodefaults -no-user-config -display none -nic none \
	-no-reboot -serial stdio -kernel "$KERNEL" -initrd "$INITRD" \
	-drive "if=none,id=res,format=raw,file=$tmp/disk.img" "${args[@]}" \
	< /dev/null 2> "$tmp/qemu.stderr" |
while IFS= read -r line || [ -n "$line" ]; do
	line=${line%$'\r'}
	printf '%s\n' "$line" >> "$tmp/console.log"
	case "$line" in
	*"kvmgate-guest: "*"kyua test starting"*) echo "$EPOCHREALTIME" > "$tmp/t_first" ;;
	esac
done
rc=${PIPESTATUS[0]}
end=$EPOCHREALTIME
touch "$tmp/console.log"

elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
total=$(elapsed "$start" "$end")
first=-
[ -s "$tmp/t_first" ] && first=$(elapsed "$start" "$(cat "$tmp/t_first")")
echo "first_test=$first total=$total" > "$tmp/timing"

# The results disk: a tar, or zeros when the guest died before writing it.
tar -xf "$tmp/disk.img" -C "$tmp" 2>/dev/null
rm -f "$tmp/disk.img" "$tmp/t_first"

panic=$(grep -m1 -E 'Kernel panic|BUG:|Oops' "$tmp/console.log")
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	why="timed out after $timeout s"
elif [ -n "$panic" ]; then
	why="guest kernel: ${panic#*] }"
elif [ "$rc" != 0 ]; then
	why="qemu exited with $rc: $(head -c 300 "$tmp/qemu.stderr" | grep -v warning | head -n 1)"
elif [ ! -s "$tmp/status" ]; then
	why="the guest handed back no results (init died or the results disk failed)"
elif [ "$(cat "$tmp/status")" != ok ]; then
	why="guest: $(cat "$tmp/status")"
elif ! grep -q -- '  ->  ' "$tmp/cases.txt" 2>/dev/null; then
	why="guest: kyua produced no results (kyua exit $(cat "$tmp/kyua-exit" 2>/dev/null)):"
	why="$why $(head -n 1 "$tmp/cases.txt" 2>/dev/null)"
else
	why=
fi
if [ -z "$why" ]; then
	echo ok > "$tmp/host-status"
else
	echo "fail: $why" > "$tmp/host-status"
fi
echo "$IMAGE_ID" > "$tmp/image-id"

# The guest kernel's BTF also goes to the cache, by kernel release, with its arch, for dwarf/ and
# the gate's kernel stage (bindings/gate.sh).
if [ -s "$tmp/btf/vmlinux" ] && [ -s "$tmp/kernel-release" ]; then
	btf=${KVMGATE_CACHE:-$HOME/.cache/kvmgate}/btf/$(cat "$tmp/kernel-release")
	mkdir -p "$btf"
	[ "$(cat "$btf/arch" 2>/dev/null)" = "$arch" ] ||
		{ echo "$arch" > "$btf/arch.tmp.$$" && mv -f "$btf/arch.tmp.$$" "$btf/arch"; }
	for f in "$tmp"/btf/*; do
		dst=$btf/${f##*/}
		cmp -s "$f" "$dst" && continue
		cp "$f" "$dst.tmp.$$" && mv -f "$dst.tmp.$$" "$dst"
	done
fi

rm -rf "$resdir"
mv "$tmp" "$resdir" || die "cannot move results to $resdir"
trap - EXIT
ncases=$(grep -c -- '  ->  ' "$resdir/cases.txt" 2>/dev/null)
summary=$(grep -E '^[0-9]+/[0-9]+ passed' "$resdir/console.log" | tail -n 1)
if [ -z "$why" ]; then
	echo "$prog: $arch guest ($KVER): ran ${ncases:-0} cases${summary:+ ($summary)}, first test at ${first} s, total ${total} s" >&2
	exit 0
fi
echo "$prog: $arch guest ($KVER) FAILED: $why (total ${total} s; console: $resdir/console.log)" >&2
exit 1
