#! /usr/bin/env atf-sh
# ci_test.sh - the CI templates of doc/ (a GitHub Actions workflow and a Buildkite pipeline for a
# bindings repository): both parse as YAML, run on pull requests that change src/*/bindings*.rs,
# split the arch x version matrix into one job a pair (arches of the arch table, versions
# `kvmgate bindings` takes), upload the JUnit and HTML reports; every kvmgate command they run
# exists with the options they give it, every make target exists; and the workflow's gate step,
# run as it is on a laid-out tree, writes the reports it uploads (on v6.1: conformance's catalog
# is 6.1's, 6.12's new ioctls are not in it yet).

KVMGATE_TOP=$(cd "$(atf_get_srcdir)/../.." && pwd) && . "$KVMGATE_TOP/bindings/util/shlib.sh"
DOC=$KVMGATE_TOP/bindings/update/doc

# ci_facts: the facts of both files, one a line (python3 with PyYAML parses them):
#   trigger FILE PATTERN | arch FILE A | version FILE V | artifact FILE PATH
#   kvmgate FILE SUB OPTION... | make FILE TARGET... | step FILE NAME (the gate step's script in
#   gate-step.sh)
ci_facts() {
	python3 - "$DOC/github-actions.yml" "$DOC/buildkite-pipeline.yml" <<'EOF'
import re, shlex, sys, yaml

def scripts_facts(name, scripts):
    for s in scripts:
        for inv in re.findall(r'kvmgate/kvmgate\s+([a-z]+)([^)\n&;]*)', s):
            opts = [t for t in shlex.split(inv[1]) if t.startswith('--')]
            print('kvmgate', name, inv[0], *opts)
        for m in re.findall(r'\bmake\s+-C\s+kvmgate\s+([^&;\n]*)', s):
            print('make', name, *[t for t in m.split() if not t.startswith('-')])

gh = yaml.safe_load(open(sys.argv[1]))
on = gh.get('on', gh.get(True))		# YAML 1.1 reads the key `on` as true
for p in on['pull_request']['paths']:
    print('trigger github', p)
job = gh['jobs']['gate']
for a in job['strategy']['matrix']['arch']:
    print('arch github', a)
for v in job['strategy']['matrix']['version']:
    print('version github', v)
runs = []
for st in job['steps']:
    if 'run' in st:
        runs.append(st['run'])
        if 'kvmgate gate' in st.get('name', ''):
            open('gate-step.sh', 'w').write(st['run'])
            print('step github', st['name'])
    if st.get('uses', '').startswith('actions/upload-artifact'):
        for p in st['with']['path'].split():
            print('artifact github', p)
for k in ('KVM_ARCH', 'KVM_VERSION'):
    if 'matrix.' not in job['env'][k]:
        print('error github: %s is not taken from the matrix' % k)
scripts_facts('github', runs)

bk = yaml.safe_load(open(sys.argv[2]))
for st in bk['steps']:
    print('trigger buildkite', st['if_changed'])
    for a in st['matrix']['setup']['arch']:
        print('arch buildkite', a)
    for v in st['matrix']['setup']['version']:
        print('version buildkite', v)
    for p in st['artifact_paths']:
        print('artifact buildkite', p)
    if st['env']['KVM_ARCH'] != '{{matrix.arch}}' or st['env']['KVM_VERSION'] != '{{matrix.version}}':
        print('error buildkite: the step env is not the matrix')
    cmds = st['command'] if isinstance(st['command'], list) else [st['command']]
    # $$ is Buildkite's escape of $ at pipeline upload
    scripts_facts('buildkite', [c.replace('$$', '$') for c in cmds])
EOF
}

atf_test_case templates_parse
templates_parse_head() {
	atf_set descr 'Both templates parse as YAML, trigger on src/*/bindings*.rs, matrix the arches of the arch table x versions kvmgate takes one job a pair, upload junit.xml and index.html; their kvmgate commands and options and make targets exist'
	atf_set require.progs 'python3 make'
}
templates_parse_body() {
	python3 -c 'import yaml' 2>/dev/null || atf_skip "python3-yaml not installed (make deps)"
	ci_facts > facts 2> facts.err || atf_fail "the templates do not parse: $(tail -n 3 facts.err)"
	grep '^error' facts && atf_fail "$(grep '^error' facts)"
	for f in github buildkite; do
		grep -qx "trigger $f src/\*/bindings\*\.rs" facts || atf_fail "$f: no trigger on src/*/bindings*.rs"
		for p in gate-report/junit.xml gate-report/index.html; do
			grep -qx "artifact $f $p" facts || atf_fail "$f: $p not uploaded"
		done
		grep -q "^kvmgate $f gate " facts || atf_fail "$f runs no kvmgate gate"
		grep -q "^kvmgate $f bindings " facts || atf_fail "$f runs no kvmgate bindings"
		[ "$(grep -c "^arch $f " facts)" -ge 2 ] || atf_fail "$f: not a matrix of arches"
		[ "$(grep -c "^version $f " facts)" -ge 2 ] || atf_fail "$f: not a matrix of versions"
	done
	# every arch and version of the matrices is one kvmgate bindings accepts (it then
	# complains of the source, not of them)
	for a in $(sed -n 's/^arch [a-z]* //p' facts | sort -u); do
		for v in $(sed -n 's/^version [a-z]* //p' facts | sort -u); do
			atf_check -s exit:2 -o empty -e match:'^kvmgate: bindings: /nonexistent: No such file' \
				"$(kg)" bindings --linux /nonexistent --versions "$v" --arches "$a" -o x
		done
	done
	n=0
	while read -r what file sub opts; do
		[ "$what" = kvmgate ] || continue
		"$(kg)" "$sub" --help > help.txt 2>&1 || atf_fail "$file: kvmgate $sub: no such command"
		for o in $opts; do
			grep -Eq -- "(^|[^a-z-])$o([^a-z-]|$)" help.txt ||
				atf_fail "$file: kvmgate $sub has no option $o: $(cat help.txt)"
			n=$((n + 1))
		done
	done < facts
	[ $n -ge 8 ] || atf_fail "only $n options checked"
	while read -r what file targets; do
		[ "$what" = make ] || continue
		for t in $targets; do
			make -C "$KVMGATE_TOP" -q "$t" > /dev/null 2>&1
			[ $? -ne 2 ] || atf_fail "$file: make $t: no such target"
		done
	done < facts
	grep -q '^make github .*deps' facts || atf_fail "the workflow does not install the packages"
}

atf_test_case templates_reject_typos
templates_reject_typos_head() {
	atf_set descr 'The option check fails a template whose command gives an option kvmgate lacks (the check can fail)'
	atf_set require.progs 'python3'
}
templates_reject_typos_body() {
	python3 -c 'import yaml' 2>/dev/null || atf_skip "python3-yaml not installed (make deps)"
	mkdir doc
	sed 's/--print-headers/--print-header-tree/' "$DOC/github-actions.yml" > doc/github-actions.yml
	cp "$DOC/buildkite-pipeline.yml" doc/
	DOC=$PWD/doc
	ci_facts > facts
	opt=$(sed -n 's/^kvmgate github bindings .*\(--print-header-tree\).*/\1/p' facts)
	[ "$opt" = --print-header-tree ] || atf_fail "the mutated option was not extracted"
	"$(kg)" bindings --help > help.txt
	grep -Eq -- "(^|[^a-z-])$opt([^a-z-]|$)" help.txt && atf_fail "the check accepts $opt"
	return 0
}

atf_test_case gate_step_runs
gate_step_runs_head() {
	atf_set descr 'The workflow gate step, run as written in a bindings repository laid out by kvmgate bindings (linux: the tarballs), writes the JUnit and HTML reports it uploads, and the gate passes'
	atf_set require.files '/usr/src/linux-source-6.1.tar.xz'
	atf_set require.progs 'python3 gcc pahole make rsync'
	atf_set timeout 1200
}
gate_step_runs_body() {
	python3 -c 'import yaml' 2>/dev/null || atf_skip "python3-yaml not installed (make deps)"
	host=$(host_arch)
	[ -n "$host" ] || atf_skip "this machine's arch is none of the table's"
	ci_facts > facts
	[ -s gate-step.sh ] || atf_fail "no gate step in the workflow"
	atf_check -s exit:0 -o ignore -e ignore "$(kg)" bindings --versions v6.1 --arches "$host" -o repo
	mkdir repo/kvmgate
	ln -s "$(kg)" repo/kvmgate/kvmgate
	ln -s /usr/src repo/linux
	(cd repo && KVM_ARCH=$host KVM_VERSION=v6.1 sh -e ../gate-step.sh) > step.log 2>&1 ||
		atf_fail "the gate step failed: $(grep -E 'FAIL|ERROR|verdict' step.log | head -n 5 | tr '\n' ' ')"
	grep -q '^verdict: PASS' step.log || atf_fail "no PASS verdict"
	grep -Eq "^$host +candidate +pass .*bindings_v6_1_0\.rs" step.log ||
		atf_fail "the candidate stage did not gate src/$host/bindings_v6_1_0.rs"
	for f in junit.xml index.html summary.txt; do
		[ -s repo/gate-report/$f ] || atf_fail "gate-report/$f missing"
	done
}

atf_init_test_cases() {
	atf_add_test_case templates_parse
	atf_add_test_case templates_reject_typos
	atf_add_test_case gate_step_runs
}
