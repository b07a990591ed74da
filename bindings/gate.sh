#!/bin/sh
# gate.sh - the main job: the gate on the default inputs. For each arch (x86_64, arm64, riscv64)
# it generates the bindings from the installed UAPI headers and proves them three ways:
#   compiler   every layout fact as a static assertion, compiled by the arch's gcc
#   dwarf      the DWARF view of the same headers (pahole) equals the libclang view
#   candidate  an existing bindings.rs (CANDIDATE_x86_64=FILE, CANDIDATE_arm64=FILE, ...) has
#              nothing incompatible with the generated manifest (skipped when not given)
# and, informational, the manifest against this machine's kernel BTF (/sys/kernel/btf/vmlinux)
# and against the BTF each guest kernel handed back (vmimages/run-guest.sh keeps it, by kernel
# release, in GATE_GUEST_BTF, default $KVMGATE_CACHE/btf/<release>/{arch,vmlinux,kvm}: the kvm
# module's on its vmlinux base where KVM is a module).
# An arch that no guest runs the conformance suite of (vmimages/no-guest.txt) has its conformance
# stage reported as skipped, with the reason. GATE_ARCHES="riscv64" limits the arches.
# Writes OUT/<arch>/{layout,bindings.rs,layout.h,layout.dwarf,*-drift.txt} and OUT/junit.xml.
# Exit 0 when every check passes, 1 when one finds something incompatible, 2 on failure.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
KVMGATE_TOP=$top && . "$top/bindings/util/shlib.sh"
KVMGATE=${KVMGATE:-$top/kvmgate}
OUT=${1:-$top/build/gate}
rc=0
cases=

say() { printf '%-8s %-11s %s\n' "$1" "$2" "$3"; }

# record ARCH CHECK STATUS(pass|fail|skip|error) MESSAGE [DETAILS-FILE]
record() {
	say "$1" "$2" "$3${4:+: $4}"
	case $3 in
	fail) [ $rc -eq 2 ] || rc=1 ;;
	error) rc=2 ;;
	esac
	cases="$cases$1|$2|$3|$4|${5:-}
"
}

xml_escape() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'; }

write_junit() {
	n=$(printf '%s' "$cases" | grep -c .)
	nf=$(printf '%s' "$cases" | grep -c '|fail|\||error|')
	ns=$(printf '%s' "$cases" | grep -c '|skip|')
	{
		echo '<?xml version="1.0" encoding="UTF-8"?>'
		echo "<testsuite name=\"kvmgate-gate\" tests=\"$n\" failures=\"$nf\" skipped=\"$ns\">"
		printf '%s' "$cases" | while IFS='|' read -r arch check st msg file; do
			[ -n "$arch" ] || continue
			echo "  <testcase classname=\"gate.$arch\" name=\"$check\">"
			m=$(printf '%s' "$msg" | xml_escape)
			case $st in
			fail|error)
				echo "    <failure message=\"$m\"><![CDATA["
				[ -n "$file" ] && [ -f "$file" ] && head -n 200 "$file"
				echo "]]></failure>" ;;
			skip) echo "    <skipped message=\"$m\"/>" ;;
			esac
			echo "  </testcase>"
		done
		echo "</testsuite>"
	} > "$OUT/junit.xml"
}

[ -x "$KVMGATE" ] || { echo "gate.sh: $KVMGATE not built (run make)" >&2; exit 2; }
mkdir -p "$OUT" || exit 2
for arch in ${GATE_ARCHES:-x86_64 arm64 riscv64}; do
	o=$OUT/$arch
	rm -rf "$o.tmp"
	if ! "$KVMGATE" gen --arch "$arch" -o "$o.tmp" 2>"$OUT/$arch-gen.err"; then
		record "$arch" gen error "$(tail -n 1 "$OUT/$arch-gen.err")"
		continue
	fi
	rm -rf "$o" && mv "$o.tmp" "$o" && rm -f "$OUT/$arch-gen.err"
	record "$arch" gen pass "$(grep -c '^type' "$o/layout") types, $(grep -c '^ioctl' "$o/layout") ioctls"

	cc=$(arch_cc "$arch")
	inc=$(manifest_isystem "$o/layout")
	printf '#include <linux/kvm.h>\n#include "layout.h"\n' > "$o/probe.c"
	if (cd "$o" && $cc -std=gnu11 -fsyntax-only -nostdinc $inc -DKVMGATE_LAYOUT_ASSERT \
			-DKVMGATE_LAYOUT_BITFIELDS probe.c) > "$o/compiler-drift.txt" 2>&1; then
		record "$arch" compiler pass "$(grep -c '^KVMGATE_CHECK' "$o/layout.h") assertions hold for $cc"
		rm -f "$o/compiler-drift.txt"
	else
		record "$arch" compiler fail "$(grep -c 'error:' "$o/compiler-drift.txt") assertions fail" \
			"$o/compiler-drift.txt"
	fi
	rm -f "$o/probe.c"

	if [ -f "$o/layout.dwarf" ]; then
		"$KVMGATE" diff "$o/layout" "$o/layout.dwarf" > "$o/dwarf-drift.txt" 2>&1
		case $? in
		0) record "$arch" dwarf pass "$(tail -n 1 "$o/dwarf-drift.txt")" ;;
		1) record "$arch" dwarf fail "$(grep '^kvmgate diff:' "$o/dwarf-drift.txt")" "$o/dwarf-drift.txt" ;;
		*) record "$arch" dwarf error "$(tail -n 1 "$o/dwarf-drift.txt")" "$o/dwarf-drift.txt" ;;
		esac
	else
		record "$arch" dwarf skip "no layout.dwarf (kvmgate built without dwarf/)"
	fi

	eval cand=\${CANDIDATE_$arch:-}
	if [ -n "$cand" ]; then
		"$KVMGATE" diff "$o/layout" "$cand" > "$o/candidate-drift.txt" 2>&1
		case $? in
		0) record "$arch" candidate pass "$cand: $(grep '^kvmgate diff:' "$o/candidate-drift.txt")" ;;
		1) record "$arch" candidate fail "$cand: $(grep '^kvmgate diff:' "$o/candidate-drift.txt")" \
			"$o/candidate-drift.txt" ;;
		*) record "$arch" candidate error "$(tail -n 1 "$o/candidate-drift.txt")" ;;
		esac
	else
		record "$arch" candidate skip "no CANDIDATE_$arch bindings.rs given"
	fi

	why=$(sed -n "s/^$arch	reason=//p" "$top/vmimages/no-guest.txt" 2>/dev/null)
	[ -z "$why" ] || record "$arch" conformance skip "$why"

	if [ "$arch" = "$(uname -m)" ] && [ -r /sys/kernel/btf/vmlinux ]; then
		"$KVMGATE" diff --allow "$top/dwarf/kernel.allow" "$o/layout" /sys/kernel/btf/vmlinux \
			> "$o/kernel-drift.txt" 2>&1
		say "$arch" kernel "(informational) $(uname -r): $(grep -m1 '^kvmgate diff: [0-9]' "$o/kernel-drift.txt" || tail -n 1 "$o/kernel-drift.txt")"
	fi
	for g in "${GATE_GUEST_BTF:-$KVMGATE_CACHE/btf}"/*/arch; do
		[ -r "$g" ] && [ "$(cat "$g")" = "$arch" ] || continue
		d=${g%/arch} rel=${g%/arch} rel=${rel##*/}
		if [ -s "$d/kvm" ]; then
			set -- --btf-base "$d/vmlinux" "$o/layout" "$d/kvm"
		else
			set -- "$o/layout" "$d/vmlinux"
		fi
		"$KVMGATE" diff --allow "$top/dwarf/kernel.allow" "$@" > "$o/kernel-$rel-drift.txt" 2>&1
		say "$arch" kernel "(informational) guest $rel: $(grep -m1 '^kvmgate diff: [0-9]' "$o/kernel-$rel-drift.txt" || tail -n 1 "$o/kernel-$rel-drift.txt")"
	done
done
write_junit
echo "gate: reports in $OUT (junit.xml, <arch>/*-drift.txt); exit $rc"
exit $rc
