#!/bin/sh
# bench.sh - how fast `kvmgate gen` is next to bindgen 0.60.1 on the same linux/kvm.h.
#
# For each arch of the installed headers (x86_64, arm64, riscv64): wall time (fastest and median
# of RUNS) and peak memory of `kvmgate gen` (with and without its DWARF cross-check) and of
# bindgen with kvm-bindings' flags, and kvmgate's share of bindgen's time (goals: at most 0.10
# without the DWARF check, 0.15 with it). Then all four arch x version sets (x86_64/arm64 x
# installed/6.12 headers_install trees) generated back to back, against one bindgen run (goal:
# at most 0.5). The floor rows (bench_floor.c: libclang loaded; loaded and one parse of the same
# headers, nothing evaluated or written) say how much of that no libclang-based gen can avoid. The load average before and after says how busy the machine was. Needs GNU time
# (Debian package `time`) for peak memory.
#
#   bindings/bench.sh [-n RUNS] [-k KVMGATE] [-v VERSION]
#
# KVMGATE defaults to ./kvmgate next to this folder; VERSION (6.12) names the headers trees under
# ${KVMGATE_CACHE:-$HOME/.cache/kvmgate}/headers/VERSION/ARCH that dwarf/kernel-headers.sh builds.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
KVMGATE_TOP=$(cd "$here/.." && pwd) && . "$KVMGATE_TOP/bindings/util/shlib.sh"
runs=5
kvmgate=$here/../kvmgate
version=6.12
goal_nd=0.10	# gen --no-dwarf / bindgen
goal_dw=0.15	# gen (with the DWARF check) / bindgen
goal_sets=0.5	# the four sets back to back / one bindgen run
while getopts n:k:v: opt; do
	case $opt in
	n) runs=$OPTARG ;;
	k) kvmgate=$OPTARG ;;
	v) version=$OPTARG ;;
	*) echo "usage: $0 [-n RUNS] [-k KVMGATE] [-v VERSION]" >&2; exit 2 ;;
	esac
done
cache=${KVMGATE_CACHE:-$HOME/.cache/kvmgate}/headers/$version
libclang=${KVMGATE_BINDGEN_LIBCLANG:-/usr/lib/llvm-14/lib}
gnutime=/usr/bin/time

for prog in "$kvmgate" bindgen "$gnutime"; do
	command -v "$prog" > /dev/null 2>&1 || { echo "bench.sh: $prog not found" >&2; exit 2; }
done
[ -e "$libclang/libclang.so.1" ] || [ -e "$libclang/libclang.so" ] ||
	{ echo "bench.sh: no libclang in $libclang (Debian's bindgen needs LLVM 14's)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
# bindgen pipes its output through rustfmt: Debian's if installed (a rustup proxy also works)
if [ -x /usr/bin/rustfmt ]; then
	RUSTFMT=/usr/bin/rustfmt
	export RUSTFMT
fi

now_ns() {
	date +%s%N
}

# measure NAME CMD...: RUNS runs; sets min_ms and med_ms (wall), cpu_ms (user+sys of the fastest
# run, 10 ms resolution) and rss_kb (largest peak RSS). The machine may be busy: the minimum is
# the better estimate of the work itself, the median shows the noise.
measure() {
	name=$1
	shift
	: > "$tmp/$name.wall"
	rss_kb=0
	i=0
	while [ $i -lt "$runs" ]; do
		t0=$(now_ns)
		if ! "$gnutime" -f '%M %U %S' -o "$tmp/$name.rss" "$@" > "$tmp/$name.out" \
			2> "$tmp/$name.err"; then
			echo "bench.sh: $name failed: $(tail -n 3 "$tmp/$name.err")" >&2
			exit 1
		fi
		t1=$(now_ns)
		read -r r u sy < "$tmp/$name.rss"
		echo "$(((t1 - t0) / 1000)) $u $sy" >> "$tmp/$name.wall"
		[ "$r" -gt "$rss_kb" ] && rss_kb=$r
		i=$((i + 1))
	done
	sort -n "$tmp/$name.wall" > "$tmp/$name.sorted"
	min_ms=$(awk 'NR == 1 { printf "%.1f", $1 / 1000 }' "$tmp/$name.sorted")
	cpu_ms=$(awk 'NR == 1 { printf "%.0f", ($2 + $3) * 1000 }' "$tmp/$name.sorted")
	med_ms=$(awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] / 1000 }' \
		"$tmp/$name.sorted")
}

# row ARCH COMMAND NOTE: one line of the table from the last measure
row() {
	last_row=$(printf '%-8s %-30s %18s %7s %9s  %s' "$1" "$2" "$min_ms ($med_ms)" "$cpu_ms" \
		"$rss_kb" "$3")
	echo "$last_row"
}

# ratio KVMGATE_MS BINDGEN_MS [GOAL]: wall-time share (against the goal, if any) and CPU-time
# share (steadier when the machine is busy) of the last measure against bindgen's
ratio() {
	awk -v a="$1" -v b="$2" -v ca="$cpu_ms" -v cb="$bg_cpu" -v g="$3" 'BEGIN {
		r = a / b
		if (g == "") note = "(no goal: a bound)"
		else if (r <= g) note = "(goal <= " g ": met)"
		else note = "(goal <= " g ": MISSED)"
		printf "wall %.3fx %s, cpu %.3fx", r, note,
			(cb > 0 ? ca / cb : 0) }'
}

echo "kvmgate: $("$kvmgate" --version 2>/dev/null || echo "$kvmgate")"
echo "bindgen: $(bindgen --version 2>/dev/null | head -n 1) (libclang $libclang)"
echo "runs: $runs; wall time: fastest run (median), CPU: user+sys of the fastest run; peak RSS: largest"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"
echo
printf '%-8s %-30s %18s %7s %9s  %s\n' arch command "wall_ms (median)" cpu_ms rss_kb \
	"kvmgate/bindgen"
# The floor: bench_floor.c, linked with libclang, loads it and parses the same headers once with
# gen's options, evaluating and writing nothing; what it takes is out of reach of any libclang
# parse of these headers here, whatever gen does around it.
llvm_config=${LLVM_CONFIG:-llvm-config-19}
llvm_lib=$("$llvm_config" --libdir) && llvm_inc=$("$llvm_config" --includedir) ||
	{ echo "bench.sh: $llvm_config not found" >&2; exit 2; }
${CC:-gcc} -std=c11 -O2 -I"$llvm_inc" "$here/bench_floor.c" -o "$tmp/floor" -L"$llvm_lib" \
	-Wl,-rpath,"$llvm_lib" -lclang || { echo "bench.sh: cannot build bench_floor.c" >&2; exit 2; }
floor_args() {
	t=$(arch_triple "$1")
	if [ "$1" = x86_64 ]; then
		echo "-target $t -nostdinc -isystem /usr/include/$t -isystem /usr/include"
	else
		echo "-target $t -nostdinc -isystem /usr/$t/include"
	fi
}

for arch in x86_64 arm64 riscv64; do
	# shellcheck disable=SC2046
	measure bg_$arch env LIBCLANG_PATH="$libclang" bindgen $(bindgen_args $arch "")
	bg_ms=$min_ms bg_cpu=$cpu_ms
	row $arch bindgen ""
	if [ $arch = x86_64 ]; then
		bg1_ms=$min_ms bg1_row=$last_row
	fi
	measure fl0_$arch "$tmp/floor" --load-only
	row $arch "floor: libclang loaded" "$(ratio "$min_ms" "$bg_ms" "")"
	# shellcheck disable=SC2046
	measure fl_$arch "$tmp/floor" $(floor_args $arch)
	row $arch "floor: loaded + one parse" "$(ratio "$min_ms" "$bg_ms" "")"
	measure kg_$arch "$kvmgate" gen --arch $arch --no-dwarf -o "$tmp/out_$arch"
	row $arch "kvmgate gen --no-dwarf" "$(ratio "$min_ms" "$bg_ms" $goal_nd)"
	measure kgd_$arch "$kvmgate" gen --arch $arch -o "$tmp/outd_$arch"
	row $arch "kvmgate gen (with DWARF check)" "$(ratio "$min_ms" "$bg_ms" $goal_dw)"
done

echo
sets="x86_64: arm64:"
for arch in x86_64 arm64; do
	if [ -e "$cache/$arch/include/linux/kvm.h" ]; then
		sets="$sets $arch:$cache/$arch"
	else
		echo "note: no $version headers for $arch in $cache/$arch (dwarf/kernel-headers.sh builds them); set skipped"
	fi
done
cat > "$tmp/all.sh" <<EOF
#!/bin/sh
set -e
n=0
for s in $sets; do
	arch=\${s%%:*} hdr=\${s#*:}
	n=\$((n + 1))
	if [ -n "\$hdr" ]; then
		"$kvmgate" gen --arch \$arch --headers "\$hdr" --no-dwarf -o "$tmp/all_\$n"
	else
		"$kvmgate" gen --arch \$arch --no-dwarf -o "$tmp/all_\$n"
	fi
done
EOF
chmod +x "$tmp/all.sh"
nsets=$(echo $sets | wc -w)
measure all sh "$tmp/all.sh"
echo "$bg1_row"
row all "kvmgate gen x $nsets sets" \
	"$(awk -v a="$min_ms" -v b="$bg1_ms" -v g=$goal_sets 'BEGIN { r = a / b
		printf "%.3fx of one bindgen run %s", r,
			(r <= g ? "(goal <= " g ": met)" : "(goal <= " g ": MISSED)") }')"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
