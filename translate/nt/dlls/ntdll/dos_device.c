/*
 * DOS device names: a last path component that is CON, PRN, AUX, NUL,
 * COM1-COM9 or LPT1-LPT9 (any case, followed perhaps by spaces, an
 * extension or a colon) names the device, whatever directory comes before
 * it: "C:\dir\nul.txt" is NUL, as Windows 10's RtlDosPathNameToNtPathName_U
 * reads it (\??\NUL). Programs written for Windows open "/dev/null" and get
 * NUL that way. Which devices picovisor serves is the supervisor's matter
 * (NUL; the others are not found).
 */
#include "ntdll_internal.h"

static WCHAR upper(WCHAR c)
{
	return c >= 'a' && c <= 'z' ? (WCHAR)(c - 32) : c;
}

size_t pv_dos_device(const WCHAR *path, WCHAR out[5])
{
	static const char *const three[] = { "CON", "PRN", "AUX", "NUL" };
	const WCHAR *c = path;
	size_t n = 0;

	for (const WCHAR *p = path; *p; p++)
		if (*p == '\\' || *p == '/' || (*p == ':' && p == path + 1))
			c = p + 1;
	while (c[n] && c[n] != '.' && c[n] != ':')
		n++;
	while (n && c[n - 1] == ' ')
		n--;
	if (n == 3) {
		for (size_t i = 0; i < 4; i++)
			if (upper(c[0]) == three[i][0] && upper(c[1]) == three[i][1] && upper(c[2]) == three[i][2]) {
				for (size_t j = 0; j < 3; j++)
					out[j] = (WCHAR)three[i][j];
				out[3] = 0;
				return 3;
			}
		return 0;
	}
	if (n == 4 && c[3] >= '1' && c[3] <= '9' &&
	    ((upper(c[0]) == 'C' && upper(c[1]) == 'O' && upper(c[2]) == 'M') ||
	     (upper(c[0]) == 'L' && upper(c[1]) == 'P' && upper(c[2]) == 'T'))) {
		for (size_t j = 0; j < 4; j++)
			out[j] = upper(c[j]);
		out[4] = 0;
		return 4;
	}
	return 0;
}
