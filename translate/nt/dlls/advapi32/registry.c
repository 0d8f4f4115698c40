/*
 * The registry, as a read-only hive held in this DLL: the keys programs
 * read to learn which Windows they run on, with the values of the build
 * picovisor presents (--nt-build, read from PEB->OSBuildNumber). Every
 * other key is ERROR_FILE_NOT_FOUND; nothing can be written (a write, a
 * create or a delete is ERROR_ACCESS_DENIED, as for a user without rights
 * to HKEY_LOCAL_MACHINE). Open keys are handles of a table here, not NT
 * objects: they mean something to the Reg functions only.
 */
#include "adv.h"

enum { REG_NONE, REG_SZ, REG_EXPAND_SZ, REG_BINARY, REG_DWORD, REG_MULTI_SZ = 7, REG_QWORD = 11 };

#define KEY_QUERY_VALUE 0x0001
#define KEY_SET_VALUE 0x0002
#define KEY_CREATE_SUB_KEY 0x0004
#define KEY_ENUMERATE_SUB_KEYS 0x0008
#define KEY_NOTIFY 0x0010
#define KEY_CREATE_LINK 0x0020
#define KEY_WOW64_MASK 0x0300
#define READ_CONTROL 0x00020000
#define KEY_READ (READ_CONTROL | KEY_QUERY_VALUE | KEY_ENUMERATE_SUB_KEYS | KEY_NOTIFY)
#define DELETE_RIGHT 0x00010000
#define WRITE_DAC 0x00040000
#define WRITE_OWNER 0x00080000
#define MAXIMUM_ALLOWED 0x02000000
#define GENERIC_ALL 0x10000000
#define GENERIC_EXECUTE 0x20000000
#define GENERIC_WRITE 0x40000000
#define GENERIC_READ 0x80000000
/* The rights a read-only hive never grants. */
#define WRITE_RIGHTS (KEY_SET_VALUE | KEY_CREATE_SUB_KEY | KEY_CREATE_LINK | DELETE_RIGHT | WRITE_DAC | WRITE_OWNER | \
		      GENERIC_WRITE | GENERIC_ALL)

#define REG_OPENED_EXISTING_KEY 2

/* RegGetValue's flags: the types it accepts (RRF_RT_*; none: every value is ERROR_UNSUPPORTED_TYPE), and more. */
#define RRF_RT_ANY 0x0000ffff
#define RRF_RT_REG_EXPAND_SZ 0x00000004
#define RRF_NOEXPAND 0x10000000
#define RRF_ZEROONFAILURE 0x20000000

struct reg_value {
	const char *name;
	DWORD type;                /* REG_SZ or REG_DWORD */
	const char *text;          /* REG_SZ: ASCII */
	const char *(*text_of)(void); /* REG_SZ whose text depends on the build */
	DWORD number;              /* REG_DWORD */
};

struct reg_key {
	const char *name;
	const struct reg_key *const *subkeys; /* NULL-terminated, or NULL */
	const struct reg_value *values;       /* ended by a NULL name, or NULL */
};

static unsigned build(void)
{
	return PEB_FIELD(uint16_t, 0x120);
}

static const char *build_text(void)
{
	static char text[8];
	unsigned b = build(), i = sizeof(text) - 1;

	text[i] = 0;
	do {
		text[--i] = (char)('0' + b % 10);
		b /= 10;
	} while (b && i);
	return text + i;
}

/* Windows 10 22H2 is build 19045, Windows 11 23H2 is 22631 (the builds picovisor presents). */
static const char *display_version(void)
{
	return build() >= 22000 ? "23H2" : "22H2";
}

/*
 * HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion as both builds have it.
 * CurrentVersion stayed "6.3" and ReleaseId "2009" from Windows 10 20H2 on;
 * ProductName is "Windows 10 Pro" in Windows 11's registry too (programs are
 * meant to use the build number).
 */
static const struct reg_value nt_current_version_values[] = {
	{ "CurrentBuild", REG_SZ, NULL, build_text, 0 },
	{ "CurrentBuildNumber", REG_SZ, NULL, build_text, 0 },
	{ "CurrentMajorVersionNumber", REG_DWORD, NULL, NULL, 10 },
	{ "CurrentMinorVersionNumber", REG_DWORD, NULL, NULL, 0 },
	{ "CurrentType", REG_SZ, "Multiprocessor Free", NULL, 0 },
	{ "CurrentVersion", REG_SZ, "6.3", NULL, 0 },
	{ "DisplayVersion", REG_SZ, NULL, display_version, 0 },
	{ "EditionID", REG_SZ, "Professional", NULL, 0 },
	{ "InstallationType", REG_SZ, "Client", NULL, 0 },
	{ "PathName", REG_SZ, "C:\\Windows", NULL, 0 },
	{ "ProductName", REG_SZ, "Windows 10 Pro", NULL, 0 },
	{ "ReleaseId", REG_SZ, "2009", NULL, 0 },
	{ "SystemRoot", REG_SZ, "C:\\Windows", NULL, 0 },
	{ NULL, 0, NULL, NULL, 0 },
};

static const struct reg_key nt_current_version = { "CurrentVersion", NULL, nt_current_version_values };
static const struct reg_key *const windows_nt_sub[] = { &nt_current_version, NULL };
static const struct reg_key windows_nt = { "Windows NT", windows_nt_sub, NULL };
static const struct reg_key *const microsoft_sub[] = { &windows_nt, NULL };
static const struct reg_key microsoft = { "Microsoft", microsoft_sub, NULL };
static const struct reg_key *const software_sub[] = { &microsoft, NULL };
static const struct reg_key software = { "SOFTWARE", software_sub, NULL };
static const struct reg_key *const hklm_sub[] = { &software, NULL };

/* The predefined keys, by their handle's low bits (HKEY_CLASSES_ROOT + i); the others are empty. */
static const struct reg_key predefined[] = {
	{ "HKEY_CLASSES_ROOT", NULL, NULL },
	{ "HKEY_CURRENT_USER", NULL, NULL },
	{ "HKEY_LOCAL_MACHINE", hklm_sub, NULL },
	{ "HKEY_USERS", NULL, NULL },
	{ NULL, NULL, NULL }, /* HKEY_PERFORMANCE_DATA: not a key of a hive */
	{ "HKEY_CURRENT_CONFIG", NULL, NULL },
};

/* The open keys: handle KEY_HANDLE_BASE + 4 * slot. */
#define KEY_SLOTS 1024
#define KEY_HANDLE_BASE 0x40000000u

static struct {
	const struct reg_key *volatile key;
	DWORD access;
} slots[KEY_SLOTS];

static LONG resolve(HKEY h, DWORD need, const struct reg_key **out)
{
	uint64_t v = (uint64_t)(uintptr_t)h;
	DWORD access;

	/* HKEY_* are 32-bit values, sign-extended by the headers (0xffffffff80000002) or not */
	if ((v >> 32 == 0 || v >> 32 == 0xffffffff) && (uint32_t)v >= 0x80000000u &&
	    (uint32_t)v - 0x80000000u < sizeof(predefined) / sizeof(predefined[0]) &&
	    predefined[(uint32_t)v - 0x80000000u].name) {
		*out = &predefined[(uint32_t)v - 0x80000000u];
		access = KEY_READ;
	} else if (v >= KEY_HANDLE_BASE && v < KEY_HANDLE_BASE + 4 * KEY_SLOTS && !(v & 3) &&
		   slots[(v - KEY_HANDLE_BASE) / 4].key) {
		*out = slots[(v - KEY_HANDLE_BASE) / 4].key;
		access = slots[(v - KEY_HANDLE_BASE) / 4].access;
	} else {
		return ERROR_INVALID_HANDLE;
	}
	return (access & need) == need ? ERROR_SUCCESS : ERROR_ACCESS_DENIED;
}

static LONG open_handle(const struct reg_key *k, DWORD access, HKEY *out)
{
	for (unsigned i = 0; i < KEY_SLOTS; i++)
		if (__sync_bool_compare_and_swap(&slots[i].key, NULL, k)) {
			slots[i].access = access;
			*out = (HKEY)(uintptr_t)(KEY_HANDLE_BASE + 4 * i);
			return ERROR_SUCCESS;
		}
	return ERROR_NOT_ENOUGH_MEMORY;
}

static WCHAR fold(WCHAR c)
{
	return c >= 'a' && c <= 'z' ? (WCHAR)(c - 32) : c;
}

/* Whether the n units at w name s (ASCII), ignoring case as the registry does. */
static int same_name(const WCHAR *w, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n && s[i]; i++)
		if (fold(w[i]) != fold((WCHAR)(unsigned char)s[i]))
			return 0;
	return i == n && !s[i];
}

/*
 * The key a path names below k: components separated by backslashes (one
 * at the end is allowed; one at the start is ERROR_BAD_PATHNAME, as on
 * Windows). NULL or "" is k itself.
 */
static LONG walk(const struct reg_key *k, const WCHAR *path, const struct reg_key **out)
{
	if (path && *path == '\\')
		return ERROR_BAD_PATHNAME;
	while (path && *path) {
		const struct reg_key *next = NULL;
		size_t n = 0;

		while (path[n] && path[n] != '\\')
			n++;
		if (!n)
			return ERROR_BAD_PATHNAME; /* "a\\b": an empty name */
		for (const struct reg_key *const *s = k->subkeys; s && *s && !next; s++)
			if (same_name(path, n, (*s)->name))
				next = *s;
		if (!next)
			return ERROR_FILE_NOT_FOUND;
		k = next;
		path += n;
		if (*path)
			path++;
	}
	*out = k;
	return ERROR_SUCCESS;
}

static DWORD granted(REGSAM sam)
{
	DWORD g = sam & ~(DWORD)(KEY_WOW64_MASK | MAXIMUM_ALLOWED | GENERIC_READ | GENERIC_EXECUTE);

	if (sam & (MAXIMUM_ALLOWED | GENERIC_READ | GENERIC_EXECUTE))
		g |= KEY_READ;
	return g;
}

static const struct reg_value *find_value(const struct reg_key *k, const WCHAR *name)
{
	size_t n = 0;

	while (name && name[n])
		n++;
	if (!n)
		return NULL; /* the default value: none of these keys has one */
	for (const struct reg_value *v = k->values; v && v->name; v++)
		if (same_name(name, n, v->name))
			return v;
	return NULL;
}

/* A value's data as the W (wide) or A functions give it: the bytes it takes, written to buf when cap is enough. */
static DWORD value_data(const struct reg_value *v, int wide, BYTE *buf, DWORD cap)
{
	const char *text;
	DWORD len, need;

	if (v->type == REG_DWORD) {
		if (buf && cap >= 4)
			for (int i = 0; i < 4; i++)
				buf[i] = (BYTE)(v->number >> (8 * i));
		return 4;
	}
	text = v->text_of ? v->text_of() : v->text;
	for (len = 0; text[len]; len++)
		;
	need = (len + 1) * (wide ? 2 : 1);
	if (buf && cap >= need)
		for (DWORD i = 0; i <= len; i++) {
			if (wide) {
				buf[2 * i] = (BYTE)text[i];
				buf[2 * i + 1] = 0;
			} else {
				buf[i] = (BYTE)text[i];
			}
		}
	return need;
}

static LONG query_value(HKEY h, const WCHAR *name, int wide, DWORD *type, BYTE *data, DWORD *cb)
{
	const struct reg_key *k;
	const struct reg_value *v;
	DWORD need;
	LONG e = resolve(h, KEY_QUERY_VALUE, &k);

	if (e)
		return e;
	if (data && !cb)
		return ERROR_INVALID_PARAMETER;
	v = find_value(k, name);
	if (!v)
		return ERROR_FILE_NOT_FOUND;
	if (type)
		*type = v->type;
	need = value_data(v, wide, cb ? data : NULL, cb ? *cb : 0);
	if (!cb)
		return ERROR_SUCCESS;
	e = data && *cb < need ? ERROR_MORE_DATA : ERROR_SUCCESS;
	*cb = need;
	return e;
}

EXPORT LONG WINAPI RegCloseKey(HKEY h)
{
	const struct reg_key *k;
	uint64_t v = (uint64_t)(uintptr_t)h;

	if (resolve(h, 0, &k) == ERROR_INVALID_HANDLE)
		return ERROR_INVALID_HANDLE;
	if (v >= KEY_HANDLE_BASE && v < KEY_HANDLE_BASE + 4 * KEY_SLOTS &&
	    !__sync_bool_compare_and_swap(&slots[(v - KEY_HANDLE_BASE) / 4].key, k, NULL))
		return ERROR_INVALID_HANDLE; /* another thread closed it first */
	return ERROR_SUCCESS; /* a predefined key stays open */
}

EXPORT LONG WINAPI RegOpenKeyExW(HKEY h, const WCHAR *sub, DWORD options, REGSAM sam, HKEY *out)
{
	const struct reg_key *k;
	LONG e;

	(void)options;
	if (!out)
		return ERROR_INVALID_PARAMETER;
	*out = NULL;
	e = resolve(h, 0, &k);
	if (!e)
		e = walk(k, sub, &k);
	if (!e && (sam & WRITE_RIGHTS))
		e = ERROR_ACCESS_DENIED;
	if (!e)
		e = open_handle(k, granted(sam), out);
	return e;
}

EXPORT LONG WINAPI RegOpenKeyExA(HKEY h, const char *sub, DWORD options, REGSAM sam, HKEY *out)
{
	WCHAR *w;
	LONG e = adv_a_to_w(sub, &w);

	if (e) {
		if (out)
			*out = NULL;
		return e;
	}
	e = RegOpenKeyExW(h, w, options, sam, out);
	adv_free(w);
	return e;
}

/* The old form: opens with every right the key can give (here, reading). */
EXPORT LONG WINAPI RegOpenKeyW(HKEY h, const WCHAR *sub, HKEY *out)
{
	return RegOpenKeyExW(h, sub, 0, MAXIMUM_ALLOWED, out);
}

EXPORT LONG WINAPI RegOpenKeyA(HKEY h, const char *sub, HKEY *out)
{
	return RegOpenKeyExA(h, sub, 0, MAXIMUM_ALLOWED, out);
}

EXPORT LONG WINAPI RegQueryValueExW(HKEY h, const WCHAR *name, DWORD *reserved, DWORD *type, BYTE *data, DWORD *cb)
{
	if (reserved)
		return ERROR_INVALID_PARAMETER;
	return query_value(h, name, 1, type, data, cb);
}

EXPORT LONG WINAPI RegQueryValueExA(HKEY h, const char *name, DWORD *reserved, DWORD *type, BYTE *data, DWORD *cb)
{
	WCHAR *w;
	LONG e;

	if (reserved)
		return ERROR_INVALID_PARAMETER;
	e = adv_a_to_w(name, &w);
	if (e)
		return e;
	e = query_value(h, w, 0, type, data, cb);
	adv_free(w);
	return e;
}

/* The bit of RegGetValue's flags (RRF_RT_REG_*) that accepts a type. */
static DWORD type_flag(DWORD type)
{
	switch (type) {
	case REG_NONE: return 0x01;
	case REG_SZ: return 0x02;
	case REG_EXPAND_SZ: return 0x04;
	case REG_BINARY: return 0x08;
	case REG_DWORD: return 0x10;
	case REG_MULTI_SZ: return 0x20;
	case REG_QWORD: return 0x40;
	default: return 0;
	}
}

static LONG get_value(HKEY h, const WCHAR *sub, const WCHAR *name, DWORD flags, int wide, DWORD *type, void *data,
		      DWORD *cb)
{
	HKEY opened = NULL;
	DWORD t, cap = cb ? *cb : 0;
	LONG e;

	/* REG_EXPAND_SZ is expanded unless RRF_NOEXPAND: asked for alone, it could never be given */
	if ((data && !cb) || ((flags & RRF_RT_REG_EXPAND_SZ) && !(flags & RRF_NOEXPAND) && (flags & RRF_RT_ANY) != RRF_RT_ANY))
		return ERROR_INVALID_PARAMETER;
	if (sub && *sub) {
		e = RegOpenKeyExW(h, sub, 0, KEY_QUERY_VALUE, &opened);
		if (e)
			return e;
		h = opened;
	}
	e = query_value(h, name, wide, &t, NULL, cb);
	if (!e && !(type_flag(t) & flags))
		e = ERROR_UNSUPPORTED_TYPE;
	if (!e && data) {
		*cb = cap;
		e = query_value(h, name, wide, NULL, data, cb);
	}
	if (!e && type)
		*type = t;
	if (e && data && (flags & RRF_ZEROONFAILURE))
		for (DWORD i = 0; i < cap; i++)
			((BYTE *)data)[i] = 0;
	if (opened)
		RegCloseKey(opened);
	return e;
}

EXPORT LONG WINAPI RegGetValueW(HKEY h, const WCHAR *sub, const WCHAR *name, DWORD flags, DWORD *type, void *data,
				DWORD *cb)
{
	return get_value(h, sub, name, flags, 1, type, data, cb);
}

EXPORT LONG WINAPI RegGetValueA(HKEY h, const char *sub, const char *name, DWORD flags, DWORD *type, void *data,
				DWORD *cb)
{
	WCHAR *wsub, *wname = NULL;
	LONG e = adv_a_to_w(sub, &wsub);

	if (!e)
		e = adv_a_to_w(name, &wname);
	if (!e)
		e = get_value(h, wsub, wname, flags, 0, type, data, cb);
	adv_free(wsub);
	adv_free(wname);
	return e;
}

/* A name into a buffer of *n characters (with the NUL); *n becomes its length without it. */
static LONG put_name(const char *s, WCHAR *buf, DWORD *n)
{
	DWORD len = 0;

	while (s[len])
		len++;
	if (!buf || !n)
		return ERROR_INVALID_PARAMETER;
	if (*n < len + 1)
		return ERROR_MORE_DATA;
	for (DWORD i = 0; i <= len; i++)
		buf[i] = (WCHAR)(unsigned char)s[i];
	*n = len;
	return ERROR_SUCCESS;
}

/* The keys have no class and no recorded write time (the hive was never written: 1601-01-01). */
EXPORT LONG WINAPI RegEnumKeyExW(HKEY h, DWORD index, WCHAR *name, DWORD *name_len, DWORD *reserved, WCHAR *cls,
				 DWORD *cls_len, FILETIME *written)
{
	const struct reg_key *k;
	DWORD count = 0;
	LONG e = resolve(h, KEY_ENUMERATE_SUB_KEYS, &k);

	if (e)
		return e;
	if (reserved)
		return ERROR_INVALID_PARAMETER;
	while (k->subkeys && k->subkeys[count])
		count++;
	if (index >= count)
		return ERROR_NO_MORE_ITEMS;
	e = put_name(k->subkeys[index]->name, name, name_len);
	if (e)
		return e;
	if (cls && cls_len && *cls_len)
		cls[0] = 0;
	if (cls_len)
		*cls_len = 0;
	if (written)
		written->dwLowDateTime = written->dwHighDateTime = 0;
	return ERROR_SUCCESS;
}

EXPORT LONG WINAPI RegEnumValueW(HKEY h, DWORD index, WCHAR *name, DWORD *name_len, DWORD *reserved, DWORD *type,
				 BYTE *data, DWORD *cb)
{
	const struct reg_key *k;
	const struct reg_value *v;
	DWORD count = 0, need;
	LONG e = resolve(h, KEY_QUERY_VALUE, &k);

	if (e)
		return e;
	if (reserved || (data && !cb))
		return ERROR_INVALID_PARAMETER;
	while (k->values && k->values[count].name)
		count++;
	if (index >= count)
		return ERROR_NO_MORE_ITEMS;
	v = &k->values[index];
	e = put_name(v->name, name, name_len);
	if (e)
		return e;
	if (type)
		*type = v->type;
	if (cb) {
		need = value_data(v, 1, data, *cb);
		e = data && *cb < need ? ERROR_MORE_DATA : ERROR_SUCCESS;
		*cb = need;
	}
	return e;
}

/*
 * The counts and longest names and data of a key (names in characters without
 * the NUL, data in bytes as the W functions give it). The keys have no class
 * and no recorded write time (0), and no security descriptor of their own
 * (its size is 0).
 */
EXPORT LONG WINAPI RegQueryInfoKeyW(HKEY h, WCHAR *cls, DWORD *cls_len, DWORD *reserved, DWORD *subkeys,
				    DWORD *max_subkey, DWORD *max_class, DWORD *values, DWORD *max_value_name,
				    DWORD *max_value, DWORD *security, FILETIME *written)
{
	const struct reg_key *k;
	DWORD nsub = 0, nval = 0, msub = 0, mname = 0, mdata = 0, len;
	LONG e = resolve(h, KEY_QUERY_VALUE, &k);

	if (e)
		return e;
	(void)reserved; /* documented as NULL, not checked (as Wine, the reference, does not) */
	if (cls && !cls_len)
		return ERROR_INVALID_PARAMETER;
	for (; k->subkeys && k->subkeys[nsub]; nsub++) {
		for (len = 0; k->subkeys[nsub]->name[len]; len++)
			;
		msub = len > msub ? len : msub;
	}
	for (; k->values && k->values[nval].name; nval++) {
		for (len = 0; k->values[nval].name[len]; len++)
			;
		mname = len > mname ? len : mname;
		len = value_data(&k->values[nval], 1, NULL, 0);
		mdata = len > mdata ? len : mdata;
	}
	if (cls && *cls_len)
		cls[0] = 0;
	if (cls_len)
		*cls_len = 0;
	if (subkeys)
		*subkeys = nsub;
	if (max_subkey)
		*max_subkey = msub;
	if (max_class)
		*max_class = 0;
	if (values)
		*values = nval;
	if (max_value_name)
		*max_value_name = mname;
	if (max_value)
		*max_value = mdata;
	if (security)
		*security = 0;
	if (written)
		written->dwLowDateTime = written->dwHighDateTime = 0;
	return ERROR_SUCCESS;
}

/* An existing key opens for reading (REG_OPENED_EXISTING_KEY); creating one, or asking to write, is refused. */
EXPORT LONG WINAPI RegCreateKeyExW(HKEY h, const WCHAR *sub, DWORD reserved, WCHAR *cls, DWORD options, REGSAM sam,
				   const void *security, HKEY *out, DWORD *disposition)
{
	const struct reg_key *k;
	LONG e;

	(void)reserved;
	(void)cls;
	(void)options;
	(void)security;
	if (!out)
		return ERROR_INVALID_PARAMETER;
	*out = NULL;
	e = resolve(h, 0, &k);
	if (!e)
		e = walk(k, sub, &k);
	if (e == ERROR_FILE_NOT_FOUND || (!e && (sam & WRITE_RIGHTS)))
		e = ERROR_ACCESS_DENIED;
	if (!e)
		e = open_handle(k, granted(sam), out);
	if (!e && disposition)
		*disposition = REG_OPENED_EXISTING_KEY;
	return e;
}

EXPORT LONG WINAPI RegCreateKeyExA(HKEY h, const char *sub, DWORD reserved, char *cls, DWORD options, REGSAM sam,
				   const void *security, HKEY *out, DWORD *disposition)
{
	WCHAR *w;
	LONG e = adv_a_to_w(sub, &w);

	(void)cls;
	if (e) {
		if (out)
			*out = NULL;
		return e;
	}
	e = RegCreateKeyExW(h, w, reserved, NULL, options, sam, security, out, disposition);
	adv_free(w);
	return e;
}

/* No handle of this hive has KEY_SET_VALUE: ERROR_ACCESS_DENIED (or the handle's own error). */
EXPORT LONG WINAPI RegSetValueExW(HKEY h, const WCHAR *name, DWORD reserved, DWORD type, const BYTE *data, DWORD cb)
{
	const struct reg_key *k;

	(void)name;
	(void)reserved;
	(void)type;
	(void)data;
	(void)cb;
	return resolve(h, KEY_SET_VALUE, &k);
}

EXPORT LONG WINAPI RegSetValueExA(HKEY h, const char *name, DWORD reserved, DWORD type, const BYTE *data, DWORD cb)
{
	const struct reg_key *k;

	(void)name;
	(void)reserved;
	(void)type;
	(void)data;
	(void)cb;
	return resolve(h, KEY_SET_VALUE, &k);
}

EXPORT LONG WINAPI RegDeleteValueW(HKEY h, const WCHAR *name)
{
	const struct reg_key *k;

	(void)name;
	return resolve(h, KEY_SET_VALUE, &k);
}

EXPORT LONG WINAPI RegDeleteValueA(HKEY h, const char *name)
{
	const struct reg_key *k;

	(void)name;
	return resolve(h, KEY_SET_VALUE, &k);
}

/* A key that exists cannot be deleted (ERROR_ACCESS_DENIED); one that does not is ERROR_FILE_NOT_FOUND. */
EXPORT LONG WINAPI RegDeleteKeyW(HKEY h, const WCHAR *sub)
{
	const struct reg_key *k;
	LONG e = resolve(h, 0, &k);

	if (!e && (!sub || !*sub))
		return ERROR_INVALID_PARAMETER;
	if (!e)
		e = walk(k, sub, &k);
	return e ? e : ERROR_ACCESS_DENIED;
}

EXPORT LONG WINAPI RegDeleteKeyA(HKEY h, const char *sub)
{
	WCHAR *w;
	LONG e = adv_a_to_w(sub, &w);

	if (e)
		return e;
	e = RegDeleteKeyW(h, w);
	adv_free(w);
	return e;
}
