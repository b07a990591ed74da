/* gate_rust.c - the rust stage: where rustc is (KVMGATE_RUSTC, else Debian's /usr/bin/rustc,
 * else rustc on PATH), the bindings.rs under test (the candidate, else the generated one) is
 * compiled as a test crate (rustc --test, no crates) and its layout tests run ("rust:layout");
 * on x86_64 with /dev/kvm, the crate is rust_smoke/main.rs with that bindings.rs as its module,
 * and its rust_smoke test runs too ("rust:smoke": a VM, a vCPU in long mode set through the Rust
 * structs, guest code to a KVM_EXIT_IO read back through the Rust kvm_run). Work files in
 * OUT/<arch>/rust/. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "gate.h"

static const char *rustc(void)
{
	const char *e = getenv("KVMGATE_RUSTC");

	if (e && *e)
		return e;
	return access("/usr/bin/rustc", X_OK) ? "rustc" : "/usr/bin/rustc";
}

static int copy(const char *from, const char *to)
{
	char err[ERRBUF_SIZE];
	char *buf;
	size_t len;
	int rc;

	if (file__read(from, &buf, &len, err, sizeof(err)))
		return -1;
	rc = file__write(to, buf, len);
	free(buf);
	return rc;
}

/* The last line of a log that starts with prefix, into out; false if none. */
static bool log_line(const char *log, const char *prefix, char *out, size_t len)
{
	char line[1024];
	bool found = false;
	FILE *f = fopen(log, "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, prefix, strlen(prefix))) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(out, len, "%.500s", line);
			found = true;
		}
	fclose(f);
	return found;
}

static void fail_with_log(struct gate *g, size_t ai, const char *name, const char *what,
			  const char *log, int rc)
{
	char *d = gate__read_head(log, 8192);
	char last[512] = "";

	if (!log_line(log, "rust_smoke: ", last, sizeof(last)))
		log_line(log, "error", last, sizeof(last));
	gate__record(g, ai, GS_RUST, name, rc < 0 ? GATE_ERROR : GATE_FAIL, d, "%s failed%s%s",
		     what, *last ? ": " : "", last);
	free(d);
}

void gate_rust(struct gate *g, size_t ai)
{
	struct gate_arch *ga = &g->arches[ai];
	char dir[PATH_MAX + 80], rs[PATH_MAX + 100], bin[PATH_MAX + 100], log[PATH_MAX + 100];
	char src[PATH_MAX + 100], mainrs[PATH_MAX + 100], msg[512];
	const char *rc_cmd = rustc(), *host = arch__host(), *src_rs;
	const char *why = "the Rust VM run is x86_64's, on an x86_64 host";
	bool smoke = false;
	char *ver[] = { (char *)rc_cmd, "--version", NULL };
	int rc;

	if (g->no_rust) {
		gate__record(g, ai, GS_RUST, NULL, GATE_SKIP, NULL, "left out (--no-rust)");
		return;
	}
	snprintf(dir, sizeof(dir), "%s/rust", ga->dir);
	snprintf(log, sizeof(log), "%s/rustc.log", dir);
	if (mkdir(dir, 0777) && access(dir, W_OK)) {
		gate__record(g, ai, GS_RUST, NULL, GATE_ERROR, NULL, "%s: cannot create", dir);
		return;
	}
	if (gate__spawn(g, ver, log)) {
		gate__record(g, ai, GS_RUST, NULL, GATE_SKIP, NULL, "%s does not run here", rc_cmd);
		return;
	}
	/* the crate's module file: the bindings.rs under test as dir/bindings.rs */
	if (ga->candidate)
		snprintf(src, sizeof(src), "%s", ga->candidate);
	else
		snprintf(src, sizeof(src), "%s/bindings.rs", ga->dir);
	snprintf(rs, sizeof(rs), "%s/bindings.rs", dir);
	src_rs = ga->candidate ? ga->candidate : "bindings.rs";
	if (copy(src, rs)) {
		gate__record(g, ai, GS_RUST, NULL, GATE_ERROR, NULL, "%s: cannot copy to %s", src, rs);
		return;
	}
	/* x86_64 on an x86_64 host with /dev/kvm: the crate is rust_smoke/main.rs with the
	 * bindings as its module, one compile for both cases */
	if (!strcmp(ga->a->name, "x86_64") && host && !strcmp(host, "x86_64")) {
		int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

		if (fd >= 0) {
			close(fd);
			smoke = true;
		} else {
			why = "/dev/kvm does not open here";
		}
	}
	if (smoke) {
		snprintf(src, sizeof(src), "%s/bindings/gate/rust_smoke/main.rs", g->top);
		snprintf(mainrs, sizeof(mainrs), "%s/main.rs", dir);
		if (copy(src, mainrs)) {
			gate__record(g, ai, GS_RUST, NULL, GATE_ERROR, NULL, "%s: cannot copy", src);
			return;
		}
	}
	snprintf(bin, sizeof(bin), "%s/layout_tests", dir);
	{
		char *argv[] = { (char *)rc_cmd, "--test", "--edition", "2018", "--crate-type", "lib",
				 "-A", "warnings", "-o", bin, smoke ? mainrs : rs, NULL };

		rc = gate__spawn(g, argv, log);
	}
	if (rc) {
		fail_with_log(g, ai, "rust:layout", "rustc --test", log, rc);
		if (smoke)
			gate__record(g, ai, GS_RUST, "rust:smoke", GATE_SKIP, NULL,
				     "not run: the crate did not compile");
		return;
	}
	{
		char *argv[] = { bin, "--skip", "rust_smoke", NULL };

		snprintf(log, sizeof(log), "%s/layout_tests.log", dir);
		rc = gate__spawn(g, argv, log);
		if (rc)
			fail_with_log(g, ai, "rust:layout", "the layout tests", log, rc);
		else if (log_line(log, "test result: ok.", msg, sizeof(msg)))
			gate__record(g, ai, GS_RUST, "rust:layout", GATE_PASS, NULL,
				     "%s (%s): %s", src_rs, rc_cmd, msg);
		else
			gate__record(g, ai, GS_RUST, "rust:layout", GATE_FAIL, NULL,
				     "the layout tests said no test result (%s)", log);
	}
	if (!smoke) {
		gate__record(g, ai, GS_RUST, "rust:smoke", GATE_SKIP, NULL, "%s", why);
		return;
	}
	{
		char *argv[] = { bin, "--exact", "rust_smoke", "--nocapture", NULL };

		snprintf(log, sizeof(log), "%s/rust_smoke.log", dir);
		rc = gate__spawn(g, argv, log);
	}
	if (rc || !log_line(log, "rust_smoke: ok", msg, sizeof(msg))) {
		fail_with_log(g, ai, "rust:smoke", "the Rust VM run", log, rc);
		return;
	}
	log_line(log, "rust_smoke: rax", msg, sizeof(msg));
	gate__record(g, ai, GS_RUST, "rust:smoke", GATE_PASS, NULL,
		     "a VM run through the Rust structs: KVM_EXIT_IO read back through kvm_run, %s",
		     msg + 12);
}
