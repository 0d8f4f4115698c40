/*
 * How an NT service appears in the trace: its arguments decoded by their NT
 * kinds (nt_services.def), out-parameters read after it completed, and the
 * NTSTATUS with its name. Memory is read when the record is written (the
 * call is over then; the thread is still stopped).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nt_internal.h"
#include "host.h"
#include "trace.h"

struct flag_name {
	uint32_t bit;
	const char *name;
};

static const struct flag_name access_names[] = {
	{ 0x80000000, "GENERIC_READ" },   { 0x40000000, "GENERIC_WRITE" },  { 0x20000000, "GENERIC_EXECUTE" },
	{ 0x10000000, "GENERIC_ALL" },    { 0x2000000, "MAXIMUM_ALLOWED" }, { 0x100000, "SYNCHRONIZE" },
	{ 0x80000, "WRITE_OWNER" },       { 0x40000, "WRITE_DAC" },         { 0x20000, "READ_CONTROL" },
	{ 0x10000, "DELETE" },            { 0x100, "FILE_WRITE_ATTRIBUTES" }, { 0x80, "FILE_READ_ATTRIBUTES" },
	{ 0x40, "FILE_DELETE_CHILD" },    { 0x20, "FILE_EXECUTE" },         { 0x10, "FILE_WRITE_EA" },
	{ 0x8, "FILE_READ_EA" },          { 0x4, "FILE_APPEND_DATA" },      { 0x2, "FILE_WRITE_DATA" },
	{ 0x1, "FILE_READ_DATA" },        { 0, NULL },
};
static const struct flag_name share_names[] = {
	{ 1, "FILE_SHARE_READ" }, { 2, "FILE_SHARE_WRITE" }, { 4, "FILE_SHARE_DELETE" }, { 0, NULL },
};
static const struct flag_name option_names[] = {
	{ 0x1, "FILE_DIRECTORY_FILE" },       { 0x2, "FILE_WRITE_THROUGH" },
	{ 0x4, "FILE_SEQUENTIAL_ONLY" },      { 0x8, "FILE_NO_INTERMEDIATE_BUFFERING" },
	{ 0x10, "FILE_SYNCHRONOUS_IO_ALERT" }, { 0x20, "FILE_SYNCHRONOUS_IO_NONALERT" },
	{ 0x40, "FILE_NON_DIRECTORY_FILE" },  { 0x800, "FILE_RANDOM_ACCESS" },
	{ 0x1000, "FILE_DELETE_ON_CLOSE" },   { 0x2000, "FILE_OPEN_BY_FILE_ID" },
	{ 0x4000, "FILE_OPEN_FOR_BACKUP_INTENT" }, { 0x200000, "FILE_OPEN_REPARSE_POINT" }, { 0, NULL },
};
static const struct flag_name mem_names[] = {
	{ 0x1000, "MEM_COMMIT" },  { 0x2000, "MEM_RESERVE" }, { 0x4000, "MEM_DECOMMIT" },  { 0x8000, "MEM_RELEASE" },
	{ 0x80000, "MEM_RESET" },  { 0x100000, "MEM_TOP_DOWN" }, { 0x20000000, "MEM_LARGE_PAGES" }, { 0, NULL },
};
static const struct flag_name protect_names[] = {
	{ 0x01, "PAGE_NOACCESS" },  { 0x02, "PAGE_READONLY" },     { 0x04, "PAGE_READWRITE" },
	{ 0x08, "PAGE_WRITECOPY" }, { 0x10, "PAGE_EXECUTE" },      { 0x20, "PAGE_EXECUTE_READ" },
	{ 0x40, "PAGE_EXECUTE_READWRITE" }, { 0x80, "PAGE_EXECUTE_WRITECOPY" }, { 0x100, "PAGE_GUARD" },
	{ 0x200, "PAGE_NOCACHE" }, { 0, NULL },
};
static const char *const dispositions[] = { "FILE_SUPERSEDE", "FILE_OPEN", "FILE_CREATE", "FILE_OPEN_IF",
					    "FILE_OVERWRITE", "FILE_OVERWRITE_IF" };
static const char *const info_classes[] = {
	[1] = "FileDirectoryInformation", [2] = "FileFullDirectoryInformation", [3] = "FileBothDirectoryInformation",
	[4] = "FileBasicInformation", [5] = "FileStandardInformation", [6] = "FileInternalInformation",
	[8] = "FileAccessInformation", [9] = "FileNameInformation", [10] = "FileRenameInformation",
	[12] = "FileNamesInformation", [13] = "FileDispositionInformation", [14] = "FilePositionInformation",
	[16] = "FileModeInformation", [17] = "FileAlignmentInformation", [18] = "FileAllInformation",
	[19] = "FileAllocationInformation", [20] = "FileEndOfFileInformation", [34] = "FileNetworkOpenInformation",
	[35] = "FileAttributeTagInformation", [37] = "FileIdBothDirectoryInformation",
	[38] = "FileIdFullDirectoryInformation", [64] = "FileDispositionInformationEx", [65] = "FileRenameInformationEx",
	[68] = "FileStatInformation",
};

static void flags(struct tout *o, const char *key, uint32_t v, const struct flag_name *names)
{
	char buf[512];
	size_t n = 0;

	buf[0] = 0;
	for (const struct flag_name *f = names; f->name; f++)
		if ((v & f->bit) == f->bit && f->bit) {
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", n ? "|" : "", f->name);
			v &= ~f->bit;
			if (n >= sizeof(buf))
				n = sizeof(buf) - 1;
		}
	if (v || !n)
		snprintf(buf + n, sizeof(buf) - n, "%s%#x", n ? "|" : "", v);
	tout_symbol(o, key, buf);
}

static void status(struct tout *o, const char *key, uint32_t st)
{
	const char *name = nt_status_name(st);

	if (name)
		tout_symbol(o, key, name);
	else
		tout_hex(o, key, st);
}

static void handle(struct tout *o, const char *key, uint64_t h)
{
	if (h == (uint64_t)-1)
		tout_symbol(o, key, "NtCurrentProcess");
	else if (h == (uint64_t)-2)
		tout_symbol(o, key, "NtCurrentThread");
	else
		tout_hex(o, key, h);
}

/* A UNICODE_STRING at addr, as UTF-8. */
static void ustr(struct tout *o, const char *key, struct tracee *t, uint64_t addr)
{
	uint16_t *w;
	char *u8;
	size_t n;

	if (!addr) {
		tout_null(o, key);
		return;
	}
	if (nt_get_ustr(t, addr, &w, &n)) {
		tout_hex(o, key, addr);
		return;
	}
	u8 = nt_units_utf8(w, n);
	tout_string(o, key, u8);
	free(u8);
	free(w);
}

static void object_attributes(struct tout *o, const char *key, struct tracee *t, uint64_t addr)
{
	unsigned char oa[0x30];
	uint64_t root, name;

	if (!addr || nt_get(t, addr, oa, sizeof(oa))) {
		tout_hex(o, key, addr);
		return;
	}
	memcpy(&root, oa + 8, 8);
	memcpy(&name, oa + 0x10, 8);
	if (!root) {
		ustr(o, key, t, name);
		return;
	}
	tout_begin_object(o, key, false);
	handle(o, "RootDirectory", root);
	ustr(o, "ObjectName", t, name);
	tout_end_object(o);
}

static void u64_at(struct tout *o, const char *key, struct tracee *t, uint64_t addr, int size, bool hex)
{
	uint64_t v = 0;

	if (!addr) {
		tout_null(o, key);
		return;
	}
	if (nt_get(t, addr, &v, (size_t)size)) {
		tout_hex(o, key, addr);
		return;
	}
	if (hex)
		tout_hex(o, key, v);
	else if (size == 8)
		tout_int(o, key, (long long)v);
	else
		tout_uint(o, key, v);
}

struct nt_record {
	struct tracee *t;
	bool returned;
};

static void one_arg(struct tout *o, struct tracee *t, const struct nt_call *c, int i, bool done)
{
	const char *key = c->svc->args[i].name;
	uint64_t v = c->a[i];
	bool ok = done && nt_success(c->status);
	size_t strsize = host_facts()->trace_strsize;

	switch ((enum nt_arg_kind)c->svc->args[i].kind) {
	case NK_NONE:
		break;
	case NK_HANDLE:
	case NK_HANDLE_CLOSED:
		handle(o, key, v);
		break;
	case NK_HANDLE_OUT:
		if (ok)
			u64_at(o, key, t, v, 8, true);
		else
			tout_hex(o, key, v);
		break;
	case NK_BOOL:
		tout_bool(o, key, (uint8_t)v != 0);
		break;
	case NK_TIMEOUT:
		if (!v)
			tout_symbol(o, key, "INFINITE");
		else
			u64_at(o, key, t, v, 8, false);
		break;
	case NK_IOSB: {
		unsigned char b[16];
		uint32_t st;
		uint64_t info;
		if (!done || !v || nt_get(t, v, b, sizeof(b))) {
			tout_hex(o, key, v);
			break;
		}
		memcpy(&st, b, 4);
		memcpy(&info, b + 8, 8);
		tout_begin_object(o, key, false);
		status(o, "Status", st);
		tout_uint(o, "Information", info);
		tout_end_object(o);
		break;
	}
	case NK_BUF_IN:
	case NK_BUF_OUT: {
		uint64_t len = i + 1 < NT_MAX_ARGS ? (uint32_t)c->a[i + 1] : 0;
		unsigned char *buf;
		size_t shown;
		if (c->svc->args[i].kind == NK_BUF_OUT) {
			unsigned char b[16];
			/* what came back: the IO_STATUS_BLOCK's count */
			if (!ok || i < 2 || nt_get(t, c->a[i - 1], b, sizeof(b))) {
				tout_hex(o, key, v);
				break;
			}
			memcpy(&len, b + 8, 8);
		}
		shown = len < strsize ? len : strsize;
		buf = malloc(shown + 1);
		if (buf && nt_get(t, v, buf, shown) == 0)
			tout_bytes(o, key, buf, shown, len);
		else
			tout_hex(o, key, v);
		free(buf);
		break;
	}
	case NK_ULONG:
		tout_uint(o, key, (uint32_t)v);
		break;
	case NK_LONG:
		tout_int(o, key, (int32_t)v);
		break;
	case NK_SIZE:
		tout_uint(o, key, v);
		break;
	case NK_HEX:
	case NK_PTR:
		tout_hex(o, key, v);
		break;
	case NK_LARGE_IN:
		u64_at(o, key, t, v, 8, false);
		break;
	case NK_LARGE_OUT:
	case NK_SIZE_OUT:
		if (ok)
			u64_at(o, key, t, v, 8, false);
		else
			tout_hex(o, key, v);
		break;
	case NK_ULONG_OUT:
		if (ok)
			u64_at(o, key, t, v, 4, false);
		else
			tout_hex(o, key, v);
		break;
	case NK_PTR_INOUT:
		u64_at(o, key, t, v, 8, true);
		break;
	case NK_SIZE_INOUT:
		u64_at(o, key, t, v, 8, false);
		break;
	case NK_MEM_TYPE:
		flags(o, key, (uint32_t)v, mem_names);
		break;
	case NK_PROTECT:
		flags(o, key, (uint32_t)v, protect_names);
		break;
	case NK_NTSTATUS:
		status(o, key, (uint32_t)v);
		break;
	case NK_ACCESS:
		flags(o, key, (uint32_t)v, access_names);
		break;
	case NK_OBJECT_ATTRIBUTES:
		object_attributes(o, key, t, v);
		break;
	case NK_SHARE:
		flags(o, key, (uint32_t)v, share_names);
		break;
	case NK_CREATE_OPTIONS:
		flags(o, key, (uint32_t)v, option_names);
		break;
	case NK_DISPOSITION:
		if (v < sizeof(dispositions) / sizeof(dispositions[0]))
			tout_symbol(o, key, dispositions[v]);
		else
			tout_uint(o, key, (uint32_t)v);
		break;
	case NK_FILE_INFO_CLASS:
		if (v < sizeof(info_classes) / sizeof(info_classes[0]) && info_classes[v])
			tout_symbol(o, key, info_classes[v]);
		else
			tout_uint(o, key, (uint32_t)v);
		break;
	case NK_USTR:
		ustr(o, key, t, v);
		break;
	}
}

static void write_args(struct tout *o, void *ctx)
{
	struct nt_record *r = ctx;
	const struct nt_call *c = nt_call_of(r->t);

	tout_begin_object(o, "args", true);
	if (c->svc)
		for (int i = 0; i < nt_service_nargs(c->svc); i++)
			one_arg(o, r->t, c, i, r->returned);
	else
		for (int i = 0; i < 4; i++) {
			char key[8];
			snprintf(key, sizeof(key), "arg%d", i + 1);
			tout_hex(o, key, regs_nt_arg(&c->regs, i));
		}
	tout_end_object(o);
}

static void write_result(struct tout *o, void *ctx)
{
	struct nt_record *r = ctx;
	const struct nt_call *c = nt_call_of(r->t);
	const char *name = nt_status_name(c->status);

	if (o->fmt == FORMAT_TEXT) {
		sb_printf(o->b, "%#x", c->status);
		if (name)
			sb_printf(o->b, " %s", name);
		return;
	}
	tout_uint(o, "ret", c->status);
	if (name)
		tout_symbol(o, "status", name);
	if (!nt_success(c->status))
		tout_symbol(o, "err", name ? name : "NTSTATUS");
}

void nt_trace_call(struct tracee *t, bool returned)
{
	struct nt_call *c = nt_call_of(t);
	char unknown[32];
	struct nt_record rec = { t, returned };
	struct trace_served s = {
		.abi = ABI_NT, .nr = c->nr, .t0 = c->t0, .returned = returned, .failed = !nt_success(c->status),
		.args = write_args, .result = write_result, .ctx = &rec,
	};

	if (c->svc) {
		s.name = c->svc->name;
	} else {
		snprintf(unknown, sizeof(unknown), "NtUnknown_%#x", c->nr);
		s.name = unknown;
	}
	trace_call_served(t, &s);
}
