/*
 * The process environment an NT program finds at its start (docs/nt.md,
 * "The process environment"): the PEB, the first thread's TEB, RTL_USER_PROCESS_PARAMETERS
 * with the standard handles, the command line built from argv with Windows
 * quoting rules, the image path and current directory as DOS paths, and the
 * environment block in UTF-16 with PATH translated through the drive map.
 * Laid out in one area the loader maps:
 *
 *   +0        PEB
 *   +0x1000   first thread: TEB (0x2000), then its work area
 *   then      process parameters, start block, TLS vector and block, strings
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "loader.h"
#include "nt.h"
#include "util.h"

#define PEB_OFF 0x0UL
#define TEB_OFF 0x1000UL
#define PARAMS_OFF (TEB_OFF + NT_THREAD_BLOCK_SIZE)
#define PARAMS_SIZE 0x400UL
#define START_OFF (PARAMS_OFF + PARAMS_SIZE)
#define TLS_VEC_OFF (START_OFF + 0x40)
#define TLS_OFF (TLS_VEC_OFF + 0x10)
#define CURDIR_MAX 520 /* bytes of the current directory's buffer (MAX_PATH characters) */

/* Growing UTF-16 text. */
struct u16 {
	uint16_t *s;
	size_t n, cap;
};

static void u16_utf8(struct u16 *b, const char *s, size_t len)
{
	size_t need = nt_utf8_to_utf16(s, len, NULL, 0);

	if (b->n + need + 1 > b->cap)
		b->s = xrealloc(b->s, (b->cap = (b->n + need + 1) * 2) * sizeof(uint16_t));
	nt_utf8_to_utf16(s, len, b->s + b->n, need);
	b->n += need;
}

static void u16_str(struct u16 *b, const char *s)
{
	u16_utf8(b, s, strlen(s));
}

static void u16_unit(struct u16 *b, uint16_t c)
{
	if (b->n + 2 > b->cap)
		b->s = xrealloc(b->s, (b->cap = (b->n + 2) * 2) * sizeof(uint16_t));
	b->s[b->n++] = c;
}

/*
 * One argument as CommandLineToArgvW reads it back: quoted when empty or
 * holding a space, tab or quote; backslashes doubled before a quote and
 * before the closing quote.
 */
static void quote_arg(struct u16 *b, const char *a)
{
	size_t slashes = 0;

	if (*a && !strpbrk(a, " \t\n\v\"")) {
		u16_str(b, a);
		return;
	}
	u16_unit(b, '"');
	for (const char *p = a; *p; p++) {
		if (*p == '\\') {
			slashes++;
			continue;
		}
		for (size_t i = 0; i < slashes * (*p == '"' ? 2 : 1); i++)
			u16_unit(b, '\\');
		slashes = 0;
		if (*p == '"')
			u16_unit(b, '\\');
		u16_utf8(b, p, 1);
	}
	for (size_t i = 0; i < slashes * 2; i++)
		u16_unit(b, '\\');
	u16_unit(b, '"');
}

/* A host path as the program sees it: through a drive, else as \\?\unix\... (Wine's spelling). */
static void dos_path(struct u16 *b, const char *host, int (*of_host)(const char *, char *, size_t))
{
	char dos[PATH_MAX + 8];

	if (of_host(host, dos, sizeof(dos)) == 0) {
		u16_str(b, dos);
		return;
	}
	u16_str(b, "\\\\?\\unix");
	for (const char *p = host; *p; p++)
		u16_unit(b, *p == '/' ? '\\' : (uint16_t)(unsigned char)*p);
}

/* PATH=/a:/b -> PATH=C:\a;D:\b: directories no drive reaches are left out. */
static void env_path(struct u16 *b, const char *value)
{
	char *copy = xstrdup(value), *save = NULL;
	bool first = true;

	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		char dos[PATH_MAX + 8];

		if (dir[0] != '/' || nt_dos_path_of_host(dir, dos, sizeof(dos)) < 0)
			continue;
		if (!first)
			u16_unit(b, ';');
		u16_str(b, dos);
		first = false;
	}
	free(copy);
}

/*
 * TEMP and TMP, as Windows always has them (GetTempPath reads them; without
 * them it would name the Windows directory): the Linux side's TMPDIR (the
 * sandbox's private tmpdir under a policy) or /tmp, through the drive map.
 */
static void temp_vars(const struct nt_env_in *in, struct u16 *env)
{
	const char *tmpdir = "/tmp";
	char dos[PATH_MAX + 8];

	for (int i = 0; i < in->envc; i++) {
		if (strncmp(in->envp[i], "TEMP=", 5) == 0 || strncmp(in->envp[i], "TMP=", 4) == 0)
			return; /* the caller chose */
		if (strncmp(in->envp[i], "TMPDIR=", 7) == 0 && in->envp[i][7] == '/')
			tmpdir = in->envp[i] + 7;
	}
	if (nt_dos_path_of_host(tmpdir, dos, sizeof(dos)) < 0)
		return;
	for (const char *name = "TEMP="; name; name = strcmp(name, "TEMP=") == 0 ? "TMP=" : NULL) {
		u16_str(env, name);
		u16_str(env, dos);
		u16_unit(env, 0);
	}
}

/*
 * USERNAME, which Windows sets from the logon token: the run's user by its
 * passwd name (GetUserName reads it, docs/nt.md). An inherited USERNAME is
 * replaced, as the Linux side's is not the run's identity. Looked up once per
 * run: the size of the environment area and its contents must agree, whatever
 * happens to /etc/passwd meanwhile.
 */
static void user_var(struct u16 *env)
{
	static char name[256];
	static int found; /* 0: not looked up yet, 1: found, -1: none */

	if (!found)
		found = nt_passwd_name("/etc/passwd", getuid(), name, sizeof(name)) == 0 ? 1 : -1;
	if (found < 0)
		return;
	u16_str(env, "USERNAME=");
	u16_str(env, name);
	u16_unit(env, 0);
}

struct strings {
	struct u16 image, cmdline, curdir, env;
};

static void make_strings(const struct nt_env_in *in, struct strings *s)
{
	memset(s, 0, sizeof(*s));
	dos_path(&s->image, in->image_host, nt_dos_path_of_host);
	for (int i = 0; i < in->argc; i++) {
		if (i)
			u16_unit(&s->cmdline, ' ');
		quote_arg(&s->cmdline, in->argv[i]);
	}
	dos_path(&s->curdir, in->cwd_host, nt_dos_cwd_of_host);
	if (s->curdir.n && s->curdir.s[s->curdir.n - 1] != '\\')
		u16_unit(&s->curdir, '\\');
	for (int i = 0; i < in->envc; i++) {
		if (strncmp(in->envp[i], "USERNAME=", 9) == 0)
			continue;
		if (strncmp(in->envp[i], "PATH=", 5) == 0) {
			u16_str(&s->env, "PATH=");
			env_path(&s->env, in->envp[i] + 5);
		} else {
			u16_str(&s->env, in->envp[i]);
		}
		u16_unit(&s->env, 0);
	}
	temp_vars(in, &s->env);
	user_var(&s->env);
	u16_unit(&s->env, 0);
	if (s->env.n == 1)
		u16_unit(&s->env, 0);
}

static void free_strings(struct strings *s)
{
	free(s->image.s);
	free(s->cmdline.s);
	free(s->curdir.s);
	free(s->env.s);
}

static size_t tls_bytes(const struct nt_env_in *in)
{
	return ((size_t)in->tls_template_size + in->tls_zero_fill + 15) & ~15UL;
}

static size_t strings_off(const struct nt_env_in *in)
{
	return (TLS_OFF + tls_bytes(in) + 15) & ~15UL;
}

size_t nt_env_size(const struct nt_env_in *in)
{
	struct strings s;
	size_t n;

	make_strings(in, &s);
	n = strings_off(in) + (s.image.n + 1 + s.cmdline.n + 1 + s.env.n + s.curdir.n + 8) * 2 + CURDIR_MAX + 64;
	free_strings(&s);
	return page_up(n);
}

/* A UNICODE_STRING at off naming text copied to *at (NUL-terminated, max bytes of room). */
static void put_ustr(unsigned char *buf, uint64_t addr, size_t off, size_t *at, const struct u16 *text, size_t max)
{
	size_t len = text->n * 2;

	if (max < len + 2)
		max = len + 2;
	memcpy(buf + *at, text->s, len);
	nt_le16(buf, off, (uint16_t)(len > 0xfffe ? 0xfffe : len));
	nt_le16(buf, off + 2, (uint16_t)(max > 0xffff ? 0xffff : max));
	nt_le64(buf, off + 8, addr + *at);
	*at = (*at + max + 7) & ~7UL;
}

void nt_env_build(const struct nt_env_in *in, uint64_t addr, unsigned char *buf, struct nt_start *out)
{
	const size_t peb = PEB_OFF, teb = TEB_OFF, pp = PARAMS_OFF;
	unsigned build = nt_build_number(nt_build_selected());
	struct strings s;
	size_t at = strings_off(in);

	make_strings(in, &s);
	/* PEB */
	nt_le64(buf, peb + 0x10, in->image_base);
	nt_le64(buf, peb + 0x20, addr + pp);
	nt_le32(buf, peb + 0xb8, (uint32_t)get_nprocs());
	nt_le32(buf, peb + 0x118, 10); /* OSMajorVersion: Windows 10 and 11 both say 10.0 */
	nt_le32(buf, peb + 0x11c, 0);
	nt_le16(buf, peb + 0x120, (uint16_t)build);
	nt_le32(buf, peb + 0x124, 2);  /* OSPlatformId: VER_PLATFORM_WIN32_NT */
	/* TEB */
	nt_le64(buf, teb + 0x0, UINT64_MAX); /* no SEH frame list */
	nt_le64(buf, teb + 0x8, in->stack_base);
	nt_le64(buf, teb + 0x10, in->stack_limit);
	nt_le64(buf, teb + 0x30, addr + teb);
	nt_le64(buf, teb + 0x40, in->pid);
	nt_le64(buf, teb + 0x48, in->tid);
	nt_le64(buf, teb + 0x60, addr + peb);
	/* RTL_USER_PROCESS_PARAMETERS, normalised (absolute pointers) */
	nt_le32(buf, pp + 0x0, (uint32_t)PARAMS_SIZE);
	nt_le32(buf, pp + 0x4, (uint32_t)PARAMS_SIZE);
	nt_le32(buf, pp + 0x8, 1);
	nt_le64(buf, pp + 0x20, NT_HANDLE_STDIN);
	nt_le64(buf, pp + 0x28, NT_HANDLE_STDOUT);
	nt_le64(buf, pp + 0x30, NT_HANDLE_STDERR);
	put_ustr(buf, addr, pp + 0x38, &at, &s.curdir, CURDIR_MAX);
	put_ustr(buf, addr, pp + 0x60, &at, &s.image, 0);
	put_ustr(buf, addr, pp + 0x70, &at, &s.cmdline, 0);
	memcpy(buf + at, s.env.s, s.env.n * 2);
	nt_le64(buf, pp + 0x80, addr + at);
	nt_le64(buf, pp + 0x3f0, s.env.n * 2); /* EnvironmentSize */
	/* The start block LdrInitializeThunk reads (translate/nt/dlls/ntdll/ntdll.c). */
	nt_le64(buf, START_OFF + 0x0, in->image_base);
	nt_le64(buf, START_OFF + 0x8, in->entry);
	nt_le64(buf, START_OFF + 0x10, addr + peb);
	nt_le64(buf, START_OFF + 0x18, in->tls_callbacks);
	/* TLS: the vector in the TEB points at the module's block, a copy of its template */
	if (in->tls_template_size || in->tls_zero_fill) {
		nt_le64(buf, TLS_VEC_OFF, addr + TLS_OFF);
		nt_le64(buf, teb + 0x58, addr + TLS_VEC_OFF);
		if (in->tls_template)
			memcpy(buf + TLS_OFF, in->tls_template, in->tls_template_size);
	}
	memset(out, 0, sizeof(*out));
	out->peb = addr + peb;
	out->teb = addr + teb;
	out->params = addr + pp;
	out->work = addr + teb + NT_TEB_SIZE;
	out->work_size = NT_WORK_SIZE;
	out->start_block = addr + START_OFF;
	out->stack_base = in->stack_base;
	out->stack_limit = in->stack_limit;
	free_strings(&s);
}
