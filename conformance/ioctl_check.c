/* conformance/ioctl_check.c - the environment, argument and call of one ioctl for the generic
 * checks (ioctl_check.h). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

#include "guest.h"
#include "ioctl_check.h"

void ictx_catalog(struct catalog *cat, const atf_tc_t *tc)
{
	const char *srcdir = atf_tc_has_config_var(tc, "srcdir") ?
		atf_tc_get_config_var(tc, "srcdir") : ".";
	char path[4096], err[1024];

	catalog_path(srcdir, path, sizeof(path));
	if (catalog_load(cat, path, err, sizeof(err)) != 0) {
		catalog_free(cat);
		atf_tc_fail("kvmgate: %s", err);
	}
}

long ictx_cap(struct ictx *c, const char *cap)
{
	const struct kvmgate_abi_ioctl *chk = abi_ioctl("KVM_CHECK_EXTENSION");
	long long v;
	int fd = c->has_vm ? c->vm.fd : c->sys_fd;
	int r;

	ATF_REQUIRE_MSG(chk != NULL, "the bindings have no KVM_CHECK_EXTENSION");
	if (!abi_const(cap, &v))
		atf_tc_fail("the bindings have no constant %s", cap);
	r = ioctl(fd, chk->number, (unsigned long)v);
	if (r < 0 && c->has_vm)
		r = ioctl(c->sys_fd, chk->number, (unsigned long)v);
	return r < 0 ? 0 : r;
}

int ictx_fd_of(struct ictx *c, enum cat_fd kind)
{
	switch (kind) {
	case CAT_SYS: return c->sys_fd;
	case CAT_VM: return c->has_vm ? c->vm.fd : -1;
	case CAT_VCPU: return c->has_vcpu ? c->vcpu.fd : -1;
	case CAT_DEVICE: return c->dev_fd;
	default: return -1;
	}
}

void ictx_aux(struct ictx *c, int fd)
{
	for (int i = 0; i < ICTX_MAX_AUX; i++)
		if (c->aux_fd[i] < 0) {
			c->aux_fd[i] = fd;
			return;
		}
	close(fd);
	atf_tc_fail("ictx_aux: more than %d auxiliary fds", ICTX_MAX_AUX);
}

void ictx_grow(struct ictx *c, size_t len)
{
	unsigned char *b = calloc(1, len + ICTX_GUARD), *in = calloc(1, len);

	ATF_REQUIRE(b != NULL && in != NULL);
	if (c->buf != NULL) {
		memcpy(b, c->buf, c->len < len ? c->len : len);
		memcpy(in, c->input, c->len < len ? c->len : len);
	}
	memset(b + len, ICTX_POISON, ICTX_GUARD);
	free(c->buf);
	free(c->input);
	c->buf = b;
	c->input = in;
	c->len = len;
}

/* field_of: the bytes of path in c's argument (through the bindings' field table). */
static void field_of(const struct ictx *c, const char *path, unsigned int *off, unsigned int *size)
{
	if (c->e->type == NULL || !abi_locate(c->e->type->name, path, off, size) ||
	    *off + *size > c->len || (*size != 1 && *size != 2 && *size != 4 && *size != 8))
		atf_tc_fail("%s: the bindings have no scalar field %s in its argument", c->e->name,
			    path);
}

/* Little-endian stores and loads (x86_64 and arm64 alike). */
static void store(unsigned char *p, unsigned int size, unsigned long long v)
{
	for (unsigned int i = 0; i < size; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static unsigned long long load(const unsigned char *p, unsigned int size)
{
	unsigned long long v = 0;

	for (unsigned int i = 0; i < size; i++)
		v |= (unsigned long long)p[i] << (8 * i);
	return v;
}

void ictx_set(struct ictx *c, const char *path, unsigned long long v)
{
	unsigned int off, size;

	field_of(c, path, &off, &size);
	store(c->buf + off, size, v);
	store(c->input + off, size, v);
}

unsigned long long ictx_get(const struct ictx *c, const char *path)
{
	unsigned int off, size;

	field_of(c, path, &off, &size);
	return load(c->buf + off, size);
}

size_t ictx_flex(const struct ictx *c)
{
	const struct kvmgate_abi_field *f = c->e->type != NULL ? abi_flex_field(c->e->type->name) :
		NULL;

	if (f == NULL)
		atf_tc_fail("%s: its argument has no flexible array in the bindings", c->e->name);
	return f->offset;
}

void ictx_set_at(struct ictx *c, size_t off, unsigned int size, unsigned long long v)
{
	ATF_REQUIRE_MSG(off + size <= c->len, "%s: %u bytes at %zu outside the argument",
			c->e->name, size, off);
	store(c->buf + off, size, v);
	store(c->input + off, size, v);
}

/* need: one needs= word; false with c->skip when its capability is missing. */
static bool need(struct ictx *c, const char *w)
{
	if (strcmp(w, "vcpu") == 0) {
		vm_vcpu_add(&c->vm, &c->vcpu, 0);
		c->has_vcpu = true;
		ioctl_arch_vcpu(c);
		return c->skip[0] == '\0';
	}
	if (strcmp(w, "rawvcpu") == 0) {	/* without the arch's vCPU set-up */
		vm_vcpu_add(&c->vm, &c->vcpu, 0);
		c->has_vcpu = true;
		return true;
	}
	if (strcmp(w, "mem") == 0) {	/* slot 0, where the guest programs run */
		if (c->vm.mem == NULL)
			vm_add_memory(&c->vm, guest_mem_gpa, guest_mem_size);
		return true;
	}
	if (!ioctl_arch_need(c, w))
		atf_tc_fail("%s:%d: %s: needs=%s is not a set-up this arch knows", c->cat->path,
			    c->e->line, c->e->name, w);
	return c->skip[0] == '\0';
}

/* needs: the set-up of e's needs= words and its partner's (each once). */
static bool needs(struct ictx *c, const struct cat_entry *e, const struct cat_entry *partner)
{
	char words[512], *w, *save = NULL;
	const char *done[32];
	unsigned int ndone = 0;
	bool vcpu = false;

	snprintf(words, sizeof(words), "%s,%s", e->needs != NULL ? e->needs : "",
		 partner != NULL && partner->needs != NULL ? partner->needs : "");
	/* vcpu last: irqchips and the like come before the vCPUs. */
	for (w = strtok_r(words, ",", &save); w != NULL; w = strtok_r(NULL, ",", &save)) {
		bool seen;

		if (strcmp(w, "vcpu") == 0) {
			vcpu = true;
			continue;
		}
		seen = false;

		for (unsigned int i = 0; i < ndone && !seen; i++)
			seen = strcmp(done[i], w) == 0;
		if (seen)
			continue;
		if (ndone < 32)
			done[ndone++] = w;
		if (!need(c, w))
			return false;
	}
	return !vcpu || c->has_vcpu || need(c, "vcpu");
}

static const struct ioctl_hook *hook_of(const struct catalog *cat, const struct cat_entry *e)
{
	if (e->hook == NULL)
		return NULL;
	for (unsigned int i = 0; i < ioctl_nr_hooks; i++)
		if (strcmp(ioctl_hooks[i].name, e->hook) == 0)
			return &ioctl_hooks[i];
	atf_tc_fail("%s:%d: %s: hook=%s: no such hook for this arch", cat->path, e->line, e->name,
		    e->hook);
	return NULL;
}

bool ictx_may_skip(const struct catalog *cat, const struct cat_entry *e)
{
	const struct ioctl_hook *h = hook_of(cat, e);
	char words[256], *w, *save = NULL;

	if (h != NULL && h->probes)
		return true;
	snprintf(words, sizeof(words), "%s", e->needs != NULL ? e->needs : "");
	for (w = strtok_r(words, ",", &save); w != NULL; w = strtok_r(NULL, ",", &save))
		if (ioctl_arch_need_probes(w))
			return true;
	return false;
}

bool ictx_needs_hold(struct ictx *c, const struct cat_entry *e)
{
	char words[256], *w, *save = NULL;

	snprintf(words, sizeof(words), "%s", e->needs != NULL ? e->needs : "");
	for (w = strtok_r(words, ",", &save); w != NULL; w = strtok_r(NULL, ",", &save))
		if (!ioctl_arch_need_holds(c, w))
			return false;
	return true;
}

bool ictx_setup(struct ictx *c, const struct catalog *cat, const struct cat_entry *e)
{
	const struct cat_entry *partner = e->partner != NULL ? catalog_find(cat, e->partner) : NULL;
	const struct ioctl_hook *h = hook_of(cat, e);
	size_t len;

	memset(c, 0, sizeof(*c));
	c->cat = cat;
	c->e = e;
	c->dev_fd = -1;
	for (int i = 0; i < ICTX_MAX_AUX; i++)
		c->aux_fd[i] = -1;
	c->sys_fd = kvm_open();
	vm_create(&c->vm);
	c->has_vm = true;
	ATF_REQUIRE_MSG(e->abi != NULL, "%s is not in the bindings", e->name);
	if (e->cap != NULL && ictx_cap(c, e->cap) <= 0) {
		snprintf(c->skip, sizeof(c->skip), "%s absent", e->cap);
		return false;
	}
	if (!needs(c, e, partner))
		return false;
	len = e->abi->size + (size_t)e->flex_n * e->flex_elem;
	c->len = 0;
	c->buf = NULL;
	c->input = NULL;
	ictx_grow(c, len);
	c->by_value = e->abi->size == 0;
	if (e->has_argval)
		c->val = (unsigned long)e->argval;
	for (unsigned int i = 0; i < e->nargs; i++) {
		store(c->buf + e->args[i].offset, e->args[i].size, (unsigned long long)e->args[i].value);
		store(c->input + e->args[i].offset, e->args[i].size,
		      (unsigned long long)e->args[i].value);
	}
	if (e->flex_count != NULL) {
		store(c->buf + e->flex_count->offset, e->flex_count->size, e->flex_n);
		store(c->input + e->flex_count->offset, e->flex_count->size, e->flex_n);
	}
	c->fd = ictx_fd_of(c, (enum cat_fd)e->fd);
	if (h != NULL)
		h->prepare(c);
	if (c->skip[0] != '\0')
		return false;
	c->fd = ictx_fd_of(c, (enum cat_fd)e->fd);
	ATF_REQUIRE_MSG(c->fd >= 0, "%s: no %s fd (catalog line %d: add needs=)", e->name,
			cat_fd_name((enum cat_fd)e->fd), e->line);
	return true;
}

void ictx_teardown(struct ictx *c)
{
	for (int i = 0; i < ICTX_MAX_AUX; i++)
		if (c->aux_fd[i] >= 0)
			close(c->aux_fd[i]);
	if (c->dev_fd >= 0)
		close(c->dev_fd);
	if (c->aux_mem != NULL)
		munmap(c->aux_mem, c->aux_len);
	if (c->has_vcpu)
		vcpu_free(&c->vcpu);
	if (c->has_vm)
		vm_free(&c->vm);
	if (c->sys_fd >= 0)
		close(c->sys_fd);
	free(c->buf);
	free(c->input);
	free(c->payload);
	memset(c, 0, sizeof(*c));
}

void ictx_reset_arg(struct ictx *c, unsigned char poison)
{
	/* an action's argument is its input, even where the number says _IOR
	 * (KVM_ARM_GET_REG_WRITABLE_MASKS reads its struct and writes where it points) */
	if (c->e->abi->dir == 'R' && c->e->kind != CAT_ACTION)
		memset(c->buf, poison, c->len);
	else
		memcpy(c->buf, c->input, c->len);
	memset(c->buf + c->len, ICTX_POISON, ICTX_GUARD);
}

/* A call that does not return (KVM_RUN of a guest that runs away, as a wrong binding of the PC
 * makes it) is interrupted by a watchdog signal and answers -ETIMEDOUT. */
#define ICTX_CALL_TIMEOUT_S 10
static volatile sig_atomic_t ictx_expired;

static void ictx_alarm(int sig)
{
	(void)sig;
	ictx_expired = 1;
}

long ictx_call(struct ictx *c, const struct cat_entry *e)
{
	struct sigaction sa = { .sa_handler = ictx_alarm }, old;
	struct itimerval it = { .it_value = { .tv_sec = ICTX_CALL_TIMEOUT_S } }, off = { 0 };
	long r;
	int err;

	sigemptyset(&sa.sa_mask);	/* no SA_RESTART: the ioctl returns EINTR */
	ATF_REQUIRE_MSG(sigaction(SIGALRM, &sa, &old) == 0, "sigaction: %s", strerror(errno));
	ictx_expired = 0;
	ATF_REQUIRE_MSG(setitimer(ITIMER_REAL, &it, NULL) == 0, "setitimer: %s", strerror(errno));
	do
		r = c->by_value ? ioctl(c->fd, e->abi->number, c->val) :
			ioctl(c->fd, e->abi->number, c->buf);
	while (r < 0 && errno == EINTR && !ictx_expired);
	err = errno;
	ATF_REQUIRE_MSG(setitimer(ITIMER_REAL, &off, NULL) == 0, "setitimer: %s", strerror(errno));
	ATF_REQUIRE_MSG(sigaction(SIGALRM, &old, NULL) == 0, "sigaction: %s", strerror(errno));
	if (ictx_expired)
		return -ETIMEDOUT;
	return r < 0 ? -err : r;
}

bool ictx_payload_guard_ok(const struct ictx *c)
{
	const unsigned char *p = c->payload;

	for (size_t i = 0; p != NULL && i < ICTX_GUARD; i++)
		if (p[c->payload_len + i] != ICTX_POISON)
			return false;
	return true;
}

bool ictx_guard_ok(const struct ictx *c)
{
	for (size_t i = 0; i < ICTX_GUARD; i++)
		if (c->buf[c->len + i] != ICTX_POISON)
			return false;
	return true;
}

void abi_store(unsigned char *buf, const char *type, const char *path, unsigned long long v)
{
	unsigned int off, size;

	if (!abi_locate(type, path, &off, &size) || size > 8)
		atf_tc_fail("the bindings have no scalar field %s in %s", path, type);
	store(buf + off, size, v);
}

unsigned long long abi_load(const unsigned char *buf, const char *type, const char *path)
{
	unsigned int off, size;

	if (!abi_locate(type, path, &off, &size) || size > 8)
		atf_tc_fail("the bindings have no scalar field %s in %s", path, type);
	return load(buf + off, size);
}

unsigned char *abi_new(const char *type, size_t extra)
{
	const struct kvmgate_abi_type *t = abi_type(type);
	unsigned char *b;

	if (t == NULL)
		atf_tc_fail("the bindings have no %s", type);
	b = calloc(1, t->size + extra);
	ATF_REQUIRE(b != NULL);
	return b;
}

long long abi_value(const char *name)
{
	long long v;

	if (!abi_const(name, &v))
		atf_tc_fail("the bindings have no constant %s", name);
	return v;
}

long abi_do(int fd, const char *name, unsigned long arg, bool must)
{
	const struct kvmgate_abi_ioctl *io = abi_ioctl(name);
	long r;

	if (io == NULL)
		atf_tc_fail("the bindings have no ioctl %s", name);
	do
		r = ioctl(fd, io->number, arg);
	while (r < 0 && errno == EINTR);
	if (r < 0 && must)
		atf_tc_fail("set-up: %s: %s", name, strerror(errno));
	return r < 0 ? -errno : r;
}

void ictx_enable_cap(int fd, const char *cap, unsigned long long arg0)
{
	unsigned char *b = abi_new("struct kvm_enable_cap", 0);

	abi_store(b, "struct kvm_enable_cap", "cap", (unsigned long long)abi_value(cap));
	abi_store(b, "struct kvm_enable_cap", "args[0]", arg0);
	abi_do(fd, "KVM_ENABLE_CAP", (unsigned long)b, true);
	free(b);
}
