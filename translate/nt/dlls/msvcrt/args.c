/*
 * The command line and the environment: _acmdln/_wcmdln, __getmainargs and
 * __wgetmainargs (argv split by the documented rules of "Parsing C
 * command-line arguments"), _environ/_wenviron kept in step with
 * getenv/_putenv and the process environment (SetEnvironmentVariableW).
 * The ANSI code page is UTF-8: narrow strings are the UTF-8 of the wide ones.
 */
#include "crt.h"

EXPORT char *_acmdln;
EXPORT WCHAR *_wcmdln;
EXPORT int __argc;
EXPORT char **__argv;
EXPORT WCHAR **__wargv;
EXPORT char **_environ;
EXPORT WCHAR **_wenviron;
EXPORT char **__initenv;
EXPORT WCHAR **__winitenv;
EXPORT char *_pgmptr;
EXPORT WCHAR *_wpgmptr;
EXPORT int _fmode;      /* 0 means _O_TEXT */
EXPORT int _commode;

typedef struct {
	int newmode;
} _startupinfo;

WCHAR *crt_to_wide(const char *s)
{
	int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
	WCHAR *w;

	if (n <= 0) {
		*_errno() = EILSEQ;
		return NULL;
	}
	w = malloc((size_t)n * sizeof(WCHAR));
	if (w)
		MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n);
	return w;
}

char *crt_to_utf8(const WCHAR *w)
{
	int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
	char *s;

	if (n <= 0) {
		*_errno() = EILSEQ;
		return NULL;
	}
	s = malloc((size_t)n);
	if (s)
		WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL);
	return s;
}

/*
 * One pass of the splitter, written once for both widths through a macro.
 * The program name is what a leading quote encloses, else everything up
 * to the first blank (backslashes and other quotes plain). In the other arguments, 2n backslashes
 * and a quote give n backslashes and toggle quoting, 2n+1 and a quote give n
 * backslashes and a literal quote, other backslashes are plain, and inside
 * quotes a doubled quote is a literal quote.
 */
#define DEFINE_SPLIT(NAME, CH)                                                                        \
	static size_t NAME(const CH *cmd, CH **argv, CH *buf)                                        \
	{                                                                                             \
		size_t argc = 0, out = 0;                                                             \
		const CH *p = cmd;                                                                    \
		int quoted = 0;                                                                       \
		if (!p)                                                                               \
			return 0;                                                             \
		/* the program name */                                                               \
		if (argv)                                                                             \
			argv[argc] = buf + out;                                                       \
		argc++;                                                                               \
		if (*p == '"') {                                                                      \
			for (p++; *p && *p != '"'; p++)                                               \
				buf ? (void)(buf[out++] = *p) : (void)out++;                          \
			if (*p)                                                                       \
				p++;                                                                  \
		} else {                                                                              \
			for (; *p && *p != ' ' && *p != '\t'; p++)                                   \
				buf ? (void)(buf[out++] = *p) : (void)out++;                          \
		}                                                                                     \
		if (buf)                                                                              \
			buf[out] = 0;                                                                 \
		out++;                                                                                \
		quoted = 0;                                                                           \
		for (;;) {                                                                            \
			while (*p == ' ' || *p == '\t')                                               \
				p++;                                                                  \
			if (!*p)                                                                      \
				break;                                                                \
			if (argv)                                                                     \
				argv[argc] = buf + out;                                               \
			argc++;                                                                       \
			while (*p && (quoted || (*p != ' ' && *p != '\t'))) {                         \
				if (*p == '\\') {                                                     \
					size_t n = 0;                                                 \
					while (*p == '\\') {                                          \
						n++;                                                  \
						p++;                                                  \
					}                                                             \
					if (*p == '"') {                                              \
						for (size_t i = 0; i < n / 2; i++)                    \
							buf ? (void)(buf[out++] = '\\') : (void)out++; \
						if (n % 2) {                                          \
							buf ? (void)(buf[out++] = '"') : (void)out++; \
							p++;                                          \
						}                                                     \
					} else {                                                      \
						for (size_t i = 0; i < n; i++)                        \
							buf ? (void)(buf[out++] = '\\') : (void)out++; \
					}                                                             \
				} else if (*p == '"') {                                               \
					if (quoted && p[1] == '"') {                                  \
						buf ? (void)(buf[out++] = '"') : (void)out++;         \
						p += 2;                                               \
					} else {                                                      \
						quoted = !quoted;                                     \
						p++;                                                  \
					}                                                             \
				} else {                                                              \
					buf ? (void)(buf[out++] = *p) : (void)out++;                  \
					p++;                                                          \
				}                                                                     \
			}                                                                             \
			if (buf)                                                                      \
				buf[out] = 0;                                                         \
			out++;                                                                        \
		}                                                                                     \
		if (argv)                                                                             \
			argv[argc] = NULL;                                                            \
		else                                                                                  \
			argv_chars = out;                                                             \
		return argc;                                                                          \
	}

static size_t argv_chars;
DEFINE_SPLIT(split_narrow, char)
DEFINE_SPLIT(split_wide, WCHAR)

/* argv and its strings in one block, so a program may keep pointers into it for ever. */
static char **build_narrow(const char *cmd, int *argc)
{
	size_t n = split_narrow(cmd, NULL, NULL), chars = argv_chars;
	char **argv = malloc((n + 1) * sizeof(char *) + chars);

	if (!argv)
		return NULL;
	*argc = (int)split_narrow(cmd, argv, (char *)(argv + n + 1));
	return argv;
}

static WCHAR **build_wide(const WCHAR *cmd, int *argc)
{
	size_t n = split_wide(cmd, NULL, NULL), chars = argv_chars;
	WCHAR **argv = malloc((n + 1) * sizeof(WCHAR *) + chars * sizeof(WCHAR));

	if (!argv)
		return NULL;
	*argc = (int)split_wide(cmd, argv, (WCHAR *)(argv + n + 1));
	return argv;
}

void crt_init_args(void)
{
	/* the narrow command line is the UTF-8 of the wide one, whatever KERNEL32's ANSI code page */
	_wcmdln = GetCommandLineW();
	_acmdln = _wcmdln ? crt_to_utf8(_wcmdln) : NULL;
	if (!_acmdln)
		_acmdln = GetCommandLineA();
}

EXPORT int __getmainargs(int *argc, char ***argv, char ***envp, int expand_wildcards, _startupinfo *si)
{
	(void)expand_wildcards; /* wildcards are not expanded (see docs/nt.md) */
	(void)si;
	if (!__argv)
		__argv = build_narrow(_acmdln, &__argc);
	if (!__argv)
		return -1;
	*argc = __argc;
	*argv = __argv;
	*envp = _environ;
	if (!_pgmptr)
		_pgmptr = __argv[0];
	return 0;
}

EXPORT int __wgetmainargs(int *argc, WCHAR ***argv, WCHAR ***envp, int expand_wildcards, _startupinfo *si)
{
	int n = 0;

	(void)expand_wildcards;
	(void)si;
	if (!__wargv)
		__wargv = build_wide(_wcmdln, &n);
	if (!__wargv)
		return -1;
	*argc = n;
	__argc = n;
	*argv = __wargv;
	*envp = _wenviron;
	if (!_wpgmptr)
		_wpgmptr = __wargv[0];
	return 0;
}

EXPORT int *__p___argc(void) { return &__argc; }
EXPORT char ***__p___argv(void) { return &__argv; }
EXPORT WCHAR ***__p___wargv(void) { return &__wargv; }
EXPORT char ***__p__environ(void) { return &_environ; }
EXPORT WCHAR ***__p__wenviron(void) { return &_wenviron; }
EXPORT char ***__p___initenv(void) { return &__initenv; }
EXPORT WCHAR ***__p___winitenv(void) { return &__winitenv; }
EXPORT char **__p__acmdln(void) { return &_acmdln; }
EXPORT WCHAR **__p__wcmdln(void) { return &_wcmdln; }
EXPORT int *__p__fmode(void) { return &_fmode; }
EXPORT int *__p__commode(void) { return &_commode; }
EXPORT char **__p__pgmptr(void) { return &_pgmptr; }
EXPORT WCHAR **__p__wpgmptr(void) { return &_wpgmptr; }

/*
 * The environment. _wenviron is the process block read at start; _environ
 * its UTF-8 copy. _putenv changes both and the process environment. Entries
 * whose name starts with '=' (per-drive directories) are kept out, as
 * msvcrt does.
 */
static size_t env_count;

/*
 * The arrays a reload replaces are left allocated: main's envp, __initenv and
 * pointers getenv returned earlier stay readable (a few bytes per _putenv).
 */
static void env_load(void)
{
	WCHAR *block = GetEnvironmentStringsW(), *p;
	size_t n = 0, i = 0;

	if (block)
		for (p = block; *p; p += wcslen(p) + 1)
			if (*p != '=')
				n++;
	_environ = calloc(n + 1, sizeof(char *));
	_wenviron = calloc(n + 1, sizeof(WCHAR *));
	if (!_environ || !_wenviron || !block)
		goto out;
	for (p = block; *p && i < n; p += wcslen(p) + 1) {
		size_t len = wcslen(p);
		if (*p == '=')
			continue;
		_wenviron[i] = malloc((len + 1) * sizeof(WCHAR));
		if (!_wenviron[i])
			break;
		memcpy(_wenviron[i], p, (len + 1) * sizeof(WCHAR));
		_environ[i] = crt_to_utf8(p);
		if (!_environ[i]) {
			free(_wenviron[i]);
			_wenviron[i] = NULL;
			break;
		}
		i++;
	}
out:
	env_count = i;
	if (block)
		FreeEnvironmentStringsW(block);
}

void crt_init_env(void)
{
	env_load();
	__initenv = _environ;
	__winitenv = _wenviron;
}

static int name_matches(const char *entry, const char *name, size_t len)
{
	return _strnicmp(entry, name, len) == 0 && entry[len] == '=';
}

EXPORT char *getenv(const char *name)
{
	size_t len;
	char *ret = NULL;

	if (!name || !*name || !_environ)
		return NULL;
	len = strlen(name);
	_lock(CRT_LOCK_ENV);
	for (size_t i = 0; _environ[i]; i++)
		if (name_matches(_environ[i], name, len)) {
			ret = _environ[i] + len + 1;
			break;
		}
	_unlock(CRT_LOCK_ENV);
	return ret;
}

static int wname_matches(const WCHAR *entry, const WCHAR *name, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		WCHAR a = entry[i], b = name[i];
		if (a >= 'a' && a <= 'z')
			a -= 32;
		if (b >= 'a' && b <= 'z')
			b -= 32;
		if (a != b)
			return 0;
	}
	return entry[len] == '=';
}

EXPORT WCHAR *_wgetenv(const WCHAR *name)
{
	size_t len;
	WCHAR *ret = NULL;

	if (!name || !*name || !_wenviron)
		return NULL;
	len = wcslen(name);
	_lock(CRT_LOCK_ENV);
	for (size_t i = 0; _wenviron[i]; i++)
		if (wname_matches(_wenviron[i], name, len)) {
			ret = _wenviron[i] + len + 1;
			break;
		}
	_unlock(CRT_LOCK_ENV);
	return ret;
}

/* "NAME=VALUE" sets, "NAME=" removes. The process environment is changed, then the arrays are read again. */
EXPORT int _wputenv(const WCHAR *assignment)
{
	const WCHAR *eq;
	WCHAR *name;
	size_t len;
	BOOL ok;

	if (!assignment)
		goto bad;
	for (eq = assignment; *eq && *eq != '='; eq++)
		;
	if (!*eq || eq == assignment)
		goto bad;
	len = (size_t)(eq - assignment);
	name = malloc((len + 1) * sizeof(WCHAR));
	if (!name)
		return -1;
	memcpy(name, assignment, len * sizeof(WCHAR));
	name[len] = 0;
	_lock(CRT_LOCK_ENV);
	ok = SetEnvironmentVariableW(name, eq[1] ? eq + 1 : NULL);
	if (ok || !eq[1])
		env_load();
	_unlock(CRT_LOCK_ENV);
	free(name);
	if (!ok && eq[1]) {
		crt_set_errno_from_win32(GetLastError());
		return -1;
	}
	return 0;
bad:
	*_errno() = EINVAL;
	return -1;
}

EXPORT int _putenv(const char *assignment)
{
	WCHAR *w;
	int r;

	if (!assignment) {
		*_errno() = EINVAL;
		return -1;
	}
	w = crt_to_wide(assignment);
	if (!w)
		return -1;
	r = _wputenv(w);
	free(w);
	return r;
}

EXPORT int _putenv_s(const char *name, const char *value)
{
	size_t n, v;
	char *s;
	int r;

	if (!name || !value) {
		*_errno() = EINVAL;
		return EINVAL;
	}
	n = strlen(name);
	v = strlen(value);
	s = malloc(n + v + 2);
	if (!s)
		return ENOMEM;
	memcpy(s, name, n);
	s[n] = '=';
	memcpy(s + n + 1, value, v + 1);
	r = _putenv(s);
	free(s);
	return r ? *_errno() : 0;
}
