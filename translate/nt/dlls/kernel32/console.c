/*
 * Consoles: a handle is a console when its file is a terminal on the Linux
 * side (FileFsDeviceInformation says FILE_DEVICE_CONSOLE); a pipe, a file or
 * /dev/null is not, and the console functions fail on it with
 * ERROR_INVALID_HANDLE, as Windows' do on a redirected handle. Text is UTF-8
 * on the terminal.
 */
#include "k32.h"

#define ERROR_INVALID_HANDLE 6
#define ERROR_INVALID_PARAMETER 87
#define ERROR_NOT_ENOUGH_MEMORY 8

static BOOL is_console(HANDLE h)
{
	IO_STATUS_BLOCK iosb;
	ULONG dev[2];

	return !NtQueryVolumeInformationFile(h, &iosb, dev, sizeof(dev), 4) && dev[0] == 0x50;
}

EXPORT BOOL WINAPI GetConsoleMode(HANDLE h, DWORD *mode)
{
	if (!is_console(h))
		return k32_fail(ERROR_INVALID_HANDLE);
	/* input: ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT (the terminal's cooked mode);
	 * output: ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT | ENABLE_VIRTUAL_TERMINAL_PROCESSING */
	*mode = 0x7;
	return 1;
}

static BOOL write_utf8(HANDLE h, const char *s, DWORD n)
{
	IO_STATUS_BLOCK iosb;
	NTSTATUS st;

	while (n) {
		st = NtWriteFile(h, NULL, NULL, NULL, &iosb, s, n, NULL, NULL);
		if (st)
			return k32_fail_nt(st);
		if (!iosb.Information)
			return k32_fail(29 /* ERROR_WRITE_FAULT */);
		s += iosb.Information;
		n -= (DWORD)iosb.Information;
	}
	return 1;
}

EXPORT BOOL WINAPI WriteConsoleW(HANDLE h, const WCHAR *buf, DWORD n, DWORD *written, void *reserved)
{
	char chunk[4096];
	DWORD done = 0;

	(void)reserved;
	if (written)
		*written = 0;
	if (!is_console(h))
		return k32_fail(ERROR_INVALID_HANDLE);
	while (done < n) {
		DWORD take = n - done > 1000 ? 1000 : n - done;
		int len;

		if (take < n - done && buf[done + take - 1] >= 0xd800 && buf[done + take - 1] < 0xdc00)
			take--; /* keep a surrogate pair together */
		len = k32_w_to_a(buf + done, take, chunk, sizeof(chunk));
		if (len < 0 || !write_utf8(h, chunk, (DWORD)len))
			return 0;
		done += take;
		if (written)
			*written = done;
	}
	return 1;
}

EXPORT BOOL WINAPI WriteConsoleA(HANDLE h, const char *buf, DWORD n, DWORD *written, void *reserved)
{
	(void)reserved;
	if (written)
		*written = 0;
	if (!is_console(h))
		return k32_fail(ERROR_INVALID_HANDLE);
	if (!write_utf8(h, buf, n))
		return 0;
	if (written)
		*written = n;
	return 1;
}

/* Read what the terminal gives (a line, in its cooked mode) as UTF-16; a character cut by the read is completed. */
EXPORT BOOL WINAPI ReadConsoleW(HANDLE h, WCHAR *buf, DWORD n, DWORD *got, void *control)
{
	char bytes[4096 + 4];
	IO_STATUS_BLOCK iosb;
	DWORD len, units = 0;
	NTSTATUS st;

	(void)control;
	if (got)
		*got = 0;
	if (!is_console(h))
		return k32_fail(ERROR_INVALID_HANDLE);
	if (!n)
		return 1;
	len = n < 4096 ? n : 4096;
	st = NtReadFile(h, NULL, NULL, NULL, &iosb, bytes, len, NULL, NULL);
	if (st == (NTSTATUS)0xC0000011) /* END_OF_FILE: Ctrl-D, nothing read */
		return 1;
	if (st)
		return k32_fail_nt(st);
	len = (DWORD)iosb.Information;
	/* an incomplete UTF-8 sequence at the end: read its missing bytes */
	for (DWORD back = 1; back <= 3 && back <= len; back++) {
		unsigned char c = (unsigned char)bytes[len - back];
		DWORD need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;

		if ((c & 0xc0) == 0x80)
			continue;
		while (need > back && len < sizeof(bytes)) {
			if (NtReadFile(h, NULL, NULL, NULL, &iosb, bytes + len, 1, NULL, NULL) || !iosb.Information)
				break;
			len++;
			back++;
		}
		break;
	}
	bytes[len] = 0;
	{
		int k = 0;
		WCHAR *tmp = k32_alloc((len + 1) * 2);

		if (!tmp)
			return k32_fail(ERROR_NOT_ENOUGH_MEMORY);
		k = k32_a_to_w(bytes, tmp, len + 1);
		units = (DWORD)(k < 0 ? 0 : k);
		if (units > n)
			units = n; /* a 4-byte character read in the last byte's place: cut, as a short buffer would */
		memcpy(buf, tmp, units * 2);
		k32_free(tmp);
	}
	if (got)
		*got = units;
	return 1;
}

EXPORT BOOL WINAPI SetConsoleOutputCP(UINT cp)
{
	return cp == 65001 ? 1 : k32_fail(ERROR_INVALID_PARAMETER); /* the terminal speaks UTF-8 */
}

EXPORT BOOL WINAPI SetConsoleCP(UINT cp)
{
	return cp == 65001 ? 1 : k32_fail(ERROR_INVALID_PARAMETER);
}
