#!/bin/sh
# dwarf/bench.sh [KVMGATE] - the time of each dump of dwarf/ (best of 3 runs, milliseconds):
# pahole on the running kernel's BTF, on Debian's 6.1 kernel packages (vmlinuz, a module on its
# base, the arm64 Image), and the DWARF view of the headers (gen with and without the probe).
# Kernel packages come from vmimages/fetch-kernel.sh (cached); missing inputs are skipped.
set -eu
kg=${1:-./kvmgate}
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# bench [-g GOAL_MS] LABEL CMD...: best of 3 wall times of CMD (output discarded), against a
# goal when one is given; a failure is reported.
bench() {
	goal=
	if [ "$1" = -g ]; then
		goal=$2
		shift 2
	fi
	label=$1
	shift
	best=
	for _ in 1 2 3; do
		t0=$(now_ms)
		if ! "$@" >/dev/null 2>"$tmp/err"; then
			printf '%-44s failed: %s\n' "$label" "$(tail -n 1 "$tmp/err")"
			return 0
		fi
		t=$(( $(now_ms) - t0 ))
		[ -z "$best" ] || [ "$t" -lt "$best" ] && best=$t
	done
	if [ -z "$goal" ]; then
		printf '%-44s %6d ms\n' "$label" "$best"
	elif [ "$best" -lt "$goal" ]; then
		printf '%-44s %6d ms  (goal < %d ms: met)\n' "$label" "$best" "$goal"
	else
		printf '%-44s %6d ms  (goal < %d ms: MISSED)\n' "$label" "$best" "$goal"
	fi
}

"$kg" dump --from headers --arch x86_64 > "$tmp/x86.m"
"$kg" dump --from headers --arch arm64 > "$tmp/arm64.m"
echo "dwarf/ dumps, best of 3 ($(nproc) cores, $(pahole --version))"
bench 'headers x86_64 (libclang, reference)' "$kg" dump --from headers --arch x86_64
bench 'gen x86_64 --no-dwarf' "$kg" gen --arch x86_64 --no-dwarf -o "$tmp/g1"
bench 'gen x86_64 (+ probe: gcc -g, pahole)' "$kg" gen --arch x86_64 -o "$tmp/g2"
bench 'gen arm64 (+ probe: aarch64 gcc -g, pahole)' "$kg" gen --arch arm64 -o "$tmp/g3"
if [ -r /sys/kernel/btf/vmlinux ]; then
	bench 'pahole -C kvm_run /sys/kernel/btf/vmlinux' pahole -F btf -C kvm_run /sys/kernel/btf/vmlinux
	# the dump a gate runs on every machine: well under a second
	bench -g 1000 'dump /sys/kernel/btf/vmlinux (manifest)' \
		"$kg" dump --from btf --types "$tmp/x86.m" /sys/kernel/btf/vmlinux
	bench 'dump /sys/kernel/btf/vmlinux (kvm*)' "$kg" dump --from btf /sys/kernel/btf/vmlinux
else
	echo "no /sys/kernel/btf/vmlinux: live BTF not measured"
fi
if x86=$("$here/../vmimages/fetch-kernel.sh" x86_64 2>/dev/null); then
	vmlinuz=$(ls "$x86"/boot/vmlinuz-*)
	ko=$(find "$x86/lib/modules" -name kvm.ko | head -n 1)
	bench 'dump Debian 6.1 vmlinuz (bzImage, xz)' "$kg" dump --from btf --types "$tmp/x86.m" "$vmlinuz"
	bench 'dump Debian 6.1 kvm.ko, base vmlinuz' \
		"$kg" dump --from btf --types "$tmp/x86.m" --btf-base "$vmlinuz" "$ko"
else
	echo "fetch-kernel.sh x86_64 failed: Debian amd64 kernel not measured"
fi
if arm=$("$here/../vmimages/fetch-kernel.sh" arm64 2>/dev/null); then
	bench 'dump Debian 6.1 arm64 Image' \
		"$kg" dump --from btf --types "$tmp/arm64.m" "$(ls "$arm"/boot/vmlinuz-*)"
else
	echo "fetch-kernel.sh arm64 failed: Debian arm64 kernel not measured"
fi
