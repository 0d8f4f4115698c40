/* wmain (__wgetmainargs), _wenviron/_wgetenv, wide formatting and parsing: the same output on Linux (via main). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#ifndef _WIN32
#include <strings.h>
#endif

#ifdef _WIN32
int wmain(int argc, wchar_t **argv)
{
	wchar_t buf[128];
	wchar_t *end;
	const wchar_t *v = _wgetenv(L"CRT_WIDE_VAR");
	int found = 0;

	for (int i = 1; i < argc; i++)
		wprintf(L"argv[%d] = [%s] (%d units)\n", i, argv[i], (int)wcslen(argv[i]));
	wprintf(L"CRT_WIDE_VAR = [%s]\n", v ? v : L"(unset)");
	for (wchar_t **e = _wenviron; e && *e; e++)
		found += !wcsncmp(*e, L"CRT_WIDE_VAR=", 13);
	wprintf(L"in _wenviron: %d\n", found);
	_snwprintf(buf, 128, L"%d|%5.2f|%-4s|%x", 42, 3.14159, L"ab", 255);
	wprintf(L"swprintf: [%s] %d\n", buf, (int)wcslen(buf));
	long n = wcstol(L"  -123abc", &end, 10);
	wprintf(L"wcstol: %ld rest [%s]\n", n, end);
	wprintf(L"_wcsicmp: %d %d\n", _wcsicmp(L"Hello", L"hELLO") == 0, _wcsicmp(L"a", L"b") < 0);
	return argc;
}
#else
int main(int argc, char **argv)
{
	char buf[128];
	char *end;
	const char *v = getenv("CRT_WIDE_VAR");
	extern char **environ;
	int found = 0;

	for (int i = 1; i < argc; i++)
		printf("argv[%d] = [%s] (%d units)\n", i, argv[i], (int)strlen(argv[i]));
	printf("CRT_WIDE_VAR = [%s]\n", v ? v : "(unset)");
	for (char **e = environ; e && *e; e++)
		found += !strncmp(*e, "CRT_WIDE_VAR=", 13);
	printf("in _wenviron: %d\n", found);
	snprintf(buf, sizeof(buf), "%d|%5.2f|%-4s|%x", 42, 3.14159, "ab", 255);
	printf("swprintf: [%s] %d\n", buf, (int)strlen(buf));
	long n = strtol("  -123abc", &end, 10);
	printf("wcstol: %ld rest [%s]\n", n, end);
	printf("_wcsicmp: %d %d\n", strcasecmp("Hello", "hELLO") == 0, strcasecmp("a", "b") < 0);
	return argc;
}
#endif
