/*
 * picovisor's shell32.dll: CommandLineToArgvW, the one shell32 function
 * console programs import for their arguments. Everything else of shell32
 * (the shell namespace, folders, ShellExecute) is absent.
 */
#include "pv_win.h"

#define ERROR_INVALID_PARAMETER 87
#define ERROR_NOT_ENOUGH_MEMORY 8
#define LMEM_FIXED 0

void *WINAPI LocalAlloc(UINT flags, SIZE_T bytes);
void *WINAPI LocalFree(void *mem);
DWORD WINAPI GetModuleFileNameW(HMODULE module, WCHAR *buf, DWORD size);

BOOL WINAPI DllMainCRTStartup(HMODULE self, DWORD reason, void *reserved);
BOOL WINAPI DllMainCRTStartup(HMODULE self, DWORD reason, void *reserved)
{
	(void)self;
	(void)reason;
	(void)reserved;
	return 1;
}

static int blank(WCHAR c)
{
	return c == ' ' || c == '\t';
}

/*
 * One pass over the command line, as CommandLineToArgvW reads it: counts
 * the arguments and the characters they hold (argc, chars); when out is not
 * NULL, also writes each argument NUL-terminated there and points argv at
 * them. The rules (the documented ones, and what Windows does with quotes
 * doubled inside quotes):
 *   - the first argument is the program's name: up to the next space or
 *     tab, or, if it starts with a quote, up to the next quote, with no
 *     escapes;
 *   - the others are separated by spaces and tabs outside quotes (other
 *     white space, a newline, is part of an argument);
 *   - 2n backslashes before a quote are n backslashes and the quote opens
 *     or closes quoting; 2n+1 are n backslashes and a literal quote; other
 *     backslashes are literal;
 *   - inside quotes, two quotes in a row are a literal quote, and quoting
 *     ends there.
 */
static void parse(const WCHAR *s, int *argc, size_t *chars, WCHAR *out, WCHAR **argv)
{
	int n = 0;
	size_t k = 0;

#define PUT(c) do { if (out) out[k] = (c); k++; } while (0)
	if (argv)
		argv[0] = out;
	if (*s == '"') {
		for (s++; *s && *s != '"'; s++)
			PUT(*s);
		if (*s)
			s++;
	} else {
		for (; *s && !blank(*s); s++)
			PUT(*s);
	}
	PUT(0);
	n = 1;
	for (;;) {
		int quoted = 0;

		while (blank(*s))
			s++;
		if (!*s)
			break;
		if (argv)
			argv[n] = out + k;
		n++;
		while (*s && (quoted || !blank(*s))) {
			if (*s == '\\') {
				size_t b = 0;

				while (*s == '\\') {
					b++;
					s++;
				}
				for (size_t i = 0; i < (*s == '"' ? b / 2 : b); i++)
					PUT('\\');
				if (*s == '"' && b % 2) {
					PUT('"');
					s++;
				}
			} else if (*s == '"') {
				s++;
				if (quoted && *s == '"') {
					PUT('"');
					s++;
					quoted = 0;
				} else {
					quoted = !quoted;
				}
			} else {
				PUT(*s);
				s++;
			}
		}
		PUT(0);
	}
#undef PUT
	*argc = n;
	*chars = k;
}

/*
 * The arguments of a command line as an array of strings in one block the
 * caller frees with LocalFree. An empty command line gives the program's
 * own path as the only argument.
 */
EXPORT WCHAR **WINAPI CommandLineToArgvW(const WCHAR *cmdline, int *num_args)
{
	WCHAR *self = NULL;
	WCHAR **argv;
	size_t chars;
	int argc;

	if (!num_args) {
		LAST_ERROR() = ERROR_INVALID_PARAMETER;
		return NULL;
	}
	if (!cmdline || !*cmdline) {
		const DWORD cap = 32768;
		DWORD n;

		self = LocalAlloc(LMEM_FIXED, (cap + 3) * sizeof(WCHAR));
		if (!self) {
			LAST_ERROR() = ERROR_NOT_ENOUGH_MEMORY;
			return NULL;
		}
		n = GetModuleFileNameW(NULL, self + 1, cap);
		/* quoted, so a path with spaces stays one argument (the name rule takes it to the next quote) */
		self[0] = '"';
		self[n + 1] = '"';
		self[n + 2] = 0;
		cmdline = self;
	}
	parse(cmdline, &argc, &chars, NULL, NULL);
	argv = LocalAlloc(LMEM_FIXED, (size_t)(argc + 1) * sizeof(WCHAR *) + chars * sizeof(WCHAR));
	if (argv) {
		parse(cmdline, &argc, &chars, (WCHAR *)(argv + argc + 1), argv);
		argv[argc] = NULL;
		*num_args = argc;
	} else {
		LAST_ERROR() = ERROR_NOT_ENOUGH_MEMORY;
	}
	if (self)
		LocalFree(self);
	return argv;
}
