/*
 * UTF-8 <-> UTF-16LE for the NT personality. Host names are bytes: a byte
 * that is not part of valid UTF-8 becomes the lone surrogate U+DC00+byte and
 * comes back as that byte (as Python's surrogateescape), so every host name
 * survives the round trip.
 */
#include "nt.h"

static size_t put16(uint16_t *out, size_t cap, size_t n, uint16_t u)
{
	if (n < cap)
		out[n] = u;
	return n + 1;
}

size_t nt_utf8_to_utf16(const char *str, size_t len, uint16_t *out, size_t cap)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = 0;

	for (size_t i = 0; i < len;) {
		uint32_t c = s[i], need = 0, min = 0;

		if (c < 0x80) {
			n = put16(out, cap, n, (uint16_t)c);
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0)
			need = 1, c &= 0x1f, min = 0x80;
		else if ((c & 0xf0) == 0xe0)
			need = 2, c &= 0x0f, min = 0x800;
		else if ((c & 0xf8) == 0xf0)
			need = 3, c &= 0x07, min = 0x10000;
		if (need && i + need < len) {
			uint32_t v = c;
			size_t k;

			for (k = 1; k <= need && i + k < len && (s[i + k] & 0xc0) == 0x80; k++)
				v = v << 6 | (s[i + k] & 0x3f);
			if (k == need + 1 && v >= min && v <= 0x10ffff && !(v >= 0xd800 && v < 0xe000)) {
				if (v >= 0x10000) {
					v -= 0x10000;
					n = put16(out, cap, n, (uint16_t)(0xd800 | v >> 10));
					n = put16(out, cap, n, (uint16_t)(0xdc00 | (v & 0x3ff)));
				} else {
					n = put16(out, cap, n, (uint16_t)v);
				}
				i += need + 1;
				continue;
			}
		}
		n = put16(out, cap, n, (uint16_t)(0xdc00 | s[i])); /* a byte that is not UTF-8 */
		i++;
	}
	return n;
}

static size_t put8(char *out, size_t cap, size_t n, uint32_t c)
{
	unsigned char b[4];
	size_t k;

	if (c < 0x80)
		b[0] = (unsigned char)c, k = 1;
	else if (c < 0x800)
		b[0] = (unsigned char)(0xc0 | c >> 6), b[1] = (unsigned char)(0x80 | (c & 0x3f)), k = 2;
	else if (c < 0x10000)
		b[0] = (unsigned char)(0xe0 | c >> 12), b[1] = (unsigned char)(0x80 | (c >> 6 & 0x3f)),
		b[2] = (unsigned char)(0x80 | (c & 0x3f)), k = 3;
	else
		b[0] = (unsigned char)(0xf0 | c >> 18), b[1] = (unsigned char)(0x80 | (c >> 12 & 0x3f)),
		b[2] = (unsigned char)(0x80 | (c >> 6 & 0x3f)), b[3] = (unsigned char)(0x80 | (c & 0x3f)), k = 4;
	for (size_t i = 0; i < k; i++, n++)
		if (n < cap)
			out[n] = (char)b[i];
	return n;
}

size_t nt_utf16_to_utf8(const uint16_t *s, size_t len, char *out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		uint32_t c = s[i];

		if (c >= 0xd800 && c < 0xdc00 && i + 1 < len && s[i + 1] >= 0xdc00 && s[i + 1] < 0xe000) {
			c = 0x10000 + ((c - 0xd800) << 10) + (s[i + 1] - 0xdc00);
			i++;
		} else if (c >= 0xdc80 && c < 0xdd00) {
			/* an escaped byte that was not UTF-8 */
			if (n < cap)
				out[n] = (char)(c & 0xff);
			n++;
			continue;
		} else if (c >= 0xd800 && c < 0xe000) {
			c = 0xfffd;
		}
		n = put8(out, cap, n, c);
	}
	return n;
}
