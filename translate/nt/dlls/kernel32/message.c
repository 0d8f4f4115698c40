/*
 * FormatMessageA / W: the system's message texts for the Win32 errors
 * programs meet (Windows' English wording, each ending with the line break
 * its message table has), messages given as strings, and the inserts %1..%99
 * with their !printf-format!. There is no message-table resource support:
 * FORMAT_MESSAGE_FROM_HMODULE alone is ERROR_RESOURCE_TYPE_NOT_FOUND.
 */
#include "k32.h"

#define FORMAT_MESSAGE_ALLOCATE_BUFFER 0x100u
#define FORMAT_MESSAGE_IGNORE_INSERTS 0x200u
#define FORMAT_MESSAGE_FROM_STRING 0x400u
#define FORMAT_MESSAGE_FROM_HMODULE 0x800u
#define FORMAT_MESSAGE_FROM_SYSTEM 0x1000u
#define FORMAT_MESSAGE_ARGUMENT_ARRAY 0x2000u
#define FORMAT_MESSAGE_MAX_WIDTH_MASK 0xffu
#define ERROR_NOT_ENOUGH_MEMORY 8
#define ERROR_INVALID_PARAMETER 87
#define ERROR_INSUFFICIENT_BUFFER 122
#define ERROR_MR_MID_NOT_FOUND 317
#define ERROR_RESOURCE_TYPE_NOT_FOUND 1813
#define ERROR_RESOURCE_LANG_NOT_FOUND 15100
#define OUT_MAX 32768 /* units; Windows' own limit is 64 KiB of output */

void *WINAPI LocalAlloc(UINT flags, SIZE_T size);

static const struct {
	uint16_t id;
	const char *text;
} messages[] = {
	{ 0, "The operation completed successfully." },
	{ 1, "Incorrect function." },
	{ 2, "The system cannot find the file specified." },
	{ 3, "The system cannot find the path specified." },
	{ 4, "The system cannot open the file." },
	{ 5, "Access is denied." },
	{ 6, "The handle is invalid." },
	{ 8, "Not enough memory resources are available to process this command." },
	{ 12, "The access code is invalid." },
	{ 13, "The data is invalid." },
	{ 14, "Not enough memory resources are available to complete this operation." },
	{ 15, "The system cannot find the drive specified." },
	{ 16, "The directory cannot be removed." },
	{ 17, "The system cannot move the file to a different disk drive." },
	{ 18, "There are no more files." },
	{ 19, "The media is write protected." },
	{ 21, "The device is not ready." },
	{ 32, "The process cannot access the file because it is being used by another process." },
	{ 33, "The process cannot access the file because another process has locked a portion of the file." },
	{ 38, "Reached the end of the file." },
	{ 39, "The disk is full." },
	{ 50, "The request is not supported." },
	{ 80, "The file exists." },
	{ 82, "The directory or file cannot be created." },
	{ 87, "The parameter is incorrect." },
	{ 109, "The pipe has been ended." },
	{ 112, "There is not enough space on the disk." },
	{ 120, "This function is not supported on this system." },
	{ 121, "The semaphore timeout period has expired." },
	{ 122, "The data area passed to a system call is too small." },
	{ 123, "The filename, directory name, or volume label syntax is incorrect." },
	{ 126, "The specified module could not be found." },
	{ 127, "The specified procedure could not be found." },
	{ 131, "An attempt was made to move the file pointer before the beginning of the file." },
	{ 145, "The directory is not empty." },
	{ 160, "One or more arguments are not correct." },
	{ 161, "The specified path is invalid." },
	{ 170, "The requested resource is in use." },
	{ 183, "Cannot create a file when that file already exists." },
	{ 193, "%1 is not a valid Win32 application." },
	{ 203, "The system could not find the environment option that was entered." },
	{ 206, "The filename or extension is too long." },
	{ 234, "More data is available." },
	{ 259, "No more data is available." },
	{ 267, "The directory name is invalid." },
	{ 288, "Attempt to release mutex not owned by caller." },
	{ 298, "Too many posts were made to a semaphore." },
	{ 317, "The system cannot find message text for message number 0x%1 in the message file for %2." },
	{ 487, "Attempt to access invalid address." },
	{ 534, "Arithmetic result exceeded 32 bits." },
	{ 995, "The I/O operation has been aborted because of either a thread exit or an application request." },
	{ 997, "Overlapped I/O operation is in progress." },
	{ 998, "Invalid access to memory location." },
	{ 1004, "Invalid flags." },
	{ 1113, "No mapping for the Unicode character exists in the target multi-byte code page." },
	{ 1114, "A dynamic link library (DLL) initialization routine failed." },
	{ 1314, "A required privilege is not held by the client." },
	{ 1460, "This operation returned because the timeout period expired." },
	{ 1784, "The supplied user buffer is not valid for the requested operation." },
	{ 1921, "The name of the file cannot be resolved by the system." },
};

static const char *system_text(DWORD id)
{
	for (size_t i = 0; i < sizeof(messages) / sizeof(messages[0]); i++)
		if (messages[i].id == id)
			return messages[i].text;
	return NULL;
}

struct out {
	WCHAR *buf;
	size_t n;
	int full;
};

static void put(struct out *o, WCHAR c)
{
	if (o->n < OUT_MAX)
		o->buf[o->n++] = c;
	else
		o->full = 1;
}

static void put_a(struct out *o, const char *s)
{
	WCHAR w[2];

	/* UTF-8 in: a code point at a time */
	while (*s) {
		const unsigned char *p = (const unsigned char *)s;
		int len = *p < 0x80 ? 1 : *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2;
		char one[5] = { 0 };
		int k;

		for (k = 0; k < len && s[k]; k++)
			one[k] = s[k];
		s += k;
		k = k32_a_to_w(one, w, 3);
		for (int i = 0; i < k; i++)
			put(o, w[i]);
	}
}

/* One insert's argument, the n-th (1-based) of args: a DWORD_PTR array (either way on x64: va_list is one). */
static uint64_t arg_of(const uint64_t *args, unsigned n)
{
	return args[n - 1];
}

static void put_num(struct out *o, uint64_t v, int neg, unsigned base, int upper, int width, int zero, int left, int prec)
{
	char digits[32];
	int n = 0, total;

	if (!v && prec != 0)
		digits[n++] = '0';
	while (v) {
		unsigned d = (unsigned)(v % base);

		digits[n++] = (char)(d < 10 ? '0' + d : (upper ? 'A' : 'a') + d - 10);
		v /= base;
	}
	while (prec > n)
		digits[n++] = '0';
	total = n + neg;
	if (!left && !zero)
		for (; width > total; width--)
			put(o, ' ');
	if (neg)
		put(o, '-');
	if (!left && zero)
		for (; width > total; width--)
			put(o, '0');
	while (n)
		put(o, (WCHAR)digits[--n]);
	if (left)
		for (; width > total; width--)
			put(o, ' ');
}

/* An insert with its printf format (fmt, len units, without the ! marks); ansi: %s is a narrow string. */
static void put_insert(struct out *o, const WCHAR *fmt, size_t len, uint64_t v, int ansi)
{
	int left = 0, zero = 0, width = 0, prec = -1, wide = !ansi, big = 0;
	size_t i = 0;

	for (; i < len && (fmt[i] == '-' || fmt[i] == '0' || fmt[i] == '+' || fmt[i] == ' ' || fmt[i] == '#'); i++) {
		left |= fmt[i] == '-';
		zero |= fmt[i] == '0';
	}
	for (; i < len && fmt[i] >= '0' && fmt[i] <= '9'; i++)
		width = width * 10 + (fmt[i] - '0');
	if (i < len && fmt[i] == '.')
		for (prec = 0, i++; i < len && fmt[i] >= '0' && fmt[i] <= '9'; i++)
			prec = prec * 10 + (fmt[i] - '0');
	for (; i < len; i++) {
		if (fmt[i] == 'h')
			wide = 0;
		else if (fmt[i] == 'l' || fmt[i] == 'w')
			wide = 1;
		else if (fmt[i] == 'I' && i + 2 < len && fmt[i + 1] == '6' && fmt[i + 2] == '4')
			big = 1, i += 2;
		else if (fmt[i] == 'I' && i + 2 < len && fmt[i + 1] == '3' && fmt[i + 2] == '2')
			i += 2;
		else if (fmt[i] == 'I')
			big = 1;
		else
			break;
	}
	if (i >= len)
		return;
	switch (fmt[i]) {
	case 'd':
	case 'i': {
		int64_t s = big ? (int64_t)v : (int64_t)(int32_t)v;

		put_num(o, s < 0 ? (uint64_t)-s : (uint64_t)s, s < 0, 10, 0, width, zero, left, prec);
		break;
	}
	case 'u':
		put_num(o, big ? v : (uint32_t)v, 0, 10, 0, width, zero, left, prec);
		break;
	case 'x':
	case 'X':
		put_num(o, big ? v : (uint32_t)v, 0, 16, fmt[i] == 'X', width, zero, left, prec);
		break;
	case 'o':
		put_num(o, big ? v : (uint32_t)v, 0, 8, 0, width, zero, left, prec);
		break;
	case 'p':
		put_num(o, v, 0, 16, 1, 16, 1, 0, -1);
		break;
	case 'c':
		put(o, (WCHAR)v);
		break;
	case 'S':
		wide = !wide;
		/* fall through */
	case 's': {
		const WCHAR *w = (const WCHAR *)v;
		WCHAR *conv = NULL;
		size_t n, pad;

		if (!v) {
			put_a(o, "(null)");
			break;
		}
		if (!wide) {
			conv = k32_a_path((const char *)v);
			if (!conv)
				break;
			w = conv;
		}
		for (n = 0; w[n] && (prec < 0 || n < (size_t)prec); n++)
			;
		pad = width > (int)n ? (size_t)width - n : 0;
		if (!left)
			while (pad--)
				put(o, ' ');
		for (size_t k = 0; k < n; k++)
			put(o, w[k]);
		if (left)
			while (pad--)
				put(o, ' ');
		k32_free(conv);
		break;
	}
	default:
		break;
	}
}

/*
 * Expand msg (n units) into o. soft_breaks: the line break at the end of a system message is the message
 * table's, not the text's (FORMAT_MESSAGE_MAX_WIDTH_MASK turns it into a space).
 */
static BOOL expand(struct out *o, const WCHAR *msg, size_t n, DWORD flags, const uint64_t *args, int ansi, int from_system)
{
	unsigned width = flags & FORMAT_MESSAGE_MAX_WIDTH_MASK;

	for (size_t i = 0; i < n && !o->full; i++) {
		WCHAR c = msg[i];

		if (c != '%') {
			if (width == FORMAT_MESSAGE_MAX_WIDTH_MASK && (c == '\r' || c == '\n')) {
				/* regular line breaks go; a break is one space */
				if (c == '\r' && i + 1 < n && msg[i + 1] == '\n')
					i++;
				put(o, ' ');
				continue;
			}
			put(o, c);
			continue;
		}
		if (++i >= n)
			break;
		c = msg[i];
		if (c >= '1' && c <= '9') {
			unsigned num = c - '0';
			size_t start = i - 1, fs = 0, fl = 0;

			if (i + 1 < n && msg[i + 1] >= '0' && msg[i + 1] <= '9')
				num = num * 10 + (msg[++i] - '0');
			if (i + 1 < n && msg[i + 1] == '!') {
				size_t j = i + 2;

				while (j < n && msg[j] != '!')
					j++;
				if (j < n) {
					fs = i + 2;
					fl = j - fs;
					i = j;
				}
			}
			if (flags & FORMAT_MESSAGE_IGNORE_INSERTS) {
				for (size_t k = start; k <= i; k++)
					put(o, msg[k]);
				continue;
			}
			if (!args)
				return k32_fail(ERROR_INVALID_PARAMETER);
			if (fl)
				put_insert(o, msg + fs, fl, arg_of(args, num), ansi);
			else
				put_insert(o, u"s", 1, arg_of(args, num), ansi);
			continue;
		}
		switch (c) {
		case '0':
			return 1; /* the message ends here, without a line break */
		case 'n':
			put(o, '\r');
			put(o, '\n');
			break;
		case 'r':
			put(o, '\r');
			break;
		case 't':
			put(o, '\t');
			break;
		default:
			put(o, c); /* %% %. %! %space: the character itself */
			break;
		}
	}
	if (from_system && width != FORMAT_MESSAGE_MAX_WIDTH_MASK) {
		put(o, '\r');
		put(o, '\n');
	} else if (from_system) {
		put(o, ' ');
	}
	return 1;
}

/* The message as UTF-16 in o (o->buf of OUT_MAX units): TRUE, or FALSE with the error set. */
static BOOL format(DWORD flags, const void *source, DWORD id, DWORD lang, const uint64_t *args, int ansi, struct out *o)
{
	WCHAR msgbuf[512], *msg = msgbuf;
	size_t n = 0;
	BOOL ok;
	int from_system = 0;

	if (flags & FORMAT_MESSAGE_FROM_STRING) {
		if (!source)
			return k32_fail(ERROR_INVALID_PARAMETER);
		if (ansi) {
			size_t len = strlen(source);

			msg = k32_alloc(len * 2 + 2);
			if (!msg)
				return k32_fail(ERROR_NOT_ENOUGH_MEMORY);
			n = (size_t)k32_a_to_w(source, msg, len + 1);
		} else {
			msg = (WCHAR *)source;
			while (msg[n])
				n++;
		}
	} else if (flags & FORMAT_MESSAGE_FROM_SYSTEM) {
		const char *text;
		unsigned primary = lang & 0x3ff;

		/* English is the only language here: LANG_NEUTRAL (the defaults) or LANG_ENGLISH */
		if (primary != 0 && primary != 9)
			return k32_fail(ERROR_RESOURCE_LANG_NOT_FOUND);
		text = system_text(id);
		if (!text)
			return k32_fail(ERROR_MR_MID_NOT_FOUND);
		n = (size_t)k32_a_to_w(text, msgbuf, 512);
		from_system = 1;
	} else {
		/* FROM_HMODULE: no message tables are read */
		return k32_fail(flags & FORMAT_MESSAGE_FROM_HMODULE ? ERROR_RESOURCE_TYPE_NOT_FOUND : ERROR_INVALID_PARAMETER);
	}
	ok = expand(o, msg, n, flags, args, ansi, from_system);
	if (msg != msgbuf && msg != source)
		k32_free(msg);
	if (ok && o->full)
		return k32_fail(ERROR_INSUFFICIENT_BUFFER);
	return ok;
}

/* x64: a va_list is a pointer to the 8-byte argument slots, so either form is an array of them. */
static const uint64_t *args_of(DWORD flags, void *args)
{
	if (!args)
		return NULL;
	return flags & FORMAT_MESSAGE_ARGUMENT_ARRAY ? (const uint64_t *)args : *(const uint64_t **)args;
}

EXPORT DWORD WINAPI FormatMessageW(DWORD flags, const void *source, DWORD id, DWORD lang, WCHAR *buffer, DWORD size,
				   void *args)
{
	struct out o = { NULL, 0, 0 };
	DWORD ret = 0;

	if (!buffer)
		return k32_fail(ERROR_INVALID_PARAMETER);
	o.buf = k32_alloc(OUT_MAX * sizeof(WCHAR));
	if (!o.buf)
		return k32_fail(ERROR_NOT_ENOUGH_MEMORY);
	if (!format(flags, source, id, lang, args_of(flags, args), 0, &o))
		goto out;
	if (flags & FORMAT_MESSAGE_ALLOCATE_BUFFER) {
		size_t cap = o.n + 1 > size ? o.n + 1 : size;
		WCHAR *p = LocalAlloc(0, cap * sizeof(WCHAR));

		if (!p)
			goto out;
		memcpy(p, o.buf, o.n * sizeof(WCHAR));
		p[o.n] = 0;
		*(WCHAR **)buffer = p;
	} else {
		if (o.n + 1 > size) {
			k32_fail(ERROR_INSUFFICIENT_BUFFER);
			goto out;
		}
		memcpy(buffer, o.buf, o.n * sizeof(WCHAR));
		buffer[o.n] = 0;
	}
	ret = (DWORD)o.n;
out:
	k32_free(o.buf);
	return ret;
}

/* The ANSI form: the string source and the %s inserts are UTF-8 (the ANSI code page), and so is the result. */
EXPORT DWORD WINAPI FormatMessageA(DWORD flags, const void *source, DWORD id, DWORD lang, char *buffer, DWORD size,
				   void *args)
{
	struct out o = { NULL, 0, 0 };
	DWORD ret = 0;
	int n;

	if (!buffer)
		return k32_fail(ERROR_INVALID_PARAMETER);
	o.buf = k32_alloc(OUT_MAX * sizeof(WCHAR));
	if (!o.buf)
		return k32_fail(ERROR_NOT_ENOUGH_MEMORY);
	if (!format(flags, source, id, lang, args_of(flags, args), 1, &o))
		goto out;
	n = k32_w_to_a(o.buf, o.n, NULL, 0);
	if (flags & FORMAT_MESSAGE_ALLOCATE_BUFFER) {
		size_t cap = (size_t)n + 1 > size ? (size_t)n + 1 : size;
		char *p = LocalAlloc(0, cap);

		if (!p)
			goto out;
		k32_w_to_a(o.buf, o.n, p, (size_t)n);
		p[n] = 0;
		*(char **)buffer = p;
	} else {
		if ((DWORD)n + 1 > size) {
			k32_fail(ERROR_INSUFFICIENT_BUFFER);
			goto out;
		}
		k32_w_to_a(o.buf, o.n, buffer, (size_t)n);
		buffer[n] = 0;
	}
	ret = (DWORD)n;
out:
	k32_free(o.buf);
	return ret;
}
