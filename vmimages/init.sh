#!/bin/sh
# vmimages/init.sh - /init of the guest images (busybox sh): mount the pseudo file systems, load the
# KVM (x86) and virtio-blk modules, check that /dev/kvm works, run `kyua test` on the conformance
# suite as a user on a KVM host would, and hand everything back on the results disk (a tar written
# raw to /dev/vda): kyua's reports, its results database, the coverage records of the conformance
# programs, the kernel's BTF, its whole log (dmesg.txt: every level, where the console shows
# errors only). Then power off.
# Console lines "kvmgate-guest: ..." mark the steps for the host. kvmgate.fault=exit|hang|nokvm on
# the kernel command line injects a failure (for vmimages/ tests of the failure paths);
# kvmgate.only=PROG[,PROG...] runs those programs of the suite alone (conformance/mutation_test).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TMPDIR=/tmp LANG=C.UTF-8

/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t tmpfs tmp /tmp
mkdir -p /out /root

log() { echo "kvmgate-guest: [$(cut -d' ' -f1 /proc/uptime)] $*"; }
fault=$(sed -n 's/.*kvmgate\.fault=\([a-z]*\).*/\1/p' /proc/cmdline)
only=$(sed -n 's/.*kvmgate\.only=\([A-Za-z0-9_/,]*\).*/\1/p' /proc/cmdline | tr , ' ')
[ "$fault" = exit ] && { log "fault injected: init exits early"; exit 1; }

# Modules, in dependency order, with their parameters (written by build-image.sh).
while read -r mod params; do
	insmod "$mod" $params || log "insmod $mod failed"
done < /etc/kvmgate/modules
log "up, $(uname -r) $(uname -m), modules loaded"
[ "$fault" = nokvm ] && { log "fault injected: /dev/kvm removed"; rm -f /dev/kvm; }
[ "$fault" = hang ] && { log "fault injected: init hangs"; while :; do sleep 3600; done; }

finish() {
	uname -r > /out/kernel-release
	dmesg > /out/dmesg.txt
	mkdir -p /out/btf
	for f in /sys/kernel/btf/vmlinux /sys/kernel/btf/kvm /sys/kernel/btf/kvm_amd; do
		[ -e "$f" ] && cp "$f" /out/btf/
	done
	echo "$1" > /out/status
	if [ -b /dev/vda ] && tar -cf /dev/vda -C /out .; then
		sync
		log "results written"
	else
		log "no results disk"
	fi
	poweroff -f
}

if ! /usr/libexec/kvmgate/kvmcheck > /out/kvmcheck; then
	cat /out/kvmcheck
	dmesg | grep -i -E 'kvm|svm|virtuali[sz]ation|el2' | tail -n 10
	finish "nokvm: $(cat /out/kvmcheck)"
fi
cat /out/kvmcheck

log "kyua test starting"
cd /usr/tests/kvmgate
# The conformance programs' coverage records (conformance/coverage.h) go back in /out/coverage.
mkdir -p /out/coverage
KVMGATE_COVERAGE_DIR=/out/coverage kyua test --results-file=/tmp/results.db $only
echo $? > /out/kyua-exit
all=passed,skipped,xfail,broken,failed
kyua report --results-file=/tmp/results.db --results-filter=$all > /out/cases.txt 2>&1
kyua report --results-file=/tmp/results.db --results-filter=$all --verbose > /out/report.txt 2>&1
kyua report-junit --results-file=/tmp/results.db --output=/out/junit.xml
cp /tmp/results.db /out/results.db
log "kyua test done"
finish ok
