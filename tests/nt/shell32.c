/*
 * shell32's CommandLineToArgvW on many command lines: the documented rules
 * (the program name up to white space or between quotes, with no escapes;
 * 2n / 2n+1 backslashes before a quote; quoted blanks) and what Windows
 * does with doubled quotes inside quotes, checked against Wine as the
 * reference (tests/nt/run-wine). Linked with -lshell32 -lkernel32.
 */
#include "nt_test.h"

#define WINAPI __attribute__((ms_abi))
#define IMP __declspec(dllimport)
typedef unsigned long DWORD;

IMP WCHAR **WINAPI CommandLineToArgvW(const WCHAR *cmdline, int *num_args);
IMP void *WINAPI LocalFree(void *mem);
IMP DWORD WINAPI GetLastError(void);
IMP void WINAPI SetLastError(DWORD);
IMP DWORD WINAPI GetModuleFileNameW(HANDLE module, WCHAR *buf, DWORD size);

struct argv_case {
	const WCHAR *cmdline;
	const char *what;
	int argc;
	const WCHAR *argv[6];
};

static const struct argv_case cases[] = {
	{ L"prog a b c", "plain words", 4, { L"prog", L"a", L"b", L"c" } },
	{ L"prog \"a b\" c", "a quoted argument keeps its blank", 3, { L"prog", L"a b", L"c" } },
	{ L"prog\ta\t\tb", "tabs separate", 3, { L"prog", L"a", L"b" } },
	{ L"prog   a   ", "blanks at the end make no argument", 2, { L"prog", L"a" } },
	{ L"prog a\\\\b", "backslashes not before a quote are literal", 2, { L"prog", L"a\\\\b" } },
	{ L"prog a\\\\", "backslashes at the end are literal", 2, { L"prog", L"a\\\\" } },
	{ L"prog a\\\"b", "1 backslash before a quote: a literal quote", 2, { L"prog", L"a\"b" } },
	{ L"prog a\\\\\"b c\"", "2 backslashes before a quote: 1 backslash, the quote opens quoting", 2,
	  { L"prog", L"a\\b c" } },
	{ L"prog a\\\\\\\"b", "3 backslashes before a quote: 1 backslash and a literal quote", 2, { L"prog", L"a\\\"b" } },
	{ L"prog \\\\\\\\\"", "4 backslashes and a quote: 2 backslashes", 2, { L"prog", L"\\\\" } },
	{ L"prog \"a\\\\\" b", "2 backslashes before a closing quote", 3, { L"prog", L"a\\", L"b" } },
	{ L"prog \"\"", "an empty quoted argument", 2, { L"prog", L"" } },
	{ L"prog \"\" \"\"", "two empty arguments", 3, { L"prog", L"", L"" } },
	{ L"prog a\"b c\"d e", "quoting inside an argument", 3, { L"prog", L"ab cd", L"e" } },
	{ L"prog \"a b", "quoting open at the end", 2, { L"prog", L"a b" } },
	{ L"prog \"\"\"", "3 quotes: one literal quote", 2, { L"prog", L"\"" } },
	{ L"prog \"\"\"\"", "4 quotes: one literal quote", 2, { L"prog", L"\"" } },
	{ L"prog \"\"\"\"\"\"", "6 quotes: two literal quotes", 2, { L"prog", L"\"\"" } },
	{ L"prog \"a\"\"b\"", "a doubled quote inside quotes is a literal quote", 2, { L"prog", L"a\"b" } },
	{ L"prog \"a\"\"b c\"", "... and quoting ends there", 3, { L"prog", L"a\"b", L"c" } },
	{ L"prog \"a\"\"\"b c\"", "a quote after a doubled quote opens quoting again", 2, { L"prog", L"a\"b c" } },
	{ L"\"C:\\Program Files\\x.exe\" a", "a quoted program name keeps its blank", 2,
	  { L"C:\\Program Files\\x.exe", L"a" } },
	{ L"C:\\dir\\\"x\".exe a", "an unquoted program name takes quotes and backslashes literally", 2,
	  { L"C:\\dir\\\"x\".exe", L"a" } },
	{ L"\"a\\\" b c", "a quoted program name ends at the next quote, backslash or not", 3, { L"a\\", L"b", L"c" } },
	{ L"\"pro\"g a", "after a quoted program name the next argument starts at once", 3, { L"pro", L"g", L"a" } },
	{ L"\"\" a", "an empty quoted program name", 2, { L"", L"a" } },
	{ L"  prog a", "blanks before the program name: it is empty", 3, { L"", L"prog", L"a" } },
	{ L"prog", "the program name alone", 1, { L"prog" } },
	{ L"pr\nog a\nb", "a newline is part of an argument, the program name's too", 2, { L"pr\nog", L"a\nb" } },
	{ L"prog\v\f\r a", "so are vertical tab, form feed and carriage return", 2, { L"prog\v\f\r", L"a" } },
	{ L"prog \u00e9\u4e2d \U0001F600", "characters beyond ASCII (and a surrogate pair) pass as they are", 3,
	  { L"prog", L"\u00e9\u4e2d", L"\U0001F600" } },
	{ L"prog a\\\\\\\\\"b\"", "4 backslashes before a quote inside an argument", 2, { L"prog", L"a\\\\b" } },
};

static int same(const WCHAR *a, const WCHAR *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static void one_case(const struct argv_case *c)
{
	int argc = -1, ok;
	WCHAR **argv = CommandLineToArgvW(c->cmdline, &argc);

	ok = argv && argc == c->argc && !argv[argc];
	for (int i = 0; ok && i < argc; i++)
		ok = same(argv[i], c->argv[i]);
	check(ok, c->what, (unsigned long long)argc);
	if (argv)
		LocalFree(argv);
}

int mainCRTStartup(void);
int mainCRTStartup(void)
{
	WCHAR self[600];
	WCHAR **argv;
	int argc = -1;

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		one_case(&cases[i]);

	/* An empty command line: the program's own path is the one argument. */
	GetModuleFileNameW(0, self, 600);
	argv = CommandLineToArgvW(L"", &argc);
	check(argv && argc == 1 && same(argv[0], self), "an empty command line gives the program's path",
	      (unsigned long long)argc);
	check(argv && !LocalFree(argv), "the array is one LocalAlloc block: LocalFree takes it", 0);

	SetLastError(0);
	argv = CommandLineToArgvW(L"prog a", 0);
	check(!argv && GetLastError() == 87, "no place for the count: NULL, ERROR_INVALID_PARAMETER", GetLastError());
	done();
	return 0;
}
