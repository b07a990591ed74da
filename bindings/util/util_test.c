/* util_test.c - the utility layer: the hash set (pointers and strings, across growth), growable
 * arrays, the growable string, error lines, temporary directories (and removing a tree), whole
 * files, and child processes (with the process groups they lead). */
#include <atf-c.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "array.h"
#include "errbuf.h"
#include "file.h"
#include "hset.h"
#include "outset.h"
#include "sbuf.h"
#include "spawn.h"
#include "tmpdir.h"

ATF_TC_WITHOUT_HEAD(hset_pointers);
ATF_TC_BODY(hset_pointers, tc)
{
	static int objs[3000];
	struct hset s = HSET_INIT_PTR;
	struct hset_slot *slot;

	for (size_t i = 0; i < 3000; i++) {
		ATF_REQUIRE_EQ(hset__insert(&s, &objs[i], &slot), 1);
		slot->value = &objs[(i + 1) % 3000];
	}
	ATF_CHECK_EQ(s.n, 3000);
	for (size_t i = 0; i < 3000; i++) {
		slot = hset__find(&s, &objs[i]);
		ATF_REQUIRE(slot != NULL);
		ATF_CHECK(slot->value == &objs[(i + 1) % 3000]);	/* values survive growth */
		ATF_CHECK_EQ(hset__add(&s, &objs[i]), 0);		/* already there */
	}
	ATF_CHECK(!hset__has(&s, &s));
	hset__fini(&s);
	ATF_CHECK(!hset__has(&s, &objs[0]));
}

ATF_TC_WITHOUT_HEAD(hset_strings);
ATF_TC_BODY(hset_strings, tc)
{
	struct hset s = HSET_INIT_STR;
	char name[32];

	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "KVM_CAP_%d", i);
		ATF_REQUIRE_EQ(hset__add(&s, strdup(name)), 1);
	}
	/* the same text in another buffer is the same key */
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "KVM_CAP_%d", i);
		ATF_CHECK_MSG(hset__has(&s, name), "%s not found", name);
		ATF_CHECK_EQ(hset__add(&s, name), 0);
	}
	ATF_CHECK(!hset__has(&s, "KVM_CAP_1000"));
	ATF_CHECK_EQ(s.n, 1000);
	hset__free_keys(&s);
	ATF_CHECK_EQ(s.n, 0);
	ATF_CHECK(!hset__has(&s, "KVM_CAP_1"));
	hset__fini(&s);
}

ATF_TC_WITHOUT_HEAD(array_grows);
ATF_TC_BODY(array_grows, tc)
{
	unsigned *v = NULL;
	size_t n = 0, cap = 0;

	for (unsigned i = 0; i < 1000; i++) {
		ATF_REQUIRE_EQ(ARRAY_GROW(v, n, cap, 4), 0);
		ATF_REQUIRE(n < cap);
		v[n++] = i * 7;
	}
	ATF_CHECK_EQ(cap, 1024);	/* 4, doubled */
	for (unsigned i = 0; i < 1000; i++)
		ATF_CHECK_EQ(v[i], i * 7);	/* kept across each reallocation */
	ATF_CHECK(array__grow(v, 10, &cap, sizeof(*v), 4) == v);	/* room: the same array */
	ATF_CHECK_EQ(cap, 1024);
	free(v);
}

ATF_TC_WITHOUT_HEAD(sbuf_grows);
ATF_TC_BODY(sbuf_grows, tc)
{
	struct sbuf sb = SBUF_INIT;
	char big[1000];

	ATF_CHECK_STREQ(sbuf__str(&sb), "");
	sbuf__add(&sb, "pub ");
	sbuf__addn(&sb, "struct xyz", 6);
	sbuf__addf(&sb, " %s_%d", "kvm", 7);
	ATF_CHECK_STREQ(sbuf__str(&sb), "pub struct kvm_7");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	sbuf__addf(&sb, "%s", big);	/* longer than addf's stack buffer */
	ATF_CHECK_EQ(sb.len, 16 + 999);
	ATF_CHECK(!sb.oom);
	sbuf__reset(&sb);
	ATF_CHECK_STREQ(sbuf__str(&sb), "");
	sbuf__fini(&sb);
}

ATF_TC_WITHOUT_HEAD(errbuf_lines);
ATF_TC_BODY(errbuf_lines, tc)
{
	char err[32];

	ATF_CHECK_EQ(errbuf__fail_at(err, sizeof(err), "a.rs", 12, "expected %s", "';'"), -EINVAL);
	ATF_CHECK_STREQ(err, "a.rs:12: expected ';'");
	ATF_CHECK_EQ(errbuf__fail(err, sizeof(err), "no file"), -EINVAL);
	ATF_CHECK_STREQ(err, "no file");
	errbuf__fail_at(err, 12, "long/path/name", 1, "truncated");
	ATF_CHECK_EQ(strlen(err), 11);	/* cut to the buffer, NUL-terminated */
}

ATF_TC_WITHOUT_HEAD(tmpdir_and_files);
ATF_TC_BODY(tmpdir_and_files, tc)
{
	char *dir, path[4096], err[ERRBUF_SIZE], *buf;
	static const char data[] = "BTF\0blob";
	struct stat st;
	size_t len;

	ATF_REQUIRE(setenv("TMPDIR", ".", 1) == 0);
	ATF_REQUIRE_EQ(tmpdir__new("kvmgate-test", &dir), 0);
	ATF_CHECK(strncmp(dir, "./kvmgate-test-", 15) == 0);
	ATF_REQUIRE(stat(dir, &st) == 0 && S_ISDIR(st.st_mode));
	ATF_CHECK_EQ(st.st_mode & 077, 0);	/* private */
	snprintf(path, sizeof(path), "%s/blob", dir);
	ATF_REQUIRE_EQ(file__write(path, data, sizeof(data)), 0);
	ATF_REQUIRE_EQ(file__read(path, &buf, &len, err, sizeof(err)), 0);
	ATF_CHECK_EQ(len, sizeof(data));
	ATF_CHECK(memcmp(buf, data, sizeof(data)) == 0);
	free(buf);
	tmpdir__remove(dir);
	ATF_CHECK(stat(dir, &st) != 0 && errno == ENOENT);
	ATF_CHECK_EQ(file__read(path, &buf, &len, err, sizeof(err)), -ENOENT);
	ATF_CHECK_MSG(strstr(err, "/blob: No such file") != NULL, "err '%s'", err);
	free(dir);
}

ATF_TC_WITHOUT_HEAD(tmpdir_remove_tree);
ATF_TC_BODY(tmpdir_remove_tree, tc)
{
	char *dir, p[4096], link[4096];

	ATF_REQUIRE_EQ(tmpdir__new("kvmgate-test", &dir), 0);
	snprintf(p, sizeof(p), "%s/a/b/c", dir);
	ATF_REQUIRE_EQ(mkdir(p, 0700) == 0 ? 0 : errno, ENOENT);	/* a/b not there yet */
	snprintf(p, sizeof(p), "%s/a", dir);
	ATF_REQUIRE_EQ(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/a/b", dir);
	ATF_REQUIRE_EQ(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/a/b/f", dir);
	ATF_REQUIRE_EQ(file__write(p, "x", 1), 0);
	/* a symlink to a directory outside: removed itself, the target left alone */
	ATF_REQUIRE_EQ(mkdir("outside", 0700), 0);
	ATF_REQUIRE_EQ(file__write("outside/keep", "k", 1), 0);
	ATF_REQUIRE(realpath("outside", link) != NULL);
	snprintf(p, sizeof(p), "%s/a/l", dir);
	ATF_REQUIRE_EQ(symlink(link, p), 0);
	ATF_CHECK_EQ(tmpdir__remove(dir), 0);
	ATF_CHECK_EQ(access(dir, F_OK) == 0 ? 0 : errno, ENOENT);
	ATF_CHECK_EQ(access("outside/keep", F_OK), 0);
	ATF_CHECK_EQ(tmpdir__remove(dir), 0);	/* gone already: nothing to do */
	ATF_CHECK_EQ(tmpdir__remove(NULL), 0);
	free(dir);
}

ATF_TC_WITHOUT_HEAD(spawn_children);
ATF_TC_BODY(spawn_children, tc)
{
	char *const echo[] = { "sh", "-c", "echo out; echo err >&2; exit 3", NULL };
	char *const missing[] = { "kvmgate-no-such-program", NULL };
	struct spawn_io io = { .out = { .path = "out.txt" }, .err = { .path = "err.txt" } };
	char err[ERRBUF_SIZE], *buf;
	size_t len;
	int status;

	ATF_REQUIRE_EQ(spawn__run(echo, &io, &status), 0);
	ATF_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3);
	ATF_CHECK(!spawn__ok(status));
	ATF_REQUIRE_EQ(file__read("out.txt", &buf, &len, err, sizeof(err)), 0);
	ATF_CHECK(len == 4 && !memcmp(buf, "out\n", 4));
	free(buf);
	ATF_REQUIRE_EQ(file__read("err.txt", &buf, &len, err, sizeof(err)), 0);
	ATF_CHECK(len == 4 && !memcmp(buf, "err\n", 4));
	free(buf);
	ATF_CHECK_EQ(spawn__run(missing, NULL, &status), ENOENT);
}

ATF_TC_WITHOUT_HEAD(spawn_signal_mask);
ATF_TC_BODY(spawn_signal_mask, tc)
{
	/* the child gets the caller's signal mask, not the one spawn__start holds while it
	 * registers the child (a child with SIGTERM blocked cannot be stopped) */
	char *const show[] = { "grep", "^SigBlk:", "/proc/self/status", NULL };	/* no shell: sh resets its mask */
	struct spawn_io io = { .out = { .path = "mask.txt" } };
	char err[ERRBUF_SIZE], *buf;
	size_t len;
	int status;

	ATF_REQUIRE_EQ(spawn__run(show, &io, &status), 0);
	ATF_REQUIRE(spawn__ok(status));
	ATF_REQUIRE_EQ(file__read("mask.txt", &buf, &len, err, sizeof(err)), 0);
	ATF_CHECK_MSG(len >= 24 && !memcmp(buf, "SigBlk:\t0000000000000000\n", 25),
		      "the child's mask: %.*s", (int)len, buf);
	free(buf);
}

/* In a worker thread (tmpdir__thread_create): its mask, and its child's. */
struct worker_seen {
	bool int_blocked, term_blocked, hup_blocked;
	int spawn_rc, status;
};

static void *worker_spawn(void *arg)
{
	struct worker_seen *w = arg;
	char *const show[] = { "grep", "^SigBlk:", "/proc/self/status", NULL };
	struct spawn_io io = { .out = { .path = "worker-mask.txt" } };
	sigset_t cur;

	pthread_sigmask(SIG_BLOCK, NULL, &cur);
	w->int_blocked = sigismember(&cur, SIGINT) == 1;
	w->term_blocked = sigismember(&cur, SIGTERM) == 1;
	w->hup_blocked = sigismember(&cur, SIGHUP) == 1;
	w->spawn_rc = spawn__run(show, &io, &w->status);
	return NULL;
}

ATF_TC_WITHOUT_HEAD(worker_thread_signals);
ATF_TC_BODY(worker_thread_signals, tc)
{
	/* a worker never runs the handler (SIGINT, SIGTERM, SIGHUP blocked: they go to the thread
	 * that registers paths), and what it spawns can still be stopped (a child of it starts with
	 * them deliverable) */
	struct worker_seen w = { 0 };
	char err[ERRBUF_SIZE], *buf;
	pthread_t t;
	size_t len;

	ATF_REQUIRE_EQ(tmpdir__thread_create(&t, worker_spawn, &w), 0);
	ATF_REQUIRE_EQ(pthread_join(t, NULL), 0);
	ATF_CHECK(w.int_blocked && w.term_blocked && w.hup_blocked);
	ATF_REQUIRE_EQ(w.spawn_rc, 0);
	ATF_REQUIRE(spawn__ok(w.status));
	ATF_REQUIRE_EQ(file__read("worker-mask.txt", &buf, &len, err, sizeof(err)), 0);
	ATF_CHECK_MSG(len >= 24 && !memcmp(buf, "SigBlk:\t0000000000000000\n", 25),
		      "the worker's child's mask: %.*s", (int)len, buf);
	free(buf);
}

/* A shell deaf to SIGTERM in a group of its own (spawn_io.group) whose child, a sleep deaf to
 * SIGTERM too, stays in the group; *sleeper is the sleep's pid (read from the shell's stdout).
 * This process is made the subreaper, so that the sleep, orphaned, becomes its child. */
static pid_t deaf_group_start(pid_t *sleeper)
{
	char *const sh[] = { "sh", "-c", "trap '' TERM; sleep 300 & echo $!; wait", NULL };
	struct spawn_io io = { .err = { .fd = -1 }, .group = 1 };
	char line[32] = "";
	long v = 0;
	pid_t pid;
	int p[2];
	FILE *f;

	ATF_REQUIRE_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	ATF_REQUIRE_EQ(pipe(p), 0);
	io.out.fd = p[1];
	ATF_REQUIRE_EQ(spawn__start(&pid, sh, &io), 0);
	close(p[1]);
	ATF_REQUIRE((f = fdopen(p[0], "r")) != NULL);
	ATF_REQUIRE_MSG(fgets(line, sizeof(line), f) && sscanf(line, "%ld", &v) == 1 && v > 0,
			"no pid from the shell: '%s'", line);
	fclose(f);
	ATF_CHECK_EQ(getpgid(pid), pid);
	ATF_CHECK_EQ(getpgid((pid_t)v), pid);
	*sleeper = (pid_t)v;
	return pid;
}

/* The sleep of deaf_group_start, orphaned: it must end by SIGKILL within 5 s (else it is killed
 * here and the case fails). */
static void check_sleeper_killed(pid_t sleeper)
{
	int status = 0, rc = spawn__wait_timeout(sleeper, &status, 5);

	ATF_CHECK_MSG(rc != -ETIMEDOUT, "the group's sleep outlived its leader by 5 s");
	ATF_CHECK_MSG(rc == -ETIMEDOUT || (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL),
		      "the group's sleep: rc %d status 0x%x, not SIGKILL", rc, status);
}

ATF_TC(spawn_group_timeout);
ATF_TC_HEAD(spawn_group_timeout, tc)
{
	atf_tc_set_md_var(tc, "descr", "A child of spawn_io.group that outlives its time limit is "
			  "killed with its whole group: its own child, deaf to SIGTERM, dies too");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(spawn_group_timeout, tc)
{
	pid_t sleeper, pid = deaf_group_start(&sleeper);
	int status;

	ATF_CHECK_EQ(spawn__wait_timeout(pid, &status, 1), -ETIMEDOUT);
	check_sleeper_killed(sleeper);
}

ATF_TC(spawn_group_signal);
ATF_TC_HEAD(spawn_group_signal, tc)
{
	atf_tc_set_md_var(tc, "descr", "SIGTERM to a process whose child of spawn_io.group runs: "
			  "the handler stops the whole group (its own child, deaf to SIGTERM, too) "
			  "and the process dies of SIGTERM");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(spawn_group_signal, tc)
{
	pid_t sleeper, x;
	int p[2], status;

	ATF_REQUIRE_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	ATF_REQUIRE_EQ(pipe(p), 0);
	x = fork();
	ATF_REQUIRE(x >= 0);
	if (x == 0) {	/* the spawner: starts the group, says so, waits for its signal */
		pid_t s;

		close(p[0]);
		deaf_group_start(&s);
		if (write(p[1], &s, sizeof(s)) != sizeof(s))
			_exit(125);
		for (;;)
			pause();
	}
	close(p[1]);
	ATF_REQUIRE_EQ(read(p[0], &sleeper, sizeof(sleeper)), (ssize_t)sizeof(sleeper));
	close(p[0]);
	ATF_REQUIRE_EQ(kill(x, SIGTERM), 0);
	ATF_REQUIRE_EQ(waitpid(x, &status, 0), x);
	ATF_CHECK_MSG(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
		      "the spawner: status 0x%x, not SIGTERM", status);
	check_sleeper_killed(sleeper);
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ATF_REQUIRE(f && fputs(text, f) >= 0 && fclose(f) == 0);
}

static bool holds(const char *path, const char *text)
{
	char err[ERRBUF_SIZE], *buf;
	size_t len;
	bool same;

	if (file__read(path, &buf, &len, err, sizeof(err)))
		return false;
	same = len == strlen(text) && !memcmp(buf, text, len);
	free(buf);
	return same;
}

static int w_text(void *arg, FILE *f, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	return fputs(arg, f) < 0 ? -EIO : 0;
}

static int w_refuse(void *arg, FILE *f, char *err, size_t errlen)
{
	(void)arg;
	fputs("partial", f);
	return errbuf__fail(err, errlen, "refused");
}

ATF_TC_WITHOUT_HEAD(outset_whole_or_nothing);
ATF_TC_BODY(outset_whole_or_nothing, tc)
{
	static const char *const names[] = { "a", "b", "c", NULL };
	char err[ERRBUF_SIZE] = "";
	struct outset o;
	FILE *f;

	/* a new OUTDIR appears only at the commit, whole */
	ATF_REQUIRE_EQ_MSG(outset__begin(&o, "out", names, err, sizeof(err)), 0, "%s", err);
	ATF_REQUIRE((f = outset__create(&o, "a", err, sizeof(err))) != NULL);
	fputs("new a", f);
	ATF_REQUIRE_EQ(outset__close(&o, f, "a", err, sizeof(err)), 0);
	ATF_CHECK_EQ(access("out", F_OK), -1);
	ATF_REQUIRE_EQ_MSG(outset__commit(&o, err, sizeof(err)), 0, "%s", err);
	ATF_CHECK(holds("out/a", "new a"));

	/* an old set with a file the new one lacks (c) and a file not of the set (keep, sub/) */
	put("out/c", "old c");
	put("out/keep", "kept");
	ATF_REQUIRE_EQ(mkdir("out/sub", 0755), 0);
	put("out/sub/f", "sub");
	ATF_REQUIRE_EQ(outset__begin(&o, "out", names, err, sizeof(err)), 0);
	ATF_REQUIRE((f = outset__create(&o, "b", err, sizeof(err))) != NULL);
	fputs("new b", f);
	ATF_REQUIRE_EQ(outset__close(&o, f, "b", err, sizeof(err)), 0);
	/* aborted: the old set untouched, no staging directory left */
	outset__abort(&o);
	ATF_CHECK(holds("out/a", "new a") && holds("out/c", "old c"));
	ATF_CHECK_EQ(access("out/b", F_OK), -1);
	ATF_REQUIRE_EQ(outset__begin(&o, "out", names, err, sizeof(err)), 0);
	ATF_REQUIRE((f = outset__create(&o, "b", err, sizeof(err))) != NULL);
	fputs("new b", f);
	ATF_REQUIRE_EQ(outset__close(&o, f, "b", err, sizeof(err)), 0);
	ATF_REQUIRE_EQ_MSG(outset__commit(&o, err, sizeof(err)), 0, "%s", err);
	ATF_CHECK(holds("out/b", "new b"));
	ATF_CHECK_MSG(access("out/a", F_OK) && access("out/c", F_OK), "a file of the old set stayed");
	ATF_CHECK(holds("out/keep", "kept") && holds("out/sub/f", "sub"));
	{
		/* nothing but out itself in the working directory: no staging directory left */
		FILE *p = popen("ls -A | grep -v '^out$'", "r");
		char line[256];

		ATF_REQUIRE(p);
		ATF_CHECK_MSG(!fgets(line, sizeof(line), p), "left: %s", line);
		pclose(p);
	}

	/* one file replaced atomically, or not at all */
	ATF_REQUIRE_EQ(outset__replace_file("one", w_text, "first", err, sizeof(err)), 0);
	ATF_CHECK(holds("one", "first"));
	ATF_CHECK(outset__replace_file("one", w_refuse, NULL, err, sizeof(err)) < 0);
	ATF_CHECK_STREQ(err, "refused");
	ATF_CHECK(holds("one", "first"));
	/* a parent that is a file: one line naming the place */
	put("file", "x");
	ATF_CHECK_EQ(outset__begin(&o, "file/out", names, err, sizeof(err)), -ENOTDIR);
	ATF_CHECK_STREQ(err, "file/out: Not a directory");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, hset_pointers);
	ATF_TP_ADD_TC(tp, hset_strings);
	ATF_TP_ADD_TC(tp, array_grows);
	ATF_TP_ADD_TC(tp, sbuf_grows);
	ATF_TP_ADD_TC(tp, errbuf_lines);
	ATF_TP_ADD_TC(tp, tmpdir_and_files);
	ATF_TP_ADD_TC(tp, tmpdir_remove_tree);
	ATF_TP_ADD_TC(tp, spawn_children);
	ATF_TP_ADD_TC(tp, spawn_signal_mask);
	ATF_TP_ADD_TC(tp, worker_thread_signals);
	ATF_TP_ADD_TC(tp, spawn_group_timeout);
	ATF_TP_ADD_TC(tp, spawn_group_signal);
	ATF_TP_ADD_TC(tp, outset_whole_or_nothing);
	return atf_no_error();
}
