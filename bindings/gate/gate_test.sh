#! /usr/bin/env atf-sh
# gate_test.sh - the main job, `kvmgate gate`: passes on the default inputs, fails (exit 1,
# naming the field in the summary and the drift report) on a candidate bindings.rs with one field
# changed, passes on a bindings.rs of Debian's bindgen (its layout tests and a VM run through its
# Rust structs), fails on a mutated header copy naming the struct and the conformance case, runs
# the conformance suite on /dev/kvm (its kyua, with all it started, stopped as one process group
# on a signal to the gate and at the time limit), writes JUnit that parses as XML whatever it
# holds, and compares with the BTF of each guest kernel of the arch.

KVMGATE_TOP=$(cd "$(atf_get_srcdir)/../.." && pwd) && . "$KVMGATE_TOP/bindings/util/shlib.sh"

# junit_failures FILE: python3 parses FILE as XML; prints its failure count
junit_failures() {
	python3 -c 'import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
print(sum(int(s.get("failures")) for s in r.iter("testsuite")))' "$1"
}

atf_test_case default_inputs
default_inputs_head() {
	atf_set descr 'The gate passes on the installed headers (conformance left out: its own tests prove it), writes summary, JUnit, HTML and drift reports'
	atf_set require.progs 'gcc aarch64-linux-gnu-gcc pahole python3'
	atf_set timeout 300
}
default_inputs_body() {
	atf_check -s exit:0 -o save:stdout -e ignore "$(kg)" gate --no-conformance -o out
	for a in x86_64 arm64; do
		for s in gen compiler dwarf; do
			grep -Eq "^$a +$s +pass +[0-9.]+s" stdout || atf_fail "no passing $a $s progress line"
		done
		grep -Eq "^$a +conformance +skip .*--no-conformance" stdout ||
			atf_fail "$a conformance not reported skipped"
	done
	if /usr/bin/rustc --version > /dev/null 2>&1 || rustc --version > /dev/null 2>&1; then
		grep -Eq '^x86_64 +rust +pass .*test result: ok\. [1-9][0-9]* passed; 0 failed' stdout ||
			atf_fail "no passing x86_64 rust stage"
		if [ "$(uname -m)" = x86_64 ] && [ -w /dev/kvm ]; then
			grep -q 'name="rust:smoke"' out/junit.xml || atf_fail "no rust:smoke case"
			grep -q 'rust_smoke: rax 0x11112222' out/x86_64/rust/rust_smoke.log ||
				atf_fail "the Rust VM run did not read rax back"
		fi
	fi
	grep -q '^verdict: PASS' stdout || atf_fail "no PASS verdict"
	for f in junit.xml summary.txt index.html x86_64/layout x86_64/dwarf-drift.txt \
		arm64/bindings.rs arm64/layout.dwarf; do
		[ -s out/$f ] || atf_fail "out/$f missing"
	done
	[ "$(junit_failures out/junit.xml)" = 0 ] || atf_fail "junit.xml: not 0 failures"
	grep -q "skipped message=\"left out (--no-conformance)\"" out/junit.xml || atf_fail "no skipped conformance case"
	grep -q '^verdict: PASS' out/summary.txt || atf_fail "summary.txt has no verdict"
}

atf_test_case bad_candidate
bad_candidate_head() {
	atf_set descr 'A candidate bindings.rs with kvm_regs.rbx as __u32 fails the gate, naming the field in the summary, the drift report and JUnit'
	atf_set require.progs 'gcc pahole python3'
	atf_set timeout 300
}
bad_candidate_body() {
	atf_check -s exit:0 -e ignore "$(kg)" gen --arch x86_64 --no-dwarf -o first
	sed 's/pub rbx: __u64,/pub rbx: __u32,/' first/bindings.rs > bad.rs
	cmp -s first/bindings.rs bad.rs && atf_fail "mutation did not apply"
	atf_check -s exit:1 -o save:stdout -e ignore "$(kg)" gate --arch x86_64 --no-conformance \
		--no-rust --bindings x86_64=bad.rs -o out
	grep -Eq '^x86_64 +candidate +FAIL' stdout || atf_fail "no failing candidate progress line"
	grep -Eq '^FAIL x86_64 +candidate: .*struct kvm_regs\.rbx' stdout ||
		atf_fail "the summary does not name kvm_regs.rbx"
	grep -q '^verdict: FAIL' stdout || atf_fail "no FAIL verdict"
	atf_check -s exit:0 -o match:'incompatible +field struct kvm_regs.rbx' \
		cat out/x86_64/candidate-drift.txt
	[ "$(junit_failures out/junit.xml)" = 1 ] || atf_fail "junit.xml: not 1 failure"
	grep -q 'kvm_regs.rbx' out/junit.xml || atf_fail "junit.xml does not name the field"
}

atf_test_case bindgen_candidate
bindgen_candidate_head() {
	atf_set descr "A bindings.rs made by Debian's bindgen from the same headers passes the candidate stage"
	atf_set require.progs 'gcc pahole bindgen'
	atf_set timeout 300
}
bindgen_candidate_body() {
	[ -r /usr/lib/llvm-14/lib/libclang.so.1 ] || [ -r /usr/lib/llvm-14/lib/libclang.so ] ||
		atf_skip "LLVM 14's libclang (Debian's bindgen needs it) is not installed"
	fmt=KVMGATE_NO_RUSTFMT=1
	[ -x /usr/bin/rustfmt ] && fmt=RUSTFMT=/usr/bin/rustfmt
	env "$fmt" LIBCLANG_PATH=/usr/lib/llvm-14/lib bindgen /usr/include/linux/kvm.h \
		--impl-debug --with-derive-default --with-derive-partialeq --impl-partialeq -- \
		-I/usr/include -I/usr/include/x86_64-linux-gnu > bg.rs 2> bindgen.err ||
		atf_fail "bindgen failed: $(head -3 bindgen.err)"
	grep -q '^pub struct kvm_regs' bg.rs || grep -q 'pub struct kvm_regs {' bg.rs ||
		atf_fail "bindgen wrote no kvm_regs"
	atf_check -s exit:0 -o save:stdout -e ignore "$(kg)" gate --arch x86_64 --no-conformance \
		--bindings x86_64=bg.rs -o out
	grep -Eq '^x86_64 +candidate +pass .*bg.rs: 0 incompatible' stdout ||
		atf_fail "candidate stage did not pass on bindgen's file: $(grep candidate stdout)"
	grep -q 'bg.rs' out/x86_64/candidate-drift.txt || atf_fail "no candidate drift report"
	# the rust stage over bindgen's file: its layout tests, and the VM run through its structs
	if /usr/bin/rustc --version > /dev/null 2>&1; then
		grep -Eq '^x86_64 +rust +pass .*bg.rs .*test result: ok' stdout ||
			atf_fail "the rust stage did not pass on bindgen's file: $(grep rust stdout)"
	fi
}

atf_test_case candidate_classes
candidate_classes_head() {
	atf_set descr "A candidate of another kernel version (kvmgate's bindings.rs of Debian's 6.12 headers) passes the candidate stage with its api, added, sentinel and layout-neutral differences named; a candidate of another arch is an error naming both"
	atf_set require.progs 'gcc pahole'
	atf_set timeout 600
}
candidate_classes_body() {
	TREE=$("$(atf_get_srcdir)/../../dwarf/kernel-headers.sh" 6.12 x86_64 2> headers.err) ||
		atf_fail "kernel-headers.sh 6.12 x86_64: $(tail -n 1 headers.err)"
	atf_check -s exit:0 -e ignore "$(kg)" gen --arch x86_64 --headers "$TREE" --no-dwarf -o g612
	atf_check -s exit:0 -o save:stdout -e ignore "$(kg)" gate --arch x86_64 --no-conformance \
		--no-rust --bindings x86_64=g612/bindings.rs -o out
	grep -Eq '^x86_64 +candidate +pass .*bindings.rs: 0 incompatible, [1-9][0-9]* api, [1-9][0-9]* added, 2 sentinel, [1-9][0-9]* layout-neutral, 0 allowed \(as an update of the headers. bindings: major\)' stdout ||
		atf_fail "the candidate stage does not name the classes: $(grep candidate stdout)"
	grep -Eq '^sentinel +const KVM_DEV_TYPE_MAX: value 11 -> 12' out/x86_64/candidate-drift.txt ||
		atf_fail "no sentinel line in the drift report"
	grep -Eq '^layout-neutral +field struct kvm_run.hypercall.pad: ' out/x86_64/candidate-drift.txt ||
		atf_fail "no layout-neutral line in the drift report"
	grep -q '^kvmgate diff: verdict major: ' out/x86_64/candidate-drift.txt ||
		atf_fail "no verdict in the drift report"
	# the summary's api column
	grep -Eq '^ +layouts +incomp +api +compat +allowed' stdout || atf_fail "no api column in the summary"
	# an arm64 file given as x86_64's candidate
	atf_check -s exit:0 -e ignore "$(kg)" gen --arch arm64 --no-dwarf -o a
	atf_check -s exit:2 -o save:stdout2 -e ignore "$(kg)" gate --arch x86_64 --no-conformance \
		--no-rust --bindings x86_64=a/bindings.rs -o out2
	grep -Eq '^x86_64 +candidate +ERROR .*A is x86_64, B is arm64' stdout2 ||
		atf_fail "the candidate stage does not refuse the arm64 file: $(grep candidate stdout2)"
}

atf_test_case junit_escaping
junit_escaping_head() {
	atf_set descr 'junit.xml parses as XML when a failure message and its drift text hold |, <, & and ]]>'
	atf_set require.progs 'gcc pahole python3'
	atf_set timeout 300
}
junit_escaping_body() {
	atf_check -s exit:0 -e ignore "$(kg)" gen --arch x86_64 --no-dwarf -o first
	name='we|ird<&]]>.rs'
	sed 's/pub rbx: __u64,/pub rbx: __u32,/' first/bindings.rs > "$name"
	atf_check -s exit:1 -o ignore -e ignore "$(kg)" gate --arch x86_64 --no-conformance \
		--no-rust --bindings "x86_64=$name" -o out
	grep -qF ']]]]><![CDATA[>' out/junit.xml || atf_fail "the drift text's ]]> was not split"
	[ "$(junit_failures out/junit.xml)" = 1 ] || atf_fail "junit.xml: not 1 failure"
	# the message and the drift text come back intact through the parser
	python3 -c 'import sys, xml.etree.ElementTree as E
f = next(E.parse("out/junit.xml").getroot().iter("failure"))
assert sys.argv[1] in f.get("message"), f.get("message")
assert sys.argv[1] in f.text, f.text[:200]' "$name" || atf_fail "message or text not intact"
}

atf_test_case bad_input
bad_input_head() {
	atf_set descr 'Bad options exit 2 with one kvmgate: line'
}
bad_input_body() {
	atf_check -s exit:2 -e match:'^kvmgate: gate: unknown arch .sparc.' "$(kg)" gate --arch sparc
	atf_check -s exit:2 -e match:'^kvmgate: gate: --bindings .x86_64.: expected ARCH=FILE' \
		"$(kg)" gate --bindings x86_64
	atf_check -s exit:2 -e match:'^kvmgate: gate: nosuch.rs: No such file' \
		"$(kg)" gate --bindings x86_64=nosuch.rs
}

# need_kvm: skip unless this machine's /dev/kvm opens for the host arch
need_kvm() {
	[ "$(uname -m)" = x86_64 ] || atf_skip "the host is $(uname -m), not x86_64"
	[ -w /dev/kvm ] || atf_skip "/dev/kvm is not usable here"
}

atf_test_case host_conformance
host_conformance_head() {
	atf_set descr 'The conformance stage builds the suite against the generated bindings and runs it on /dev/kvm: every case and the coverage totals come back'
	atf_set require.progs 'gcc pahole kyua make python3'
	atf_set timeout 600
}
host_conformance_body() {
	need_kvm
	atf_check -s exit:0 -o save:stdout -e ignore "$(kg)" gate --arch x86_64 --no-rust -o out
	grep -Eq '^x86_64 +conformance +pass .* cases on this machine.s /dev/kvm; coverage: [0-9]+ ioctls: [1-9][0-9]* exercised' stdout ||
		atf_fail "no conformance progress line with coverage: $(grep conformance stdout)"
	# the summary's counts are the cases junit.xml holds
	n=$(grep -c 'classname="gate.x86_64.conformance" name="conformance/kvm_basic_test:' out/junit.xml)
	[ "$n" -ge 3 ] || atf_fail "only $n kvm_basic_test cases in junit.xml"
	grep -Eq '^x86_64 .*\| [1-9][0-9]*/[0-9]+/[0-9]+ +\| [1-9][0-9]*/0/[0-9]+' stdout ||
		atf_fail "summary has no ioctl and case counts"
	[ -s out/build/coverage/host-x86_64.txt ] || atf_fail "no coverage report"
}

# fake_conformance: bin/make that builds nothing, and bin/kyua whose `kyua test` hangs deaf to
# SIGTERM, its child (a sleep, deaf too) in its process group; they record their pids.
fake_conformance() {
	mkdir -p bin
	printf '#!/bin/sh\nexit 0\n' > bin/make
	printf '#!/bin/sh\n[ "$1" = test ] || exit 1\ntrap "" TERM\nsleep 300 &\necho $! > %s/sleep.pid\necho $$ > %s/kyua.pid\nwait\n' \
		"$PWD" "$PWD" > bin/kyua
	chmod +x bin/make bin/kyua
}

# gone PIDFILE: the process is no more (or a zombie: dead, its reaper not yet there)
gone() {
	[ ! -e /proc/$(cat "$1") ] || [ "$(sed 's/.*) //' /proc/$(cat "$1")/stat | cut -d' ' -f1)" = Z ]
}

# gone_within PIDFILE...: each gone within 5 s
gone_within() {
	for f in "$@"; do
		n=0
		until gone "$f"; do
			n=$((n + 1))
			if [ $n -ge 250 ]; then
				kill -KILL "$(cat "$f")"
				atf_fail "$f: still running 5 s after the gate stopped it"
			fi
			sleep 0.02
		done
	done
}

atf_test_case conformance_signalled
conformance_signalled_head() {
	atf_set descr 'SIGTERM to the gate while the conformance stage'"'"'s kyua runs: the gate dies of it, and kyua and what it started (deaf to SIGTERM) are gone: their process group is killed'
	atf_set require.progs 'gcc pahole'
	atf_set timeout 120
}
conformance_signalled_body() {
	need_kvm
	fake_conformance
	$SIG_DEFAULTS PATH=$PWD/bin:$PATH "$(kg)" gate --arch x86_64 --no-rust -o out > out.log 2>&1 &
	pid=$!
	n=0
	until [ -s kyua.pid ] && [ -s sleep.pid ]; do
		n=$((n + 1))
		[ $n -lt 3000 ] || { kill $pid; atf_fail "the gate never started kyua: $(tail -3 out.log)"; }
		sleep 0.02
	done
	kill -TERM $pid
	wait $pid
	st=$?
	[ $st = 143 ] || atf_fail "the gate exited $st on SIGTERM, not 143"
	gone_within kyua.pid sleep.pid
}

atf_test_case conformance_timeout
conformance_timeout_head() {
	atf_set descr 'A conformance stage whose kyua outlives --timeout: kyua and what it started (deaf to SIGTERM) are killed as a group, the stage is an error (exit 2) naming kyua'
	atf_set require.progs 'gcc pahole'
	atf_set timeout 120
}
conformance_timeout_body() {
	need_kvm
	fake_conformance
	atf_check -s exit:2 -o save:stdout -e ignore env PATH=$PWD/bin:$PATH "$(kg)" gate \
		--arch x86_64 --no-rust --timeout 2 -o out
	grep -Eq '^x86_64 +conformance +ERROR' stdout || atf_fail "no conformance error: $(grep conformance stdout)"
	grep -q 'kvmgate gate: kyua killed after 2 s' out/x86_64/conformance.log ||
		atf_fail "conformance.log does not say kyua was killed"
	gone_within kyua.pid sleep.pid
}

atf_test_case mutated_headers
mutated_headers_head() {
	atf_set descr 'A copy of the headers with kvm_regs.rax and .rbx swapped fails the gate: the summary names struct kvm_regs (kernel BTF) and the failing conformance case regs_guest_add'
	atf_set require.progs 'gcc pahole kyua make python3'
	atf_set timeout 600
}
mutated_headers_body() {
	need_kvm
	[ -r /sys/kernel/btf/vmlinux ] || atf_skip "no /sys/kernel/btf/vmlinux to compare with"
	mkdir -p tree/include || atf_fail "mkdir"
	cp -r /usr/include/linux /usr/include/asm-generic tree/include/ &&
		cp -r /usr/include/x86_64-linux-gnu/asm tree/include/asm || atf_fail "cannot copy the headers"
	sed -i 's/^\t__u64 rax, rbx, rcx, rdx;$/\t__u64 rbx, rax, rcx, rdx;/' tree/include/asm/kvm.h
	grep -q '__u64 rbx, rax, rcx, rdx;' tree/include/asm/kvm.h || atf_fail "mutation did not apply"
	atf_check -s exit:1 -o save:stdout -e ignore "$(kg)" gate --arch x86_64 --no-rust --headers tree -o out
	sed -n '/^verdict/q; p' stdout > summary
	grep -Eq '^FAIL x86_64 +kernel:host: .*struct kvm_regs\.(rax|rbx)' stdout ||
		atf_fail "the summary does not name struct kvm_regs"
	grep -Eq '^FAIL x86_64 +conformance/kvm_basic_test:regs_guest_add: failed' stdout ||
		atf_fail "the summary does not name the failing case regs_guest_add"
	grep -q '^verdict: FAIL' stdout || atf_fail "no FAIL verdict"
	# the failure text in junit.xml is kyua's: the check that failed
	python3 -c 'import xml.etree.ElementTree as E
for c in E.parse("out/junit.xml").getroot().iter("testcase"):
    if c.get("name") == "conformance/kvm_basic_test:regs_guest_add":
        f = c.find("failure")
        assert f is not None and "Check failed" in f.text, f
        break
else:
    raise SystemExit("no regs_guest_add case")' || atf_fail "junit.xml lacks the failure text"
}

# chromium_run ARGS...: headless Chromium, no network or profile of the user's
chromium_run() {
	chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run \
		--user-data-dir="$PWD/chromium-profile" "$@" 2> chromium.err
}

atf_test_case html_report
html_report_head() {
	atf_set descr 'index.html renders in headless Chromium: its DOM holds the summary table with a row per arch, the failing case naming the field, the drift report; a screenshot is written'
	atf_set require.progs 'gcc pahole chromium python3'
	atf_set timeout 300
}
html_report_body() {
	atf_check -s exit:0 -e ignore "$(kg)" gen --arch x86_64 --no-dwarf -o first
	sed 's/pub rbx: __u64,/pub rbx: __u32,/' first/bindings.rs > bad.rs
	atf_check -s exit:1 -o ignore -e ignore "$(kg)" gate --no-conformance --no-rust \
		--bindings x86_64=bad.rs -o out
	chromium_run --dump-dom "file://$PWD/out/index.html" > dom.html ||
		atf_fail "chromium --dump-dom failed: $(tail -n 3 chromium.err)"
	# the DOM as the browser parsed it: the summary table, one row per arch, the figures
	python3 - dom.html <<'PY' || atf_fail "the rendered DOM lacks the summary"
import sys, html.parser
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.tables = {}; self.cur = None; self.row = None; self.cell = None
    def handle_starttag(self, tag, a):
        a = dict(a)
        if tag == "table" and a.get("id"): self.cur = a["id"]; self.tables[self.cur] = []
        elif tag == "tr" and self.cur: self.row = []; self.tables[self.cur].append(self.row)
        elif tag in ("td", "th") and self.row is not None: self.cell = ""
    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None: self.row.append(self.cell.strip()); self.cell = None
        elif tag == "table": self.cur = None; self.row = None
    def handle_data(self, d):
        if self.cell is not None: self.cell += d
p = P(); p.feed(open(sys.argv[1]).read())
t = p.tables["summary"]
assert t[0][0] == "arch" and "incompatible" in t[0], t[0]
rows = {r[0]: r for r in t[1:]}
# a row for every arch of the table (x86_64 and arm64 at least); only x86_64's candidate is wrong
assert {"x86_64", "arm64"} <= set(rows), rows.keys()
inc = t[0].index("incompatible")
assert int(rows["x86_64"][inc]) >= 1, rows
assert all(int(r[inc]) == 0 for a, r in rows.items() if a != "x86_64"), rows
assert "times" in p.tables and "coverage" in p.tables, p.tables.keys()
PY
	grep -q 'struct kvm_regs.rbx' dom.html || atf_fail "the DOM does not name kvm_regs.rbx"
	grep -q '<title>kvmgate gate: FAIL</title>' dom.html || atf_fail "no FAIL title in the DOM"
	chromium_run --window-size=1400,1000 --screenshot="$PWD/shot.png" "file://$PWD/out/index.html" ||
		atf_fail "chromium --screenshot failed: $(tail -n 3 chromium.err)"
	[ "$(head -c 8 shot.png | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
		atf_fail "no PNG screenshot"
	[ "$(wc -c < shot.png)" -gt 20000 ] || atf_fail "the screenshot is nearly empty"
	# self-contained: nothing fetched, no scripts
	grep -Eq '<script|src="http|href="http' out/index.html && atf_fail "index.html is not self-contained"
	true
}

atf_test_case guest_btf
guest_btf_head() {
	atf_set descr 'The kernel stage compares with the BTF each guest kernel of the arch handed back (x86_64: the kvm module'"'"'s split BTF on its vmlinux), not with another arch'"'"'s'
	atf_set require.progs 'pahole'
	atf_set timeout 300
}
guest_btf_body() {
	cache=${KVMGATE_CACHE:-$HOME/.cache/kvmgate}
	src=
	for d in "$cache"/btf/*-amd64; do
		[ -s "$d/kvm" ] && [ -s "$d/vmlinux" ] && src=$d
	done
	[ -n "$src" ] || atf_skip "no x86_64 guest kernel's BTF with a kvm module in $cache/btf (make vmimages-run hands it back)"
	mkdir -p btf/9.9.0-test-amd64 btf/9.9.0-test-arm64
	cp "$src/vmlinux" "$src/kvm" btf/9.9.0-test-amd64/
	echo x86_64 > btf/9.9.0-test-amd64/arch
	cp "$src/vmlinux" btf/9.9.0-test-arm64/vmlinux
	echo arm64 > btf/9.9.0-test-arm64/arch
	GATE_GUEST_BTF=$PWD/btf atf_check -s exit:0 -o save:stdout -e ignore \
		"$(kg)" gate --arch x86_64 --no-conformance --no-rust -o out
	grep -q '<system-out>guest 9\.9\.0-test-amd64 BTF (kvm module): 0 incompatible' out/junit.xml ||
		atf_fail "junit.xml: no passing case on the guest's kvm module BTF"
	grep -q 'test-arm64' out/junit.xml && atf_fail "the arm64 guest's BTF was compared for x86_64"
	d=out/x86_64/kernel-9.9.0-test-amd64-drift.txt
	grep -q '^# kvmgate gate kernel: .* against .*/9\.9\.0-test-amd64/kvm,' "$d" ||
		atf_fail "$d: not against the kvm module"
	grep -q '^kvmgate diff: 0 incompatible' "$d" || atf_fail "$d: not 0 incompatible"
	# the kvm module's types (kvm_clock_data, ...) are checked: fewer "not in kernel" than the
	# vmlinux alone leaves
	gate=$(sed -n 's/^kvmgate diff: .*, \([0-9]*\) not in kernel$/\1/p' "$d")
	"$(kg)" diff --allow "$(atf_get_srcdir)/../../dwarf/kernel.allow" out/x86_64/layout \
		btf/9.9.0-test-amd64/vmlinux > vmlinux-only.txt 2>&1
	alone=$(sed -n 's/^kvmgate diff: .*, \([0-9]*\) not in kernel$/\1/p' vmlinux-only.txt)
	[ -n "$gate" ] && [ -n "$alone" ] && [ "$gate" -lt "$alone" ] ||
		atf_fail "not in kernel: ${gate:-?} with the kvm module, ${alone:-?} with the vmlinux alone"
}

atf_init_test_cases() {
	atf_add_test_case default_inputs
	atf_add_test_case bad_candidate
	atf_add_test_case bindgen_candidate
	atf_add_test_case candidate_classes
	atf_add_test_case junit_escaping
	atf_add_test_case bad_input
	atf_add_test_case html_report
	atf_add_test_case host_conformance
	atf_add_test_case conformance_signalled
	atf_add_test_case conformance_timeout
	atf_add_test_case mutated_headers
	atf_add_test_case guest_btf
}
